# The model answers of "Hessian: the conditioning of a linear model", written by `autograder build handout` from
# master.ipynb: edit that notebook, not this file.


def hessian(X):
    # float64 whatever comes in: the entries are sums of N products.
    X = numpy.asarray(X, dtype=numpy.float64)
    return X.T @ X / len(X)


def autograd_hessian(model,X,T):
    # J is quadratic in w, so any point gives the same Hessian: the model's own w will do.
    return torch.autograd.functional.hessian(lambda w: model.objective(X,T,w=w), model.w.detach())


def condition_number(H):
    # eigvalsh: H is symmetric, and its eigenvalues come back real and sorted ascending.
    ev = numpy.linalg.eigvalsh(numpy.asarray(H, dtype=numpy.float64))
    return float(ev[-1]/ev[0])


def predicted_condition_number(mu,sigma):
    mu = numpy.asarray(mu, dtype=numpy.float64)
    return float(1 + mu @ mu / sigma**2)


def gradient_descent(model,X,T,lr,steps):
    values = []
    for _ in range(steps):
        J = model.objective(X,T)
        values.append(J.item())   # before the update: values[0] is J at the start
        gw, gb = torch.autograd.grad(J, [model.w, model.b])
        with torch.no_grad():     # the update itself is not part of the objective's graph
            model.w -= lr*gw
            model.b -= lr*gb
    return values
