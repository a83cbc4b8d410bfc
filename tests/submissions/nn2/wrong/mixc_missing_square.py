# mistake: MixClassifier penalizes ||W||_Mix instead of its square
# loses: MixClassifier
# hint: The square is missing
class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.025*Mix(self)
