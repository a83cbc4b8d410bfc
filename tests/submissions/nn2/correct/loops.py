# style: explicit Python loops over the input features and over the samples, one gradient per sample
def Mix(nn):
    W = list(nn.model)[0].weight
    total = 0
    for i in range(W.shape[1]):       # input feature i: column i of PyTorch's (h, d) weight
        total = total + W[:, i].abs().sum()**2
    return total**.5

def Grad(nn,X):
    norms = []
    for x in X:
        x = torch.tensor(x, dtype=torch.float32, requires_grad=True)
        y = nn.predict(x.reshape(1, -1))
        (g,) = torch.autograd.grad(y.sum(), x)
        norms.append(float(g.norm()))
    return sum(norms) / len(norms)

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.005*nh*Frob(self)**2

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.025*Mix(self)**2
