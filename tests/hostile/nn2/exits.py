# attack: Mix calls sys.exit, Grad calls os._exit in the middle of grading
# defence: SystemExit is caught like any exception; a process that ends costs only its question and the rest of its part, a new child takes the other parts
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: SystemExit
# message: exited with code 0
def Mix(nn):
    import sys
    sys.exit(0)

def Grad(nn, X):
    import os
    os._exit(0)
