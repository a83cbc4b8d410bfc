# attack: returns an object whose __eq__ is always True and whose __float__, __array__ and __index__ lie
# defence: only exact number types (float, int, numpy float scalars, size-1 float arrays and tensors) are read, with type(x) is checks
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: returned a Liar
class Liar:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __float__(self): return 4.966
    def __array__(self, *a, **k): return numpy.array(4.966)
    def __index__(self): return 5
    def __lt__(self, other): return True
    __le__ = __gt__ = __ge__ = __lt__

def Mix(nn):
    return Liar()
