# mistake: FrobClassifier uses MixClassifier's lambda 0.025
# loses: FrobClassifier
# hint: Wrong lambda
class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.025*(nh**.5*Frob(self))**2
