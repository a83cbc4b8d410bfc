# attack: imports the oracle, checks, rubric, seed reader and reference solution by name, also after adding the grader's folders to sys.path
# defence: the child runs with python -I -S from a kit holding only its own code; the grader's folders are unreadable to it
# without landlock: the same: the kit holds only child code, and the grader's source is 700 root
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1000 on
def Mix(nn):
    import importlib, os, sys
    try:
        args = open(f"/proc/{os.getppid()}/cmdline", "rb").read().decode(errors="replace").split("\0")
        sys.path += [os.path.dirname(a) for a in args if a.startswith("/")]
        sys.path += [a + "/source" for a in args if a.startswith("/")]
    except OSError:
        pass
    sys.path += ["/autograder/source", "/autograder/source/autograder"]
    found = 0
    for name in ("autograder.homeworks.nn2.oracle", "autograder.homeworks.nn2.checks.check_mix", "autograder.rubric",
                 "autograder.grading.checks", "autograder.grading.expectations", "autograder.grading.seed", "autograder.pack",
                 "oracle", "reference.nn2.solution",
                 "solution"):
        try:
            sys.modules.pop(name, None)
            importlib.import_module(name)
            found += 1
        except Exception:
            pass
    return 1000.0 + found
