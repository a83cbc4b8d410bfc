# attack: starts sleeping threads until the system refuses, and keeps trying
# defence: RLIMIT_NPROC counts threads, RLIMIT_AS caps their stacks, the call's timeout ends the process
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: did not finish within 3 seconds
def Mix(nn):
    import threading, time
    while True:
        try:
            threading.Thread(target=time.sleep, args=(10**6,), daemon=True).start()
        except Exception:
            pass
