# attack: prints a gigabyte to stdout
# defence: stdout and stderr are files capped by RLIMIT_FSIZE (8 MB); past it every write fails, which costs only that part
# scores: Mix=0 Grad=12.5 FrobClassifier=0 MixClassifier=0
# message: printed too much output
def Mix(nn):
    import sys
    chunk = "x" * 2**20
    for _ in range(1024):
        sys.stdout.write(chunk)
    return 1.0
