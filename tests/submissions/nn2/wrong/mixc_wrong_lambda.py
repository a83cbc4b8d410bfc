# mistake: MixClassifier uses FrobClassifier's lambda 0.005
# loses: MixClassifier
# hint: Wrong lambda
class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.005*Mix(self)**2
