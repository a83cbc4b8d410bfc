# attack: returns a 20,000 x 20,000 matrix from hessian() (3.2 GB of float64 if sent) and a nested list a million deep from condition_number()
# defence: the child refuses arrays of over a million cells and says their shape instead of sending them; RLIMIT_AS caps what can be allocated; the parent caps a line at 4 MB
# scores: hessian=0 autograd_hessian=full condition_number=0 predicted_condition_number=full gradient_descent=full
# message: returned a ndarray of shape (20000, 20000)
def hessian(X):
    return numpy.lib.stride_tricks.as_strided(numpy.zeros(1), shape=(20000, 20000), strides=(0, 0))

def condition_number(H):
    deep = []
    for _ in range(1_000_000):
        deep = [deep]
    return deep
