# attack: deletes and rewrites the child's grader code, links its captured stderr file to the grader's secret seed, and crashes so that the grader reads that file
# defence: the kit is read-only to the child (owned by root, or Landlock); stdout and stderr are pipes, so there is no captured file to swap for a link
# without landlock: the kit is owned by root and read-only to autograder-student
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: exited with code 1
def Mix(nn):
    import os, sys
    probes = sys.modules["autograder.homeworks.nn2.child.answers"].__file__
    for action in (lambda: os.remove(probes), lambda: open(probes, "a").write("\nSCORE = 40\n"),
                   lambda: os.chmod(probes, 0o777), lambda: os.rename(probes, probes + ".bak")):
        try:
            action()
        except OSError:
            pass
    seeds = ["/autograder/source/secret_seed"]
    try:
        args = open(f"/proc/{os.getppid()}/cmdline", "rb").read().decode(errors="replace").split("\0")
        for a in args:
            if a.startswith("/"):
                d = a if os.path.isdir(a) else os.path.dirname(a)
                seeds += [d + "/secret_seed", d + "/source/secret_seed", d + "/autograder/secret_seed"]
    except OSError:
        pass
    for target in seeds:
        if os.path.exists(target) or True:
            try:
                os.remove("stderr")
            except OSError:
                pass
            try:
                os.symlink(target, "stderr")
                break
            except OSError:
                pass
    os.symlink(seeds[-1], "results.json") if not os.path.exists("results.json") else None
    os._exit(1)
