# mistake: Grad differentiates the sum of the hidden layer, leaving out the pooling signs s
# loses: Grad
# hint: f is taken without the pooling with s
def Grad(nn,X):
    X = torch.Tensor(X).requires_grad_(True)
    nn.model(X).sum().backward()
    return X.grad.norm(dim=1).mean()
