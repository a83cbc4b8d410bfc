# attack: registers an atexit hook that writes a full-marks results.json wherever the grader's results could be
# defence: children are killed with SIGKILL (no atexit runs), and could write only in their scratch folder anyway
# without landlock: the same (SIGKILL, no atexit); the results folder is 700 root
# scores: Mix=full Grad=full FrobClassifier=0 MixClassifier=0
def Mix(nn):
    import atexit, os
    def forge():
        for t in ("results.json", "../results.json", "/autograder/results/results.json"):
            try:
                open(t, "w").write('{"score": 40, "tests": []}')
            except OSError:
                pass
    atexit.register(forge)
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5
