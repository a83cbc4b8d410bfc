# attack: returns an ndarray subclass and a torch.Tensor subclass of size 1 that lie in comparisons and conversions
# defence: exact type checks: only numpy.ndarray and torch.Tensor themselves are read, never a subclass
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: returned a Shady
# message: returned a Crooked
class Shady(numpy.ndarray):
    def __eq__(self, other): return numpy.ones(1, dtype=bool)
    def __float__(self): return 4.966

class Crooked(torch.Tensor):
    def item(self): return 4.966
    def __eq__(self, other): return torch.tensor(True)

def Mix(nn):
    return numpy.array([1.0]).view(Shady)

def Grad(nn, X):
    return torch.tensor(1.0).as_subclass(Crooked)
