# attack: returns arrays of the expected value repeated in shapes that broadcast against a scalar
# defence: a number must have exactly one element; any other shape is refused before comparison
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: of shape (100,)
# message: of shape (30,)
def Mix(nn):
    W = list(nn.model)[0].weight
    return torch.full((100,), float((W.abs().sum(dim=0)**2).sum()**.5))

def Grad(nn, X):
    return numpy.ones(30)
