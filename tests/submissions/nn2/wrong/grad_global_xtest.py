# mistake: Grad ignores its argument and always uses the global Xtest
# loses: Grad
# hint: reads the global Xtest instead of its argument X
def Grad(nn,X):
    Z = torch.Tensor(Xtest).requires_grad_(True)
    nn.predict(Z).sum().backward()
    return Z.grad.norm(dim=1).mean()
