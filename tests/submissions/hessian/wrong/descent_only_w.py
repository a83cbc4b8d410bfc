# mistake: gradient_descent updates w only and leaves the bias b at its initial value
# loses: gradient_descent
# hint: b is never updated
def gradient_descent(model, X, T, lr, steps):
    values = []
    for _ in range(steps):
        J = model.objective(X, T)
        values.append(J.item())
        (gw,) = torch.autograd.grad(J, [model.w])
        with torch.no_grad():
            model.w -= lr*gw
    return values
