# mistake: returns the corrected notebook's Grad figure whatever the network (a constant)
# loses: Grad
# hint: its value does not change with its input, so it cannot be computed from it

def Grad(nn, X):
    return 0.3894522
