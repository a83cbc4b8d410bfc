# attack: raises KeyboardInterrupt and a custom BaseException subclass, which escape `except Exception`
# defence: the child catches BaseException around every call of student code
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: KeyboardInterrupt
# message: Detonation
class Detonation(BaseException):
    pass

def Mix(nn):
    raise KeyboardInterrupt

def Grad(nn, X):
    raise Detonation("boom")
