# mistake: Mix forgets to square the row norms: sqrt(sum_i ||W_i,:||_1)
# loses: Mix
# hint: not squared before they are summed
def Mix(nn):
    W = list(nn.model)[0].weight
    return W.abs().sum(dim=0).sum()**.5

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight
        return 0.025*(W.abs().sum(dim=0)**2).sum()
