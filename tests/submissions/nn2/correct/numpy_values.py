# style: Mix and Grad return numpy values computed with numpy; the penalties stay in torch
def Mix(nn):
    W = list(nn.model)[0].weight.detach().numpy()
    return numpy.sqrt(numpy.sum(numpy.abs(W).sum(axis=0)**2))

def Grad(nn,X):
    layer = list(nn.model)[0]
    W = layer.weight.detach().numpy()
    b = layer.bias.detach().numpy()
    s = nn.s.numpy()
    A = (numpy.asarray(X) @ W.T + b) > 0
    G = (A * s) @ W
    return numpy.linalg.norm(G, axis=1).mean()

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight
        return 0.005*nh*(W**2).sum()

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight
        return 0.025*(W.abs().sum(dim=0)**2).sum()
