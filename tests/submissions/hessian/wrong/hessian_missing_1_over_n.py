# mistake: hessian returns X^T X, the Hessian of the summed objective, without the 1/N of the mean
# loses: hessian
# hint: The 1/N is missing
def hessian(X):
    X = numpy.asarray(X, dtype=float)
    return X.T @ X
