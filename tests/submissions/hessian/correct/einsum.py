# style: torch einsum everywhere; autograd_hessian of a closure re-implementing the objective; torch.linalg.eigvalsh
def hessian(X):
    X = torch.as_tensor(X, dtype=torch.float64)
    return torch.einsum('ni,nj->ij', X, X)/X.shape[0]

def autograd_hessian(model, X, T):
    X = torch.as_tensor(X, dtype=torch.float32)
    T = torch.as_tensor(T, dtype=torch.float32)
    b = model.b.detach()
    def J(w):
        y = torch.einsum('ni,i->n', X, w) + b
        return torch.einsum('n->', 0.5*(1 - y*T)**2)/len(T)
    return torch.autograd.functional.hessian(J, model.w.detach().clone())

def condition_number(H):
    ev = torch.linalg.eigvalsh(torch.as_tensor(H, dtype=torch.float64))
    return (ev.max()/ev.min()).item()

def predicted_condition_number(mu, sigma):
    mu = torch.as_tensor(mu, dtype=torch.float64)
    return 1 + torch.einsum('i,i->', mu, mu).item()/sigma**2
