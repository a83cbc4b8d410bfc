# mistake: FrobClassifier's lambda ten times the sheet's, 0.05: the penalty over-regularizes
# loses: FrobClassifier
# hint: Your value is 10 (= sqrt(h)) times the expected one on every network asked
# hint: the penalty is too strong

class FrobClassifier(NeuralNetworkClassifier):

    def reg(self):
        return 0.05*(nh**.5*Frob(self))**2
