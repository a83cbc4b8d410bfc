# mistake: Mix sums |w| over dim=1, forgetting that PyTorch stores W transposed (h, d)
# loses: Mix, MixClassifier
# hint: over the wrong axis of the weight: PyTorch stores W as (h, d)
def Mix(nn):
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=1)**2).sum()**.5
