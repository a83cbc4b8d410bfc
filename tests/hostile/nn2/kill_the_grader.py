# attack: signals the grader (its parent), the grader's process group, and every process it may signal (kill -1)
# defence: the grader runs as root (Gradescope) or outside the child's Landlock signal scope (a TA); kill -1 reaches only processes inside the child's own sandbox
# without landlock: the child runs as autograder-student and cannot signal root's grader; kill -1 reaches only the account's own processes
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1 on
def Mix(nn):
    import os, signal
    parent = os.getppid()
    for action in (lambda: os.kill(parent, signal.SIGKILL), lambda: os.killpg(os.getpgid(parent), signal.SIGKILL),
                   lambda: os.kill(parent, signal.SIGSTOP), lambda: os.kill(1, signal.SIGKILL)):
        try:
            action()
        except OSError:
            pass
    os.kill(-1, signal.SIGKILL)
    return 1.0
