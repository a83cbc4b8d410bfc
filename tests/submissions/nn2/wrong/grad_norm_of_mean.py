# mistake: Grad takes the norm of the mean gradient instead of the mean of the norms
# loses: Grad
# hint: That is the norm of the mean gradient
def Grad(nn,X):
    X = torch.Tensor(X).requires_grad_(True)
    nn.predict(X).mean().backward()
    return X.grad.sum(dim=0).norm()
