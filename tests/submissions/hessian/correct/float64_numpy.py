# style: numpy float64 throughout (matrix products, closed-form gradient), eigenvalues sorted by hand from numpy.linalg.eig
def hessian(X):
    X = numpy.array(X, dtype=numpy.float64)
    return numpy.dot(X.T, X)/X.shape[0]

def condition_number(H):
    ev = numpy.sort(numpy.linalg.eig(numpy.asarray(H, dtype=float))[0].real)
    return ev[-1]/ev[0]

def predicted_condition_number(mu, sigma):
    mu = numpy.asarray(mu, dtype=float)
    return (sigma**2 + numpy.dot(mu, mu))/sigma**2   # lambda_1/lambda_d of sigma^2 I + mu mu^T

def gradient_descent(model, X, T, lr, steps):
    X, T = numpy.asarray(X, dtype=float), numpy.asarray(T, dtype=float)
    theta = numpy.r_[model.w.detach().numpy(), model.b.item()].astype(float)
    Xb = numpy.hstack([X, numpy.ones((len(X), 1))])    # b is the weight of a constant feature
    values = []
    for _ in range(steps):
        Y = Xb @ theta
        values.append(0.5*numpy.mean((1 - Y*T)**2))
        theta = theta - lr*Xb.T @ ((Y*T - 1)*T)/len(X)
    with torch.no_grad():
        model.w[:] = torch.tensor(theta[:-1])
        model.b.copy_(torch.tensor(theta[-1]))
    return values
