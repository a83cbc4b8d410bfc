# attack: looks for secrets in its environment and in /proc: the grader's environ, memory, maps and open files, and init's environ
# defence: a scrubbed environment; /proc of the grader is closed to it (another user as autograder-student; Landlock's ptrace rule as a TA)
# without landlock: the grader runs as root and the child as autograder-student: /proc of root's processes is closed to another user without Landlock
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1000 on
def Mix(nn):
    import os
    expected_env = {"PATH", "HOME", "TMPDIR", "LANG", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LC_CTYPE"}
    found = len(set(os.environ) - expected_env)
    parent = os.getppid()
    for path in (f"/proc/{parent}/environ", f"/proc/{parent}/maps", "/proc/1/environ"):
        try:
            if open(path, "rb").read():
                found += 1
        except OSError:
            pass
    try:
        with open(f"/proc/{parent}/mem", "rb") as mem:
            mem.read(1)
        found += 1
    except (OSError, ValueError):
        pass
    try:
        for fd in os.listdir(f"/proc/{parent}/fd"):
            try:
                open(f"/proc/{parent}/fd/{fd}", "rb").read(1)
                found += 1
            except OSError:
                pass
    except OSError:
        pass
    return 1000.0 + found
