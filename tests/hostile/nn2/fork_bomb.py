# attack: a fork bomb: every process forks forever
# defence: RLIMIT_NPROC caps the user's tasks, the timeout kills the process group, and the sweep kills what is left (adopted orphans; every nn2student process)
# scores: Mix=0 Grad=12.5 FrobClassifier=0 MixClassifier=0
# message: did not finish within 3 seconds
def Mix(nn):
    import os
    while True:
        try:
            os.fork()
        except OSError:
            pass
