# mistake: gradient_descent rebinds local names w and b to new tensors, so the model's parameters never change
# loses: gradient_descent
# hint: The parameters never change
def gradient_descent(model, X, T, lr, steps):
    values = []
    for _ in range(steps):
        J = model.objective(X, T)
        values.append(J.item())
        gw, gb = torch.autograd.grad(J, [model.w, model.b])
        w = model.w - lr*gw
        b = model.b - lr*gb
    return values
