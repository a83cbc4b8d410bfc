# mistake: Grad writes the gradient by hand as sum_j s_j W_:,j, forgetting the ReLU's derivative 1[a_j > 0]
# loses: Grad
# hint: The ReLU's derivative is missing
def Grad(nn,X):
    W = list(nn.model)[0].weight
    X = torch.as_tensor(X, dtype=torch.float32)
    dfdx = (nn.s @ W).expand(len(X), -1)
    return dfdx.norm(dim=1).mean()
