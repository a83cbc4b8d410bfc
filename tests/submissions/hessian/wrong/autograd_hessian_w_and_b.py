# mistake: autograd_hessian differentiates with respect to (w, b) stacked in one vector: shape (d+1, d+1)
# loses: autograd_hessian
# hint: That is the Hessian in (w, b) together
def autograd_hessian(model, X, T):
    theta = torch.cat([model.w.detach(), model.b.detach().reshape(1)])
    return torch.autograd.functional.hessian(lambda th: model.objective(X, T, w=th[:-1], b=th[-1]), theta)
