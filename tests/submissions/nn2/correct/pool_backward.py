# style: Grad with backward() on nn.pool(nn.model(X)) for a leaf copy of X, Mix as a Python sum over input features
def Mix(nn):
    W = list(nn.model)[0].weight
    total = sum(W[:, i].abs().sum()**2 for i in range(W.shape[1]))
    return torch.sqrt(total)

def Grad(nn,X):
    x = torch.tensor(numpy.array(X), dtype=torch.float32, requires_grad=True)
    nn.pool(nn.model(x)).sum().backward()
    g = x.grad
    return (g**2).sum(dim=1).sqrt().mean().item()

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return 0.005*nh*Frob(self)**2

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        m = Mix(self)
        return 0.025*m*m
