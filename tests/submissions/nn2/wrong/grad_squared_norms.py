# mistake: Grad averages the squared gradient norms
# loses: Grad
# hint: Grad averages the squared norms
def Grad(nn,X):
    X = torch.Tensor(X).requires_grad_(True)
    nn.predict(X).sum().backward()
    return (X.grad**2).sum(dim=1).mean()
