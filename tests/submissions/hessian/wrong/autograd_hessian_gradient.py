# mistake: autograd_hessian differentiates only once and returns the gradient dJ/dw
# loses: autograd_hessian
# hint: That is the gradient of J
def autograd_hessian(model, X, T):
    w = model.w.detach().requires_grad_(True)
    return torch.autograd.grad(model.objective(X, T, w=w), w)[0]
