# attack: returns NaN from Mix and infinity from Grad, values that break naive comparisons (nan != anything, inf - inf)
# defence: every value is checked to be finite before it is compared
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: expected a finite number
def Mix(nn):
    return float("nan")

def Grad(nn, X):
    return torch.tensor(float("inf"))
