"""A TA's batch as root with --run-as, with and without Landlock: student code writes nothing of the grader's.

Without Landlock (AUTOGRADER_LANDLOCK=off, as on a cluster node whose kernel has none) a submission
that writes into the grader's venv would change every later grading. Here a course is graded as root
by a copy of the grader only root may read, from a virtual environment on the system's Python (the
Gradescope simulation's, which every account may run), with student code switched to the accounts
setup.sh made. The writer tries the grader's venv, its package, root's home and the other students'
output folder; every write fails, its own points stand, and the other students get the grades a batch
without it gives them.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from catalog import notebook_text, reference_answers
from conftest import HANG_SECONDS, NN2, NN2_RUBRIC, ROOT
from gradescope_sim import installed  # noqa: F401

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="switching users needs root, as a TA's --run-as does")]

WRITER = '''
def Mix(nn):
    import os, sys
    folders = {p for p in sys.path if p.rstrip("/").endswith("site-packages")}
    folders |= {sys.prefix, "/root", "SRC_FOLDER", "SRC_FOLDER/autograder", "OUT_FOLDER", "OUT_FOLDER/feedback",
                "OUT_FOLDER/state"}
    written = []
    for folder in sorted(folders):
        for name in ("zz_owned_by_a_student.pth", "sitecustomize.py", "alice.md", "alice.json"):
            target = os.path.join(folder, name)
            try:
                with open(target, "a") as f:
                    f.write("import os\\n")
                written.append(target)
            except OSError:
                pass
    if written:
        return 1000.0
    W = list(nn.model)[0].weight
    return (W.abs().sum(dim=0)**2).sum()**.5
'''


def notebook(mix: str | None) -> str:
    """The reference's Mix (or `mix`) and Grad; the classifiers as handed out, so that nothing trains."""
    answers = {name: "" for name in NN2.handout.ANSWERS}
    answers["Mix"], answers["Grad"] = mix or reference_answers(NN2)["Mix"], reference_answers(NN2)["Grad"]
    return notebook_text(answers, NN2)


@pytest.fixture(scope="module")
def grader(installed):
    """The grader as a TA's root would install it: a copy of the package only root may read, run by the venv
    every account may run, and the pool of accounts the Gradescope setup made."""
    base = Path(tempfile.mkdtemp(prefix="run-as-"))  # 0700
    shutil.copytree(ROOT / "autograder", base / "src" / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    pool = (installed["root"] / "source" / "student_accounts").read_text().strip()
    yield {"base": base, "src": base / "src", "python": installed["root"] / "venv" / "bin" / "python", "pool": pool,
           "venv": installed["root"] / "venv"}
    shutil.rmtree(base, ignore_errors=True)


def course(grader, name: str, with_writer: bool) -> tuple[Path, Path]:
    folder = grader["base"] / name
    out = grader["base"] / f"{name}-out"
    (folder).mkdir()
    if with_writer:  # first by name: graded first with --jobs 1
        writer = WRITER.replace("SRC_FOLDER", str(grader["src"])).replace("OUT_FOLDER", str(out))
        (folder / "aaron.ipynb").write_text(notebook(writer))
    (folder / "alice.ipynb").write_text(notebook(None))
    (folder / "bob.ipynb").write_text(notebook("def Mix(nn):\n    return 1.0\n"))
    return folder, out


def autograder(grader, *args, landlock: bool, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(grader["src"]), "LANG": "C.UTF-8",
           **({} if landlock else {"AUTOGRADER_LANDLOCK": "off"})}
    return subprocess.run([str(grader["python"]), "-P", "-m", "autograder", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=HANG_SECONDS)


def rows(out: Path) -> dict[str, dict]:
    with open(out / "grades.csv", newline="") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


def feedback(out: Path, student: str) -> list[tuple]:
    data = json.loads((out / "feedback" / f"{student}.json").read_text())
    return [(t["number"], t["score"], t["output"]) for t in data["tests"]]


def nothing_written(grader) -> None:
    planted = [p for folder in (grader["venv"], grader["src"], Path("/root"), grader["base"])
               for p in folder.rglob("zz_owned_by_a_student.pth")]
    planted += [p for p in grader["venv"].rglob("sitecustomize.py") if "site-packages" in p.parent.name]
    assert planted == []


def test_without_landlock_a_batch_as_root_is_refused_unless_it_switches_users(grader):
    folder, out = course(grader, "refused", with_writer=True)
    run = autograder(grader, "batch", folder, "--out", out, "--homework", "nn2", landlock=False, cwd=grader["base"])
    assert run.returncode == 2 and not out.exists()
    assert run.stderr.startswith("autograder: student code would run as root, the grader's own user, with no Landlock")


@pytest.mark.parametrize("landlock", [False, True], ids=["no-landlock", "landlock"])
def test_a_batch_with_run_as_refuses_every_write_of_the_writer_and_grades_the_others_as_without_it(grader, landlock):
    name = "landlock" if landlock else "no-landlock"
    folder, out = course(grader, f"with-{name}", with_writer=True)
    run = autograder(grader, "batch", folder, "--out", out, "--homework", "nn2", "--jobs", "1", "--run-as",
                     grader["pool"], landlock=landlock, cwd=grader["base"])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Sandbox: student code runs as one of" in run.stdout
    assert ("Landlock (ABI" in run.stdout) == landlock
    sheet = rows(out)
    assert float(sheet["aaron"]["Mix"]) == NN2_RUBRIC.parts["Mix"], "a write of the writer's succeeded"
    nothing_written(grader)
    recorded = json.loads((out / "batch.json").read_text())["sandbox"]
    assert recorded and recorded[0]["accounts"] == grader["pool"].split(",") and recorded[0]["walled"]
    without_folder, without_out = course(grader, f"without-{name}", with_writer=False)
    run = autograder(grader, "batch", without_folder, "--out", without_out, "--homework", "nn2", "--jobs", "1",
                     "--run-as", grader["pool"], landlock=landlock, cwd=grader["base"])
    assert run.returncode == 0, run.stdout + run.stderr
    alone = rows(without_out)
    for student in ("alice", "bob"):
        assert sheet[student]["total"] == alone[student]["total"] and sheet[student]["status"] == "graded"
        assert feedback(out, student) == feedback(without_out, student)


def test_grade_with_run_as_and_no_landlock_finishes_with_the_writers_own_points(grader):
    folder, out = course(grader, "one", with_writer=True)
    results = grader["base"] / "one.json"
    run = autograder(grader, "grade", folder / "aaron.ipynb", "--results", results, "--homework", "nn2",
                     "--run-as", grader["pool"], landlock=False, cwd=grader["base"])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "holds the account" in run.stdout
    data = json.loads(results.read_text())
    mix = sum(t["score"] for t in data["tests"] if "Mix" in t["tags"])
    assert mix == NN2_RUBRIC.parts["Mix"]
    nothing_written(grader)
