# style: float64 throughout the norms and Grad; penalties computed in double precision
def Mix(nn):
    W = list(nn.model)[0].weight.double()
    return ((W.abs().sum(dim=0)**2).sum()**.5).item()

def Grad(nn,X):
    layer = list(nn.model)[0]
    W = layer.weight.detach().double()
    b = layer.bias.detach().double()
    X = torch.as_tensor(numpy.asarray(X), dtype=torch.float64)
    active = (X @ W.T + b > 0).double()
    G = (active * nn.s.double()) @ W
    return G.norm(dim=1).mean().item()

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight.double()
        return (0.005*nh*(W**2).sum()).float()

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight.double()
        return (0.025*(W.abs().sum(dim=0)**2).sum()).float()
