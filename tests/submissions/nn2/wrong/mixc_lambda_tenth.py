# mistake: MixClassifier's lambda a tenth of the sheet's, 0.0025 (a real submission)
# loses: MixClassifier
# hint: Your value is 0.1 (= 1/sqrt(h)) times the expected one on every network asked: a constant factor is off
# hint: Your gradient is 0.1 (= 1/sqrt(h)) times the expected one on every network asked

class MixClassifier(NeuralNetworkClassifier):

    def reg(self):
        return 0.0025*Mix(self)**2
