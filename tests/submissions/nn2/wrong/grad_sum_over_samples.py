# mistake: Grad sums the gradient norms over the samples instead of averaging them
# loses: Grad
# hint: divide by N
def Grad(nn,X):
    X = torch.Tensor(X).requires_grad_(True)
    nn.predict(X).sum().backward()
    return X.grad.norm(dim=1).sum()
