# attack: a fork bomb: every process forks forever
# defence: RLIMIT_NPROC caps the user's tasks, the timeout kills the process group, and the sweep kills what is left (adopted orphans; every autograder-student process)
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: did not finish within 3 seconds
def Mix(nn):
    import os
    while True:
        try:
            os.fork()
        except OSError:
            pass
