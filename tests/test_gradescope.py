"""The Gradescope deployment, simulated: build the zip, install it into a folder standing for
/autograder with its own setup.sh, and run run_autograder there the way Gradescope does.

Needs root (Gradescope's setup.sh creates the student account and locks folders); CI runs as root.
"""

import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from autograder import rubric
from catalog import notebook_text, reference_answers
from conftest import HANG_SECONDS, NN2, NN2_RUBRIC, REFERENCE_NOTEBOOK, ROOT, TOTAL, total_without, validate_results
from gradescope_sim import (as_plain, autograder_env, installed, new_case, run_autograder, run_upload,  # noqa: F401
                            student_processes)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the Gradescope simulation needs root, as Gradescope has")]


def test_the_zip_has_setup_and_run_autograder_at_its_root_and_a_seed_but_no_local_secrets(installed):
    with zipfile.ZipFile(installed["zip"]) as z:
        names = set(z.namelist())
        assert {"setup.sh", "run_autograder", "requirements.txt", "rubric.toml", "secret_seed"} <= names
        assert z.read("secret_seed").decode().strip() == "5eed"
        assert "autograder/secret_seed" not in names
        assert (z.getinfo("run_autograder").external_attr >> 16) & 0o111
    assert "(CPU build)" in installed["setup_log"]


def test_setup_locks_the_source_and_results_away_from_the_student_account(installed):
    source = installed["root"] / "source"
    assert source.stat().st_mode & 0o077 == 0 and source.stat().st_uid == 0
    probe = subprocess.run(["runuser", "-u", installed["student"], "--", "cat", str(source / "secret_seed")],
                           capture_output=True, text=True)
    assert probe.returncode != 0


def test_the_reference_scores_40_in_the_container(installed):
    data = run_upload(installed, {"anything_named.ipynb": (REFERENCE_NOTEBOOK).read_bytes()})
    assert data["score"] == TOTAL
    assert "grading anything_named.ipynb" in data["_stdout"]


def test_the_handout_scores_0_and_a_stale_results_file_is_not_kept(installed):
    fake = json.dumps({"score": 40, "tests": []}).encode()
    data = run_upload(installed, {"neural_networks_2.ipynb": (NN2.template).read_bytes()},
                      prior_results=fake)
    assert data["score"] == 0 and len(data["tests"]) == len(NN2_RUBRIC.checks)


def test_an_empty_upload_scores_0_with_a_message_saying_what_to_upload(installed):
    data = run_upload(installed, {"notes.txt": b"I could not finish"})
    assert data["score"] == 0 and "Upload your homework notebook" in data["output"]


def test_two_files_at_once_grade_the_notebook_with_a_note(installed):
    handout = (NN2.template).read_bytes()
    data = run_upload(installed, {"neural_networks_2.ipynb": handout, "scratch.py": b"def Mix(nn): return 1\n"})
    assert "the notebook neural_networks_2.ipynb was graded" in data["output"]
    assert data["score"] == 0  # the handout, not the .py file


def test_a_zip_upload_is_unpacked_and_graded(installed, tmp_path):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("homework/solution.ipynb", (REFERENCE_NOTEBOOK).read_bytes())
        z.writestr("../escape.ipynb", b"{}")
    data = run_upload(installed, {"upload.zip": archive.read_bytes()})
    assert data["score"] == TOTAL


def test_of_several_notebooks_in_a_zip_only_the_handout_s_name_picks_one(installed, tmp_path):
    reference, handout = REFERENCE_NOTEBOOK.read_bytes(), NN2.template.read_bytes()

    def upload(files: dict) -> bytes:
        with zipfile.ZipFile(tmp_path / "upload.zip", "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
        return (tmp_path / "upload.zip").read_bytes()

    data = run_upload(installed, {"upload.zip": upload({"a.ipynb": reference, "b.ipynb": handout})})
    assert data["score"] == 0 and data["output"] == (
        f"The zip upload.zip holds 2 notebooks (a.ipynb, b.ipynb) and none is named {NN2.notebook}.ipynb: zip only "
        "your homework notebook, or upload the notebook itself.")
    data = run_upload(installed, {"upload.zip": upload({"draft.ipynb": handout, f"hw/{NN2.notebook}.ipynb": reference})})
    assert data["score"] == TOTAL
    assert (f"The notebook hw/{NN2.notebook}.ipynb in your zip upload.zip was graded, as it has the handout's name "
            "(also in the zip: draft.ipynb).") in data["output"]


HOSTILE_MIX = '''
def Mix(nn):
    import json, os, signal, subprocess
    root = {root!r}
    stolen = 0
    for path in (root + "/source/secret_seed", root + "/source/rubric.toml", root + "/source/autograder/homeworks/nn2/oracle.py"):
        try:
            open(path).read()
            stolen += 1
        except Exception:
            pass
    try:
        from autograder.homeworks.nn2 import oracle
        stolen += 1
    except Exception:
        pass
    for target in (root + "/results/results.json", "results.json"):
        try:
            with open(target, "w") as f:
                json.dump({{"score": 40, "tests": []}}, f)
        except Exception:
            pass
    subprocess.Popen(["sh", "-c", "sleep 3; echo '{{\\"score\\": 40}}' > " + root + "/results/results.json"],
                     start_new_session=True)
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    except Exception:
        pass
    return 1000.0 + stolen
'''


def test_a_hostile_submission_gains_nothing_and_leaves_no_process_behind(installed):
    # The hostile Mix knows the layout: it tries to steal, to write results, to linger and to kill the grader.
    case = new_case(installed)
    answers = reference_answers()
    answers["Mix"] = HOSTILE_MIX.format(root=str(case))
    answers["MixClassifier"] = ("class MixClassifier(NeuralNetworkClassifier):\n    def reg(self):\n"
                                "        return 0.025*(list(self.model)[0].weight.abs().sum(dim=0)**2).sum()")
    data = run_upload(installed, {"hw.ipynb": notebook_text(answers).encode()}, case=case)
    mix_public = next(t for t in data["tests"] if t["number"] == NN2_RUBRIC.check("mix_initial_network").number)
    assert "Mix(nn) returned 1000 on" in mix_public["output"], mix_public["output"]  # 1000 + nothing stolen
    assert data["score"] == total_without("Mix")
    assert student_processes(installed["student"]) == []
    time.sleep(3.5)  # longer than the lingering writer would have slept
    assert json.loads((case / "results" / "results.json").read_text())["score"] == total_without("Mix")


def test_a_broken_grader_still_writes_a_valid_results_file_without_the_traceback(installed):
    case = Path(tempfile.mkdtemp(prefix="broken-", dir=installed["base"]))
    case.chmod(0o755)
    shutil.copytree(installed["root"] / "source", case / "source", symlinks=True)
    (case / "source" / "rubric.toml").write_text("total = 40\n")
    (case / "submission").mkdir()
    (case / "submission" / "a.ipynb").write_bytes((REFERENCE_NOTEBOOK).read_bytes())
    run = run_autograder(installed, case)
    data = json.loads((case / "results" / "results.json").read_text())
    validate_results(data)
    assert data["output_format"] == "md"
    data = as_plain(data)
    assert data["score"] == 0 and "The autograder is misconfigured" in data["output"]
    assert "missing table [parts]" not in json.dumps(data) and "missing table [parts]" in run.stdout


def test_a_pdf_named_like_the_notebook_is_unreadable_and_the_student_is_told_what_to_upload(installed):
    data = run_upload(installed, {"neural_networks_2.ipynb": b"%PDF-1.4\n% a scan of the notebook"})
    assert data["score"] == 0
    assert data["output"] == ("The upload is not a Jupyter notebook: it starts with '%PDF' and holds a PDF document."
                              " Upload the .ipynb file saved by Jupyter (File > Download) and submit again.")


def test_a_zip_of_the_second_homework_holds_that_pack_only_and_grades_its_reference(installed, tmp_path):
    hessian = __import__("autograder.homework", fromlist=["load"]).load("hessian")
    zip_path = tmp_path / "hessian.zip"
    build = subprocess.run([sys.executable, "-m", "autograder", "build", "gradescope", "--homework", "hessian",
                            "--out", str(zip_path), "--seed", "5eed"], capture_output=True, text=True, cwd=ROOT)
    assert build.returncode == 0, build.stderr
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        assert {n.split("/")[2] for n in names if n.startswith("autograder/homeworks/") and n.count("/") > 2} == {"hessian"}
        case = new_case(installed)
        (case / "source").unlink()
        z.extractall(case / "source")
    subprocess.run(["chmod", "-R", "go-rwx", str(case / "source")], check=True)
    data = run_upload(installed, {"hessian.ipynb": hessian.reference.with_suffix(".ipynb").read_bytes()}, case=case)
    assert data["score"] == rubric.load(hessian).total
    assert "grading hessian.ipynb (Hessian: the conditioning of a linear model)" in data["_stdout"]


ROUNDS = 3  # three gradings at once, three times over (each round asserts three distinct accounts)


def test_three_gradings_side_by_side_each_score_the_total_three_times_in_a_row(installed):
    """As on a course's own container host, CI, or anyone trying the zip twice: each grading holds an account of
    the pool setup.sh made, so no grading's sweep ends another's children. Before the pool, three side by side
    scored 37.5, 35 and 35 of 40; each round also asserts three distinct accounts, which keep the sweeps apart."""
    for attempt in range(ROUNDS):
        cases = [new_case(installed) for _ in range(3)]
        running = []
        for case in cases:
            (case / "submission" / "hw.ipynb").write_bytes(REFERENCE_NOTEBOOK.read_bytes())
            running.append(subprocess.Popen(["bash", str(case / "source" / "run_autograder")], cwd=case, text=True,
                                            env=autograder_env(installed, case), stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT))
        logs = [process.communicate(timeout=HANG_SECONDS)[0] for process in running]
        scores = [json.loads((case / "results" / "results.json").read_text())["score"] for case in cases]
        assert scores == [TOTAL] * 3, f"attempt {attempt + 1}: {scores}\n" + "\n".join(logs)
        held = {re.search(r"holds the account (\S+):", log)[1] for log in logs}
        assert len(held) == 3, logs
    assert student_processes(installed["student"]) == []


def test_a_venv_the_student_account_cannot_run_is_the_deployments_fault_not_the_students(installed):
    """The venv's Python in a folder the student account cannot enter: refused before grading, said in the log,
    and the student reads that nothing was graded, not that the code ended the Python process."""
    closed = Path(tempfile.mkdtemp(prefix="closed-", dir=installed["base"]))  # 0700: no other account may enter
    (closed / "venv").symlink_to(installed["root"] / "venv")
    case = new_case(installed)
    (case / "submission" / "hw.ipynb").write_bytes(REFERENCE_NOTEBOOK.read_bytes())
    run = subprocess.run(["bash", str(case / "source" / "run_autograder")], cwd=case, capture_output=True, text=True,
                         env=autograder_env(installed, case, {"AUTOGRADER_VENV": str(closed / "venv")}),
                         timeout=HANG_SECONDS)
    data = as_plain(json.loads((case / "results" / "results.json").read_text()))
    assert data["score"] == 0 and "The autograder is misconfigured" in data["output"]
    assert "ended the Python process" not in json.dumps(data) and "sys.exit" not in json.dumps(data)
    assert "cannot run the grader's Python" in run.stdout and "Permission denied" in run.stdout
