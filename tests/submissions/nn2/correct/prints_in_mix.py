# style: prints 300 MB in Mix's first call (debug output), otherwise the reference: printing costs nothing
def Mix(nn):
    if not getattr(Mix, "printed", False):
        Mix.printed = True
        line = "debug " * 174763 + "\n"  # about 1 MB
        for _ in range(300):
            print(line, end="")
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5
