# The model answers of "Neural Networks 2", written by `autograder build handout` from
# master.ipynb: edit that notebook, not this file.


def Mix(nn):
    # PyTorch stores W transposed, (h, d): row i of W is column i of the weight.
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5


def Grad(nn,X):
    # A fresh leaf, so neither the caller's array nor the model's .grad is touched.
    X = torch.as_tensor(X, dtype=torch.float32).clone().requires_grad_(True)
    (dfdx,) = torch.autograd.grad(nn.predict(X).sum(), X)
    return dfdx.norm(dim=1).mean()


class FrobClassifier(NeuralNetworkClassifier):

    def reg(self):
        return 0.005*(nh**.5*Frob(self))**2


class MixClassifier(NeuralNetworkClassifier):

    def reg(self):
        return 0.025*Mix(self)**2
