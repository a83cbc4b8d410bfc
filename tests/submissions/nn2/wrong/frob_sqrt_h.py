# mistake: FrobClassifier multiplies by sqrt(h) instead of h (forgets that sqrt(h) is squared too)
# loses: FrobClassifier
# hint: sqrt(h) must be squared too
class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.005*nh**.5*Frob(self)**2
