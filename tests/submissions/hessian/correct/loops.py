# style: explicit Python loops over the samples and features; gradient descent with hand-written numpy gradients
def hessian(X):
    X = numpy.asarray(X, dtype=float)
    N, d = X.shape
    H = numpy.zeros((d, d))
    for x in X:                      # one outer product x_n x_n^T per sample
        for i in range(d):
            for j in range(d):
                H[i, j] += x[i]*x[j]
    return H/N

def predicted_condition_number(mu, sigma):
    squared_norm = 0.0
    for m in mu:
        squared_norm += float(m)**2
    return 1 + squared_norm/sigma**2

def gradient_descent(model, X, T, lr, steps):
    X, T = numpy.asarray(X, dtype=float), numpy.asarray(T, dtype=float)
    w, b = model.w.detach().double().numpy().copy(), model.b.item()
    values = []
    for _ in range(steps):
        residual = -(1 - (X@w + b)*T)*T          # dJ/dy_n, times N
        values.append(float(numpy.mean(0.5*(1 - (X@w + b)*T)**2)))
        w, b = w - lr*X.T@residual/len(X), b - lr*residual.mean()
    with torch.no_grad():
        model.w.copy_(torch.from_numpy(w))
        model.b.fill_(b)
    return values
