# mistake: gradient_descent adds the gradient: gradient ascent, J increases
# loses: gradient_descent
# hint: that is gradient ascent
def gradient_descent(model, X, T, lr, steps):
    values = []
    for _ in range(steps):
        J = model.objective(X, T)
        values.append(J.item())
        gw, gb = torch.autograd.grad(J, [model.w, model.b])
        with torch.no_grad():
            model.w += lr*gw
            model.b += lr*gb
    return values
