# attack: hessian() overwrites, in place, the X it is given and the handout's X, T and Xc it finds among its globals, so that later questions see other data; the notebook also rebinds LinearModel
# defence: the child keeps its own copy of the handout's data from before any student code ran, and hands each question a fresh private copy; the parent compares against its own copies; the handout's names always come from the handout
# scores: hessian=0 autograd_hessian=full condition_number=full predicted_condition_number=full gradient_descent=full
# message: hessian(X) returned the wrong array on
def hessian(Z):
    for name in ("X", "Xc", "T"):
        try:
            globals()[name][...] = 0
        except Exception:
            pass
    Z[...] = 1.0
    return Z.T @ Z / len(Z)

LinearModel = None
