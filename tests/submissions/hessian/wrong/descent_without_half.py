# mistake: gradient_descent re-implements J without the 1/2, so it records 2J and steps with twice the gradient
# loses: gradient_descent
# hint: A factor 2 is too many in the gradient
def gradient_descent(model, X, T, lr, steps):
    X = torch.as_tensor(X, dtype=torch.float32)
    T = torch.as_tensor(T, dtype=torch.float32)
    values = []
    for _ in range(steps):
        J = ((1 - model.predict(X)*T)**2).mean()
        values.append(J.item())
        gw, gb = torch.autograd.grad(J, [model.w, model.b])
        with torch.no_grad():
            model.w -= lr*gw
            model.b -= lr*gb
    return values
