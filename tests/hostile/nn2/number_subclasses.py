# attack: returns float and numpy.float64 subclasses whose comparisons always succeed
# defence: type(x) is float (or an exact numpy or torch type) before any use; subclasses are refused
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: returned a Sly
# message: returned a Slick
class Sly(float):
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    def __abs__(self): return 0.0

class Slick(numpy.float64):
    def __eq__(self, other): return True

def Mix(nn):
    return Sly(1.0)

def Grad(nn, X):
    return Slick(1.0)
