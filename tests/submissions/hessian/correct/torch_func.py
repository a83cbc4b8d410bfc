# style: torch.func.hessian for autograd_hessian; torch.optim.SGD without momentum; numpy.linalg.cond
def autograd_hessian(model, X, T):
    return torch.func.hessian(lambda w: model.objective(X, T, w=w))(model.w.detach())

def condition_number(H):
    return numpy.linalg.cond(numpy.asarray(H, dtype=float))   # 2-norm condition number: lambda_max/lambda_min for SPD H

def predicted_condition_number(mu, sigma):
    return 1 + (numpy.linalg.norm(mu)/sigma)**2

def gradient_descent(model, X, T, lr, steps):
    optimizer = torch.optim.SGD([model.w, model.b], lr=lr)
    values = []
    for _ in range(steps):
        optimizer.zero_grad()
        J = model.objective(X, T)
        values.append(J.item())
        J.backward()
        optimizer.step()
    return values
