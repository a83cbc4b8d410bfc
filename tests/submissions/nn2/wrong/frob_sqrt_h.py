# mistake: FrobClassifier multiplies by sqrt(h) instead of h (forgets that sqrt(h) is squared too)
# loses: FrobClassifier
# hint: sqrt(h) is not squared with the norm
class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.005*nh**.5*Frob(self)**2
