# attack: allocates memory without end (bytearrays in Mix, one huge tensor in Grad)
# defence: RLIMIT_AS per child turns the bomb into MemoryError in the student's own call, before the machine or container runs out
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: MemoryError
def Mix(nn):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 2**20))

def Grad(nn, X):
    return torch.ones(10**11).sum()
