# mistake: FrobClassifier computes the penalty with numpy, so it has no gradient and does nothing in training
# loses: FrobClassifier
# hint: cannot be differentiated
class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight.detach().numpy()
        return 0.005*nh*numpy.sum(W**2)
