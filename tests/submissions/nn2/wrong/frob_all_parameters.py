# mistake: FrobClassifier penalizes every parameter, the bias included
# loses: FrobClassifier
# hint: The bias is penalized too
class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.005*nh*sum((p**2).sum() for p in self.model.parameters())
