# attack: an endless loop or a long sleep inside each of the four graded functions
# defence: each call has its own wall-clock limit; a timeout skips the rest of that part only, so the bound is one limit per part
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: did not finish within 3 seconds
import time

def Mix(nn):
    while True:
        pass

def Grad(nn, X):
    time.sleep(10**6)

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        time.sleep(10**6)

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        while True:
            pass
