# style: torch.autograd.functional.jacobian for Grad; Mix transposes W to the sheet's (d, h) first
def Mix(nn):
    W = list(nn.model)[0].weight.T
    return (W.abs().sum(1)**2).sum().sqrt()

def Grad(nn,X):
    X = torch.Tensor(X)
    J = torch.autograd.functional.jacobian(lambda Z: nn.predict(Z).sum(), X)
    return J.norm(dim=1).mean()

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.005*(nh**.5*Frob(self))**2

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight.T
        return 0.025*(W.abs().sum(1)**2).sum()
