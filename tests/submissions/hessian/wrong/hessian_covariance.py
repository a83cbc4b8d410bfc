# mistake: hessian returns numpy.cov of the data, which centers X and so drops mu mu^T
# loses: hessian
# hint: That is the covariance of x
def hessian(X):
    return numpy.cov(numpy.asarray(X, dtype=float), rowvar=False, bias=True).reshape(X.shape[1], X.shape[1])
