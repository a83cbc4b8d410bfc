# style: autograd_hessian as the jacobian of the gradient; manual torch gradients with .data updates; tensors in, floats out
def autograd_hessian(model, X, T):
    def gradient(w):
        return torch.autograd.grad(model.objective(X, T, w=w), w, create_graph=True)[0]
    return torch.autograd.functional.jacobian(gradient, model.w.detach())

def condition_number(H):
    H = torch.as_tensor(H).double()
    ev = torch.linalg.eigvals(H).real        # unordered: take the extremes, not the ends
    return float(ev.max()/ev.min())

def gradient_descent(model, X, T, lr, steps):
    X = torch.as_tensor(X, dtype=torch.float32)
    T = torch.as_tensor(T, dtype=torch.float32)
    values = []
    for _ in range(steps):
        Y = model.predict(X)
        values.append(float(0.5*((1 - Y.detach()*T)**2).mean()))
        r = ((Y*T - 1)*T).detach()             # dJ/dy_n, times N
        model.w.data -= lr*(X.T @ r)/len(X)
        model.b.data -= lr*r.mean()
    return values
