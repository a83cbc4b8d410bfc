def gradient(X,T,w,b):
    # BEGIN SOLUTION
    X = numpy.asarray(X, dtype=numpy.float64)
    return X.T @ (X @ w + b - T) / len(X)
    # END SOLUTION
