# style: einsum everywhere, and Grad from the closed form sum_j s_j 1[a_j > 0] W_:,j
def Mix(nn):
    W = list(nn.model)[0].weight
    rows = torch.einsum('ji->i', W.abs())
    return torch.sqrt(torch.einsum('i,i->', rows, rows))

def Grad(nn,X):
    layer = list(nn.model)[0]
    X = torch.as_tensor(X, dtype=torch.float32)
    with torch.no_grad():
        active = (layer(X) > 0).float()
        G = torch.einsum('nj,j,ji->ni', active, nn.s, layer.weight)
    return G.norm(dim=1).mean()

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight
        return 0.005*nh*torch.einsum('ji,ji->', W, W)

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        W = list(self.model)[0].weight
        rows = torch.einsum('ji->i', W.abs())
        return 0.025*torch.einsum('i,i->', rows, rows)
