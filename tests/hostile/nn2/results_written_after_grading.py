# attack: a detached background process (double fork, new session, and a nohup shell) sleeps 3 seconds and then writes a full-marks results.json
# defence: the grader is a child subreaper: detached processes are re-parented to it and killed, with every process of autograder-student, before results.json is written
# scores: Mix=full Grad=full FrobClassifier=0 MixClassifier=0
# wait: 5
def Mix(nn):
    import os, subprocess, time
    targets = ["/autograder/results/results.json"]
    try:
        args = open(f"/proc/{os.getppid()}/cmdline", "rb").read().decode(errors="replace").split("\0")
        for i, a in enumerate(args[:-1]):
            if a == "--results":
                targets.append(args[i + 1])
            if a == "--root":
                targets.append(args[i + 1] + "/results/results.json")
    except OSError:
        pass
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(3)
            for t in targets:
                try:
                    open(t, "w").write('{"score": 40, "tests": []}')
                except OSError:
                    pass
        os._exit(0)
    try:
        subprocess.Popen(["sh", "-c", "sleep 3; for t in " + " ".join(targets) + "; do echo '{\"score\": 40}' > $t; done"],
                         start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        pass
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5
