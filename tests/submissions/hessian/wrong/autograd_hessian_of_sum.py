# mistake: autograd_hessian differentiates a re-implemented objective that sums over the samples instead of averaging
# loses: autograd_hessian
# hint: Hessian of the summed objective
def autograd_hessian(model, X, T):
    X = torch.as_tensor(X, dtype=torch.float32)
    T = torch.as_tensor(T, dtype=torch.float32)
    J = lambda w: (0.5*(1 - (X@w + model.b.detach())*T)**2).sum()
    return torch.autograd.functional.hessian(J, model.w.detach())
