# mistake: Mix computes the Frobenius norm instead of the mixed l1/l2 norm
# loses: Mix, MixClassifier
# hint: That is ||W||_Frob
def Mix(nn):
    W = list(nn.model)[0].weight
    return torch.sqrt((W**2).sum())
