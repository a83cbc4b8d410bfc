# attack: returns an ndarray subclass that claims to equal anything, a complex matrix, an object array of strings, and a descent curve of float subclasses
# defence: values are converted with exact type checks in the child (a subclass is not an array, complex and object dtypes are not numbers) and compared in the parent
# scores: hessian=0 autograd_hessian=0 condition_number=full predicted_condition_number=full gradient_descent=0
# message: returned a Liar
# message: returned a list on
class Liar(numpy.ndarray):
    def __eq__(self, other):
        return True

def hessian(X):
    X = numpy.asarray(X, dtype=float)
    return (X.T @ X / len(X)).view(Liar)

def autograd_hessian(model, X, T):
    X = numpy.asarray(X, dtype=float)
    return (X.T @ X / len(X)).astype(complex)

class Sly(float):
    def __eq__(self, other):
        return True

def gradient_descent(model, X, T, lr, steps):
    return [Sly(1.0) for _ in range(steps)]
