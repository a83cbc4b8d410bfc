# mistake: Grad sums the gradient norms over the samples instead of averaging them
# loses: Grad
# hint: Grad sums over the samples instead of averaging
def Grad(nn,X):
    X = torch.Tensor(X).requires_grad_(True)
    nn.predict(X).sum().backward()
    return X.grad.norm(dim=1).sum()
