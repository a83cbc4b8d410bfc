# attack: returns an object that is not an array but whose __array__, __float__ and shape say it is the expected number
# defence: numpy.asarray or float() are never called on student objects; the exact type decides
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: returned a Pretender
class Pretender:
    shape = ()
    dtype = numpy.dtype("float64")
    size = 1
    def __array__(self, *a, **k): return numpy.array(4.966)
    def __float__(self): return 4.966
    def item(self): return 4.966

def Mix(nn):
    return Pretender()
