# mistake: MixClassifier turns the norm into a Python float with .item(), cutting the gradient
# loses: MixClassifier
# hint: cannot be differentiated
class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.025*Mix(self).item()**2
