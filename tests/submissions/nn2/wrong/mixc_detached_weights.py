# mistake: MixClassifier reads the weights through .data, so the penalty is a constant to autograd
# loses: MixClassifier
# hint: cannot be differentiated
class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight.data
        return 0.025*(W.abs().sum(dim=0)**2).sum()
