# style: prints the weight in every reg() call, so on every one of the 10,000 training steps
class FrobClassifier(NeuralNetworkClassifier):

    def reg(self):
        print(list(self.model)[0].weight)
        return 0.005*(nh**.5*Frob(self))**2
