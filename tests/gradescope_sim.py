"""The Gradescope deployment, simulated for the tests: the zip built and installed once per
session into a folder standing for /autograder (with the zip's own setup.sh), and
run_autograder run there for each upload the way Gradescope runs it. Needs root.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from autograder.feedback import markdown
from conftest import HANG_SECONDS, ROOT, validate_results

STUDENT = "autograder-student"


@pytest.fixture(scope="session")
def installed(worker_id):
    """The zip built and installed once per test worker: source and venv shared by every simulated run.

    Each worker has a student account of its own (a grading as root kills every process of its
    account, which must not reach the other worker's gradings).
    """
    done = install(STUDENT if worker_id == "master" else f"{STUDENT}-{worker_id}")
    yield done
    shutil.rmtree(done["base"], ignore_errors=True)


def install(student: str, homework: str = "nn2", rubric: Path | None = None) -> dict:
    """Build the zip and install it as Gradescope does (its setup.sh, as root) in a new folder of /tmp."""
    base = Path(tempfile.mkdtemp(prefix=f"{homework}-gradescope-"))
    base.chmod(0o755)  # the student account must reach the venv's Python, as under /autograder
    # The zip and the unpacked source hold the seed: closed to other accounts from the first byte,
    # because the other test worker's student code may be walking /tmp while this one installs.
    private = base / "private"
    private.mkdir(mode=0o700)
    zip_path = private / "autograder.zip"
    build = subprocess.run([sys.executable, "-m", "autograder", "build", "gradescope", "--homework", homework,
                            "--out", str(zip_path), "--seed", "5eed", *(["--rubric", str(rubric)] if rubric else [])],
                           capture_output=True, text=True, cwd=ROOT)
    assert build.returncode == 0, build.stderr
    root = base / "root"
    root.mkdir()
    (root / "source").mkdir(mode=0o700)
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(root / "source")
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(0o755)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_TORCH_INDEX": "", "AUTOGRADER_STUDENT_USER": student}
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True,
                           timeout=HANG_SECONDS)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    return {"base": base, "root": root, "zip": zip_path, "setup_log": setup.stdout, "student": student}


def new_case(installed) -> Path:
    """A fresh /autograder for one upload, sharing the installed source and venv."""
    case = Path(tempfile.mkdtemp(prefix="case-", dir=installed["base"]))
    case.chmod(0o755)
    (case / "source").symlink_to(installed["root"] / "source")
    (case / "submission").mkdir()
    (case / "results").mkdir(mode=0o700)
    return case


def autograder_env(installed, case: Path, extra_env: dict | None = None) -> dict:
    """The environment Gradescope gives run_autograder, with /autograder at `case`."""
    return {"PATH": os.environ["PATH"], "AUTOGRADER_ROOT": str(case), "AUTOGRADER_VENV": str(installed["root"] / "venv"),
            "AUTOGRADER_STUDENT_USER": installed["student"], **(extra_env or {})}


def run_autograder(installed, case: Path, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(case / "source" / "run_autograder")], cwd=case,
                          env=autograder_env(installed, case, extra_env), capture_output=True, text=True, timeout=HANG_SECONDS)


def as_plain(data: dict) -> dict:
    """Gradescope's results with their Markdown turned back into the grader's text (what the tests read)."""
    if data.get("output_format") != "md":
        return data
    tests = [{**t, "output": markdown.to_plain(t["output"])} for t in data["tests"]]
    return {**data, "output": markdown.to_plain(data["output"]), "tests": tests}


def run_upload(installed, files: dict[str, bytes], prior_results: bytes | None = None, case: Path | None = None) -> dict:
    """Put `files` in the submission folder, run run_autograder, return the validated results.json."""
    case = case or new_case(installed)
    for name, data in files.items():
        (case / "submission" / name).write_bytes(data)
    if prior_results is not None:
        (case / "results" / "results.json").write_bytes(prior_results)
    (case / "submission_metadata.json").write_text(json.dumps({"id": 1, "users": [{"name": "Ada"}]}))
    run = run_autograder(installed, case)
    assert run.returncode == 0, run.stderr
    data = json.loads((case / "results" / "results.json").read_text())
    validate_results(data)
    assert data["output_format"] == "md", "Gradescope renders the feedback as Markdown"
    data = as_plain(data)
    data["_stdout"] = run.stdout
    return data


def student_processes(user: str) -> list[str]:
    """Live processes of an account (zombies are dead: killed, waiting for init to reap them)."""
    out = subprocess.run(["ps", "-u", user, "-o", "stat=,pid=,args="], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line.strip() and not line.strip().startswith("Z")]

