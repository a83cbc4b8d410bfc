# mistake: gradient_descent calls backward() every step without zeroing .grad, so the gradients accumulate
# loses: gradient_descent
# hint: The gradients accumulate across steps
def gradient_descent(model, X, T, lr, steps):
    values = []
    for _ in range(steps):
        J = model.objective(X, T)
        values.append(J.item())
        J.backward()
        with torch.no_grad():
            model.w -= lr*model.w.grad
            model.b -= lr*model.b.grad
    return values
