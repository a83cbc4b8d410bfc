"""The hostile catalog: every attack in tests/hostile/<homework>/, graded in the three ways a grader runs.

* ta: the grader itself run by an ordinary user (a TA's laptop), where no user
  switch is possible and Landlock and the resource limits must do the work;
* gradescope: as root through run_autograder, student code dropped to autograder-student
  (the Gradescope container);
* gradescope without Landlock: the same with AUTOGRADER_LANDLOCK=off, as on Gradescope's
  4.14 kernel, where the user drop, the rlimits, the seccomp filter and the subreaper remain.

A case file holds the attacking answers (the reference's Mix and Grad fill the
gaps, the classifiers stay unimplemented unless `# with:` asks for them, so that
no case trains) and a header:

    # attack: what it tries, in one line
    # defence: what stops it, in one line (SECURITY.md lists every case)
    # scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0   exact part scores (full: the rubric's points)
    # message: text the feedback must contain           (optional, repeatable)
    # with: FrobClassifier                              reference answers to add
    # wait: 4                                           recheck results.json after this many seconds

Files in tests/hostile/<case>.files/ are uploaded beside the notebook, without
their .txt suffix (so pytest never imports a hostile conftest.py of ours).

Each case must end with a valid results.json, exactly the stated part scores, its
messages, no secret or grader path in the output, and a clean machine: no process and
no file of the student's user outside the case. How long a case takes is not asserted
(a busy machine must not fail the suite); the quick rubric's total_seconds ends any
grading by itself, and the subprocess timeouts only catch a grader that never ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import inprocess
from autograder import homework, rubric
from autograder.grading.grade import part_scores
from autograder.sandbox.processes import owned_entries
from catalog import answers_of, notebook_text, reference_answers
from conftest import HANG_SECONDS, ROOT, validate_results
from gradescope_sim import as_plain, installed, new_case, run_autograder, student_processes  # noqa: F401

HOSTILE = Path(__file__).parent / "hostile"
TA = "autograder-ta"
SEED = "5eedc0ffee5eedc0ffee"  # written into each case's grader: a leak of it would show in the output


@dataclass
class Case:
    path: Path
    homework: object
    attack: str
    defence: str
    scores: dict[str, float]
    messages: list[str] = field(default_factory=list)
    with_parts: list[str] = field(default_factory=list)
    wait: float = 0
    listen: bool = False  # the test listens on 127.0.0.1 (TCP and UDP) and the case's tokens name the ports
    without_landlock: str = ""  # the defence where Landlock is missing (Gradescope's kernel), when it differs

    @property
    def name(self) -> str:
        return f"{self.homework.id}/{self.path.stem}"

    def notebook(self, ports: dict | None = None) -> str:
        """The attack on top of the reference's answers; parts that train are left out unless `# with:` asks."""
        hw = self.homework
        ref = reference_answers(hw)
        trained = {q.part for q in inprocess.asked(hw, seed=False)[0] if q.long}
        answers = {p: ("" if p in trained and p not in self.with_parts else ref[p]) for p in hw.handout.ANSWERS}
        attack = self.path.read_text()
        for token, port in (ports or {}).items():
            attack = attack.replace(token, str(port))
        answers.update(answers_of(attack, hw))
        return notebook_text(answers, hw)

    def companions(self) -> dict[str, bytes]:
        folder = self.path.with_suffix(".files")
        if not folder.is_dir():
            return {}
        return {p.name.removesuffix(".txt"): p.read_bytes() for p in folder.iterdir()}


def read_case(path: Path, hw) -> Case:
    fields: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        m = re.match(r"#\s*(attack|defence|scores|message|with|wait|listen|without landlock):\s*(.*)", line)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
    parts = rubric.load(hw).parts
    scores = {k: parts[k] if v == "full" else float(v) for k, v in (kv.split("=") for kv in fields["scores"][0].split())}
    assert set(scores) == set(parts), f"{path.name}: scores must name every part"
    with_parts = [p.strip() for v in fields.get("with", []) for p in v.split(",") if p.strip()]
    return Case(path, hw, fields["attack"][0], fields["defence"][0], scores, fields.get("message", []),
                with_parts, float(fields.get("wait", ["0"])[0]), "listen" in fields,
                fields.get("without landlock", [""])[0])


PACKS = [homework.load(h) for h in homework.ids()]
CASES = [read_case(p, hw) for hw in PACKS for p in sorted((HOSTILE / hw.id).glob("*.py"))]


def quick_rubric_text(hw) -> str:
    """The homework's packaged rubric with short limits: a hanging case costs seconds, not minutes."""
    text = hw.rubric_path.read_text()
    for key, value in (("load_seconds", 12), ("call_seconds", 3), ("train_seconds", 60), ("disk_mb", 64),
                       ("total_seconds", 150)):
        text, n = re.subn(rf"^{key} = \S+", f"{key} = {value}", text, flags=re.M)
        assert n == 1, key
    return text


class Listeners:
    """A TCP and a UDP listener on 127.0.0.1 (and UDP on ::1) for a case that tries to reach them; afterwards,
    `received()` says what arrived: a connection, or any datagram."""

    def __init__(self):
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM)]
        self.udp[0].bind(("127.0.0.1", 0))
        port = self.udp[0].getsockname()[1]
        try:
            six = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            six.bind(("::1", port))
            self.udp.append(six)
        except OSError:  # no IPv6 here: the case's UDP over ::1 fails by itself
            pass
        self.ports = {"TCP_PORT": self.tcp.getsockname()[1], "UDP_PORT": port}
        for s in (self.tcp, *self.udp):
            s.setblocking(False)

    def received(self) -> list[str]:
        found = []
        try:
            self.tcp.accept()
            found.append("a TCP connection")
        except BlockingIOError:
            pass
        for s in self.udp:
            try:
                found.append(f"a datagram: {s.recvfrom(100)[0]!r}")
            except BlockingIOError:
                pass
        return found

    def close(self):
        for s in (self.tcp, *self.udp):
            s.close()


@contextlib.contextmanager
def listening(case: Case):
    """The case's ports (none unless it listens); on leaving, nothing may have reached the listeners."""
    if not case.listen:
        yield {}
        return
    listeners = Listeners()
    try:
        yield listeners.ports
        time.sleep(0.5)  # a datagram sent at the very end has long arrived on loopback by now
        assert listeners.received() == [], "student code reached the network"
    finally:
        listeners.close()


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
    # mkdtemp's 0700 from the start: a Gradescope case's student on the other test worker walks
    # /tmp, and a folder left open while the grader is copied in would hand it the TA's files.
    base = Path(tempfile.mkdtemp(prefix="autograder-ta-"))
    if os.geteuid() == 0:
        venv_python = str(request.getfixturevalue("installed")["root"] / "venv" / "bin" / "python")
        user = ensure_user(TA)
        runner = ["runuser", "-u", TA, "--"]
    else:
        venv_python, user, runner = sys.executable, pwd.getpwuid(os.getuid()), []
    src = base / "src"
    shutil.copytree(ROOT / "autograder", src / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "secret_seed"))
    (src / "secret_seed").write_text(SEED + "\n")
    for hw in PACKS:
        (src / f"quick_{hw.id}.toml").write_text(quick_rubric_text(hw))
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", f"{user.pw_uid}:{user.pw_gid}", str(base)], check=True)
    assert base.stat().st_mode & 0o077 == 0, "the TA's own files: no other account may read them"
    yield {"base": base, "src": src, "python": venv_python, "user": user, "runner": runner}
    shutil.rmtree(base, ignore_errors=True)


def run_as_ta(ta, case: Case, ports: dict) -> tuple[dict, float, Path]:
    folder = Path(tempfile.mkdtemp(prefix=f"{case.homework.id}-{case.path.stem}-", dir=ta["base"]))
    (folder / "hw.ipynb").write_text(case.notebook(ports))
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
                          "--rubric", str(ta["src"] / f"quick_{case.homework.id}.toml")],
                         cwd=folder, capture_output=True, text=True, timeout=HANG_SECONDS)
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads(results.read_text())
    if "The grader failed" in data["output"]:  # the grader's own trace, which only its error output holds
        print(run.stderr[-6000:])
    return data, seconds, results


@pytest.fixture(scope="session")
def sources(installed, tmp_path_factory):
    """homework id -> the source folder of its Gradescope zip, built with the quick rubric and the test seed."""
    out = {}
    for hw in PACKS:
        folder = tmp_path_factory.mktemp(f"source-{hw.id}")
        (folder / "quick.toml").write_text(quick_rubric_text(hw))
        zip_path = folder / "autograder.zip"
        build = subprocess.run([sys.executable, "-m", "autograder", "build", "gradescope", "--homework", hw.id,
                                "--rubric", str(folder / "quick.toml"), "--seed", SEED, "--out", str(zip_path)],
                               capture_output=True, text=True, cwd=ROOT)
        assert build.returncode == 0, build.stderr
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(folder / "source")
        out[hw.id] = folder / "source"
    return out


def run_on_gradescope(installed, sources, case: Case, ports: dict, landlock: bool = True) -> tuple[dict, float, Path]:
    folder = new_case(installed)
    (folder / "source").unlink()  # this case's own source: its homework's zip, with the quick rubric
    shutil.copytree(sources[case.homework.id], folder / "source", symlinks=True)
    subprocess.run(["chmod", "-R", "go-rwx", str(folder / "source")], check=True)  # as setup.sh leaves it
    (folder / "submission" / "hw.ipynb").write_text(case.notebook(ports))
    for name, data in case.companions().items():
        (folder / "submission" / name).write_bytes(data)
    (folder / "submission_metadata.json").write_text(json.dumps({"id": 1, "users": [{"name": "Mallory"}]}))
    started = time.monotonic()
    run = run_autograder(installed, folder, {} if landlock else {"AUTOGRADER_LANDLOCK": "off"})
    seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    results = folder / "results" / "results.json"
    data = json.loads(results.read_text())
    assert data["output_format"] == "md" and {t["output_format"] for t in data["tests"]} <= {"md"}
    return as_plain(data), seconds, results


def snapshot(user: str, allowed: Path) -> tuple[set[str], set[str]]:
    """What of the user runs and lies around before a case: only what the case adds counts against it."""
    return live_pids(user), set(owned_files(pwd.getpwnam(user).pw_uid, allowed))


def live_pids(user: str) -> set[str]:
    return {line.split()[1] for line in student_processes(user)}


def assert_harmless(case: Case, data: dict, seconds: float, results: Path, user: str, allowed: Path,
                    grader_paths: list[str], before: tuple[set[str], set[str]]) -> None:
    assert "reached its time limit" not in text_of(data), f"the grading hit its total time limit after {seconds:.0f} s"
    validate_results(data)
    parts = {p: got for p, (got, _) in part_scores(data, case.scores).items()}
    assert parts == case.scores, "\n".join(t["output"] for t in data["tests"])
    text = json.dumps(data, ensure_ascii=False)
    for message in case.messages:
        assert message in text, f"expected the message {message!r} in:\n" + "\n".join(t["output"] for t in data["tests"])
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
        assert as_plain(json.loads(results.read_text())) == data, "results.json changed after grading ended"


def text_of(data: dict) -> str:
    return "\n".join([data["output"], *(t["output"] for t in data["tests"])])


def test_security_md_lists_exactly_the_cases_of_the_catalog_with_their_defences():
    """The table instructors read is the catalog the suite runs: a case added, removed or renamed on one side
    only fails here."""
    rows = [line.split("|")[1:-1] for line in (ROOT / "SECURITY.md").read_text().splitlines()
            if re.match(r"^\| (\w+) \| `\w+` \|", line)]
    listed = {(r[0].strip(), r[1].strip().strip("`")) for r in rows}
    assert listed == {(c.homework.id, c.name.split("/")[-1]) for c in CASES}
    assert len({c.attack for c in CASES}) == len(CASES)  # each case attacks in its own way


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_hostile_submission_graded_by_a_ta_gains_nothing(case, ta_setup):
    user = ta_setup["user"].pw_name
    before = snapshot(user, ta_setup["base"])
    with listening(case) as ports:
        data, seconds, results = run_as_ta(ta_setup, case, ports)
    assert_harmless(case, data, seconds, results, user, ta_setup["base"], [str(ta_setup["src"])], before)


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="the Gradescope simulation needs root, as Gradescope has")
@pytest.mark.parametrize("landlock", [True, False], ids=["landlock", "no-landlock"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_hostile_submission_on_gradescope_gains_nothing(case, landlock, installed, sources):
    """Twice: with Landlock, and as on Gradescope's 4.14 kernel, which has none (AUTOGRADER_LANDLOCK=off)."""
    before = snapshot(installed["student"], installed["base"])
    with listening(case) as ports:
        data, seconds, results = run_on_gradescope(installed, sources, case, ports, landlock)
    assert_harmless(case, data, seconds, results, installed["student"], installed["base"], [str(installed["base"])],
                    before)


def security_table() -> str:
    """SECURITY.md's table of the catalog, from the cases' own headers."""
    rows = ["| homework | case | attack | defence | without Landlock (Gradescope's kernel) |", "|---|---|---|---|---|"]
    for c in CASES:
        rows.append(f"| {c.homework.id} | `{c.path.stem}` | {c.attack} | {c.defence} | {c.without_landlock or 'the same'} |")
    return "\n".join(rows) + "\n"


def test_security_md_holds_the_catalogs_table_with_every_case_and_defence():
    """SECURITY.md's table is the cases' headers: `python tests/test_hostile.py` prints it."""
    assert security_table() in (ROOT / "SECURITY.md").read_text(), "run: .venv/bin/python tests/test_hostile.py"


if __name__ == "__main__":
    print(security_table(), end="")
