# attack: signals the grader (its parent), the grader's process group, and every process it may signal (kill -1), with SIGKILL and then SIGTERM
# defence: no process of the sandbox may send SIGKILL (the seccomp filter refuses it); for other signals the grader runs as root (Gradescope) or outside the child's Landlock signal scope (a TA), and kill -1 reaches only processes inside the child's own sandbox
# without landlock: SIGKILL is refused by the seccomp filter; the child runs as autograder-student and cannot signal root's grader; kill -1 reaches only the account's own processes
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1 on
def Mix(nn):
    import os, signal
    parent = os.getppid()
    for sig in (signal.SIGKILL, signal.SIGTERM):
        for action in (lambda: os.kill(parent, sig), lambda: os.killpg(os.getpgid(parent), sig),
                       lambda: os.kill(parent, signal.SIGSTOP), lambda: os.kill(1, sig), lambda: os.kill(-1, sig)):
            try:
                action()
            except OSError:
                pass
    return 1.0
