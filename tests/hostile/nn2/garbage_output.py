# attack: writes invalid UTF-8 and terminal escape sequences to stdout and stderr and into its exception messages, then dies
# defence: every text from the child is decoded with replacement, stripped of control characters and cut to 600 characters
# scores: Mix=0 Grad=0 FrobClassifier=0 MixClassifier=0
# message: exited with code 1
def Mix(nn):
    import sys
    sys.stdout.buffer.write(b"\xff\xfe\x1b[2J\x1b]0;owned\x07")
    sys.stderr.buffer.write(b"\xc3\x28\x1b[31m")
    raise ValueError("\x1b[2J\x1b[31mscore: 40\x07 \udcff" + "A" * 100_000)

def Grad(nn, X):
    import os, sys
    sys.stderr.buffer.write(b"\x1b]52;c;cGF5bG9hZA==\x07\xff\xfe broken \x1b[0m\n")
    sys.stderr.flush()
    os._exit(1)
