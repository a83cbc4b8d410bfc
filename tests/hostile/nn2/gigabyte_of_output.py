# attack: prints without end to stdout in Mix, and 50 MB to stderr in an otherwise right Grad
# defence: stdout and stderr are pipes the grader empties as they fill: printing never fails and costs no points, past 1 MB it is counted and dropped, and a print loop ends at its time limit
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) did not finish within 3 seconds
# message: Printing costs no points
def Mix(nn):
    import sys
    chunk = "x" * 2**20
    while True:
        sys.stdout.write(chunk)

def Grad(nn, X):
    import sys
    if not getattr(Grad, "printed", False):
        Grad.printed = True
        for _ in range(50):
            sys.stderr.write("e" * 2**20)
    X = torch.as_tensor(X, dtype=torch.float32).clone().requires_grad_(True)
    (dfdx,) = torch.autograd.grad(nn.predict(X).sum(), X)
    return dfdx.norm(dim=1).mean()
