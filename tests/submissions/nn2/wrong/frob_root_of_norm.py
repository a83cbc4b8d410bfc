# mistake: the root of the Frobenius norm instead of its square, 0.005*h*Frob**0.5 (a real submission): over-regularizes
# loses: FrobClassifier
# hint: below the range [2.4, 3.1] that correct solutions reach
# hint: the penalty is too strong
# hint: hidden random inputs. The public checks of this part fail too

class FrobClassifier(NeuralNetworkClassifier):

    def reg(self):
        return 0.005*nh*Frob(self)**0.5
