# mistake: gradient_descent records J after each update, so the curve is shifted by one step
# loses: gradient_descent
# hint: J after update k, not before it
def gradient_descent(model, X, T, lr, steps):
    values = []
    for _ in range(steps):
        gw, gb = torch.autograd.grad(model.objective(X, T), [model.w, model.b])
        with torch.no_grad():
            model.w -= lr*gw
            model.b -= lr*gb
        values.append(model.objective(X, T).item())
    return values
