# style: Hessian rows by double backward with create_graph; np.mean of explicit outer products; svd singular values; backward() with zeroed .grad
def hessian(X):
    X = numpy.asarray(X, dtype=numpy.float64)
    return numpy.mean(X[:, :, None]*X[:, None, :], axis=0)

def autograd_hessian(model, X, T):
    w = model.w.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(model.objective(X, T, w=w), w, create_graph=True)
    rows = [torch.autograd.grad(g[i], w, retain_graph=True)[0] for i in range(len(w))]
    return torch.stack(rows)

def condition_number(H):
    s = numpy.linalg.svd(numpy.asarray(H, dtype=float), compute_uv=False)
    return s[0]/s[-1]                # for a symmetric positive definite H, singular values are eigenvalues

def gradient_descent(model, X, T, lr, steps):
    values = []
    for _ in range(steps):
        for p in (model.w, model.b):
            p.grad = None            # backward() adds to .grad: start each step from zero
        J = model.objective(X, T)
        values.append(float(J.detach()))
        J.backward()
        with torch.no_grad():
            model.w -= lr*model.w.grad
            model.b -= lr*model.b.grad
    return values
