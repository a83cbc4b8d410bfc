# style: small helper functions and module constants shared by all four answers; get_submodule for the layer
LAMBDA = {"frob": 0.005, "mix": 0.025}

def first_weight(model):
    return model.model.get_submodule("0").weight

def column_l1(W):
    return W.abs().sum(dim=0)   # ||W_i,:||_1 of the sheet's W, one per input feature

def Mix(nn):
    return column_l1(first_weight(nn)).pow(2).sum().sqrt()

def per_sample_gradients(nn, X):
    X = torch.from_numpy(numpy.asarray(X, dtype=numpy.float32)).requires_grad_()
    out = nn.predict(X)
    return torch.autograd.grad(out, X, grad_outputs=torch.ones_like(out))[0]

def Grad(nn,X):
    return per_sample_gradients(nn, X).norm(p=2, dim=1).mean()

class FrobClassifier(NeuralNetworkClassifier):
    def reg(self):
        return LAMBDA["frob"] * (nh**0.5 * first_weight(self).norm()) ** 2

class MixClassifier(NeuralNetworkClassifier):
    def reg(self):
        return LAMBDA["mix"] * column_l1(first_weight(self)).pow(2).sum()
