# mistake: Mix returns sum_i ||W_i,:||_1^2 without the square root (the penalty is written out, so only Mix is wrong)
# loses: Mix
# hint: The square root is missing
def Mix(nn):
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight
        return 0.025*(W.abs().sum(dim=0)**2).sum()
