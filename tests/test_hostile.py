"""The hostile catalog: every attack in tests/hostile/, graded in both ways a grader runs.

* gradescope: as root through run_autograder, student code dropped to nn2student
  (the Gradescope container);
* ta: the grader itself run by an ordinary user (a TA's laptop), where no user
  switch is possible and Landlock and the resource limits must do the work.

A case file holds the attacking answers (the reference's Mix and Grad fill the
gaps, the classifiers stay unimplemented unless `# with:` asks for them, so that
no case trains) and a header:

    # attack: what it tries, in one line
    # defence: what stops it, in one line (SECURITY.md lists every case)
    # scores: Mix=0 Grad=12.5 FrobClassifier=0 MixClassifier=0   exact part scores
    # message: text the feedback must contain           (optional, repeatable)
    # with: FrobClassifier                              reference answers to add
    # wait: 4                                           recheck results.json after this many seconds

Files in tests/hostile/<case>.files/ are uploaded beside the notebook, without
their .txt suffix (so pytest never imports a hostile conftest.py of ours).

Each case must end within BOUND_SECONDS with a valid results.json, exactly the
stated part scores, its messages, no secret or grader path in the output, and a
clean machine: no process and no file of the student's user outside the case.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from catalog import answers_of, notebook_text, reference_answers
from autograder.sandbox.runner import owned_entries
from conftest import ROOT, validate_results
from gradescope_sim import installed, new_case, run_autograder, student_processes  # noqa: F401

HOSTILE = Path(__file__).parent / "hostile"
BOUND_SECONDS = 60  # load limit 12 + a few 3-second calls and restarts; the slowest case takes about 25
TA = "nn2ta"
PARTS = ("Mix", "Grad", "FrobClassifier", "MixClassifier")
SEED = "5eedc0ffee5eedc0ffee"  # written into each case's grader: a leak of it would show in the output


@dataclass
class Case:
    path: Path
    attack: str
    defence: str
    scores: dict[str, float]
    messages: list[str] = field(default_factory=list)
    with_parts: list[str] = field(default_factory=list)
    wait: float = 0

    @property
    def name(self) -> str:
        return self.path.stem

    def notebook(self) -> str:
        ref = reference_answers()
        answers = {"Mix": ref["Mix"], "Grad": ref["Grad"], "FrobClassifier": "", "MixClassifier": ""}
        answers.update({p: ref[p] for p in self.with_parts})
        answers.update(answers_of(self.path.read_text()))
        return notebook_text(answers)

    def companions(self) -> dict[str, bytes]:
        folder = self.path.with_suffix(".files")
        if not folder.is_dir():
            return {}
        return {p.name.removesuffix(".txt"): p.read_bytes() for p in folder.iterdir()}


def read_case(path: Path) -> Case:
    fields: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        m = re.match(r"#\s*(attack|defence|scores|message|with|wait):\s*(.*)", line)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
    scores = {k: float(v) for k, v in (kv.split("=") for kv in fields["scores"][0].split())}
    assert set(scores) == set(PARTS), f"{path.name}: scores must name all four parts"
    with_parts = [p.strip() for v in fields.get("with", []) for p in v.split(",") if p.strip()]
    return Case(path, fields["attack"][0], fields["defence"][0], scores, fields.get("message", []),
                with_parts, float(fields.get("wait", ["0"])[0]))


CASES = [read_case(p) for p in sorted(HOSTILE.glob("*.py"))]


def quick_rubric_text() -> str:
    """The packaged rubric with short limits: a hanging case costs seconds, not minutes."""
    text = (ROOT / "autograder" / "rubric.toml").read_text()
    for key, value in (("load_seconds", 12), ("call_seconds", 3), ("train_seconds", 60), ("disk_mb", 64)):
        text, n = re.subn(rf"^{key} = \S+", f"{key} = {value}", text, flags=re.M)
        assert n == 1, key
    return text


def ensure_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", name], check=True)
        return pwd.getpwnam(name)


def owned_files(uid: int, allowed: Path) -> list[str]:
    """Top-level entries of the shared writable folders owned by `uid`, besides `allowed`."""
    return [e.path for e in owned_entries(uid) if not Path(e.path).resolve().is_relative_to(allowed)]


# ----------------------------------------------------------------------------- the two ways to run a case

@pytest.fixture(scope="session")
def ta_setup(request):
    """An ordinary account with its own copy of the grader and a Python it can run.

    As root (CI): the account nn2ta and the Gradescope simulation's venv (a system
    Python every account can execute). As an ordinary user: this user and this Python.
    """
    base = Path(tempfile.mkdtemp(prefix="nn2-ta-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        venv_python = str(request.getfixturevalue("installed")["root"] / "venv" / "bin" / "python")
        user = ensure_user(TA)
        runner = ["runuser", "-u", TA, "--"]
    else:
        venv_python, user, runner = sys.executable, pwd.getpwuid(os.getuid()), []
    src = base / "src"
    shutil.copytree(ROOT / "autograder", src / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "secret_seed"))
    (src / "autograder" / "secret_seed").write_text(SEED + "\n")
    (src / "quick.toml").write_text(quick_rubric_text())
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(base)], check=True)
    yield {"base": base, "src": src, "python": venv_python, "user": user, "runner": runner}
    shutil.rmtree(base, ignore_errors=True)


def run_as_ta(ta, case: Case) -> tuple[dict, float, Path]:
    folder = Path(tempfile.mkdtemp(prefix=f"{case.name}-", dir=ta["base"]))
    (folder / "hw.ipynb").write_text(case.notebook())
    for name, data in case.companions().items():
        (folder / name).write_bytes(data)
    if os.geteuid() == 0:
        os.chown(folder, ta["user"].pw_uid, ta["user"].pw_gid)
        for p in folder.iterdir():
            os.chown(p, ta["user"].pw_uid, ta["user"].pw_gid)
    results = folder / "results.json"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ta["src"]), "HOME": str(folder), "LANG": "C.UTF-8"}
    started = time.monotonic()
    run = subprocess.run([*ta["runner"], "env", *(f"{k}={v}" for k, v in env.items()), ta["python"], "-P", "-m",
                          "autograder", "grade", str(folder / "hw.ipynb"), "--results", str(results),
                          "--rubric", str(ta["src"] / "quick.toml")],
                         cwd=folder, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads(results.read_text()), seconds, results


def run_on_gradescope(installed, case: Case) -> tuple[dict, float, Path]:
    folder = new_case(installed)
    (folder / "source").unlink()  # this case's own source: the same grader with the quick rubric
    shutil.copytree(installed["root"] / "source", folder / "source", symlinks=True)
    (folder / "source" / "rubric.toml").write_text(quick_rubric_text())
    (folder / "source" / "secret_seed").write_text(SEED + "\n")
    (folder / "submission" / "hw.ipynb").write_text(case.notebook())
    for name, data in case.companions().items():
        (folder / "submission" / name).write_bytes(data)
    (folder / "submission_metadata.json").write_text(json.dumps({"id": 1, "users": [{"name": "Mallory"}]}))
    started = time.monotonic()
    run = run_autograder(installed, folder)
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    results = folder / "results" / "results.json"
    return json.loads(results.read_text()), seconds, results


def snapshot(user: str, allowed: Path) -> tuple[set[str], set[str]]:
    """What of the user runs and lies around before a case: only what the case adds counts against it."""
    return live_pids(user), set(owned_files(pwd.getpwnam(user).pw_uid, allowed))


def live_pids(user: str) -> set[str]:
    return {line.split()[1] for line in student_processes(user)}


def assert_harmless(case: Case, data: dict, seconds: float, results: Path, user: str, allowed: Path,
                    grader_paths: list[str], before: tuple[set[str], set[str]]) -> None:
    assert seconds < BOUND_SECONDS, f"grading took {seconds:.0f} s"
    validate_results(data)
    parts = {p: 0.0 for p in PARTS}
    for test in data["tests"]:
        part = next(t for t in test["tags"] if t in PARTS)
        parts[part] += test["score"]
    assert parts == case.scores, "\n".join(t["output"] for t in data["tests"])
    text = json.dumps(data, ensure_ascii=False)
    for message in case.messages:
        assert message in text, f"expected the message {message!r}"
    # Nothing of the grader leaks: no seed, no traceback of ours, no path of its files.
    assert SEED not in text
    assert "Traceback" not in text and "\x1b" not in text
    for path in grader_paths:
        assert path not in text, path
    # The machine is clean: nothing of the student's user runs or remains.
    assert live_pids(user) - before[0] == set(), student_processes(user)
    assert set(owned_files(pwd.getpwnam(user).pw_uid, allowed)) - before[1] == set()
    if case.wait:
        time.sleep(case.wait)
        assert json.loads(results.read_text()) == data, "results.json changed after grading ended"


def test_the_catalog_covers_at_least_25_attacks():
    assert len(CASES) >= 25
    assert len({c.attack for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_hostile_submission_graded_by_a_ta_gains_nothing(case, ta_setup):
    user = ta_setup["user"].pw_name
    before = snapshot(user, ta_setup["base"])
    data, seconds, results = run_as_ta(ta_setup, case)
    assert_harmless(case, data, seconds, results, user, ta_setup["base"], [str(ta_setup["src"])], before)


@pytest.mark.skipif(os.geteuid() != 0, reason="the Gradescope simulation needs root, as Gradescope has")
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_hostile_submission_on_gradescope_gains_nothing(case, installed):
    before = snapshot(installed["student"], installed["base"])
    data, seconds, results = run_on_gradescope(installed, case)
    assert_harmless(case, data, seconds, results, installed["student"], installed["base"], [str(installed["base"])],
                    before)


def test_security_md_names_every_case_with_its_defence():
    text = (ROOT / "SECURITY.md").read_text()
    for case in CASES:
        assert f"`{case.name}`" in text, f"SECURITY.md does not name {case.name}"
