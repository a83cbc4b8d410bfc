# mistake: hessian appends the column of ones of the bias and returns the (d+1, d+1) Hessian in (w, b)
# loses: hessian
# hint: includes the bias
def hessian(X):
    X = numpy.asarray(X, dtype=float)
    Xb = numpy.hstack([X, numpy.ones((len(X), 1))])
    return Xb.T @ Xb/len(Xb)
