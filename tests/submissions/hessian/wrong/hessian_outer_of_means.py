# mistake: hessian takes the outer product of the mean sample, E[x] E[x]^T, instead of the mean of the outer products
# loses: hessian
# hint: That is E[x] E[x]^T only
def hessian(X):
    m = numpy.asarray(X, dtype=float).mean(axis=0)
    return numpy.outer(m, m)
