# style: Grad from the ReLU mask with matmul in torch (no autograd), Mix with torch.linalg.vector_norm, penalties written out without Frob or Mix
def Mix(nn):
    W = list(nn.model)[0].weight
    return torch.linalg.vector_norm(W.abs().sum(0))

def Grad(nn,X):
    layer = list(nn.model)[0]
    X = torch.as_tensor(numpy.asarray(X), dtype=torch.float32)
    with torch.no_grad():
        active = (X @ layer.weight.T + layer.bias > 0).float()   # (N, h)
        grads = (active * nn.s) @ layer.weight                  # (N, d): sum_j s_j 1[a_j>0] W_j,:
    return torch.linalg.vector_norm(grads, dim=1).mean()

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = self.model[0].weight
        return 0.005 * nh * torch.square(W).sum()

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = self.model[0].weight
        return 0.025 * torch.square(W.abs().sum(dim=0)).sum()
