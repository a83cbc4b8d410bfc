# attack: ignores SIGTERM, SIGINT and SIGHUP, then loops forever
# defence: a wall-clock limit per call, then SIGKILL to the child's whole process group (SIGKILL cannot be ignored)
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: did not finish within 3 seconds
def Mix(nn):
    import signal
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, signal.SIG_IGN)
    while True:
        pass
