# mistake: hessian multiplies in the wrong order, X X^T / N, an (N, N) matrix
# loses: hessian
# hint: returned a ndarray of shape (2000, 2000)
def hessian(X):
    X = numpy.asarray(X, dtype=float)
    return X @ X.T/len(X)
