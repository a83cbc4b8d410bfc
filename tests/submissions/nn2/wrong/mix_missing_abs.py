# mistake: Mix sums the signed weights of each row, without the absolute value
# loses: Mix
# hint: The absolute value is missing
def Mix(nn):
    W = list(nn.model)[0].weight
    return (W.sum(dim=0)**2).sum()**.5

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight
        return 0.025*(W.abs().sum(dim=0)**2).sum()
