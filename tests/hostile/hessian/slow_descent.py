# attack: gradient_descent sleeps in every step, and autograd_hessian differentiates in a loop that never ends
# defence: a wall-clock limit per call kills the child's process group; the rest of that part is skipped, the other parts go on in a new child
# scores: hessian=full autograd_hessian=0 condition_number=full predicted_condition_number=full gradient_descent=0
# message: did not finish within 3 seconds
def autograd_hessian(model, X, T):
    while True:
        torch.autograd.functional.hessian(lambda w: model.objective(X, T, w=w), model.w.detach())

def gradient_descent(model, X, T, lr, steps):
    import time
    values = []
    for _ in range(steps):
        time.sleep(1)
        values.append(float(model.objective(X, T)))
    return values
