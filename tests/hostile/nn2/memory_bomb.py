# attack: allocates memory without end (bytearrays in Mix, one huge tensor in Grad)
# defence: RLIMIT_AS per child turns the bomb into MemoryError in the student's own call, before the machine or container runs out
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: MemoryError
def Mix(nn):
    hoard = []
    while True:
        # A gigabyte at a time: the limit answers at the first allocation, not a clock (64 MB steps, each one
        # zero-filled, once ran into the 3-second call limit first on a busy machine).
        hoard.append(bytearray(2**30))

def Grad(nn, X):
    return torch.ones(10**11).sum()
