"""What run_autograder does in the container: find the upload, grade it, always leave a results.json.

A results.json that exists before grading is deleted unread: it may come from
anywhere. Student code runs as the unprivileged account setup.sh created; the
grader (root) alone writes the results folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import traceback

from pathlib import Path


from autograder.grading import grade
from autograder.grading.picking import find_submission
from autograder import late
from autograder.feedback import markdown
from autograder.grading.choose import choose
from autograder.errors import AutograderError
from autograder.grading.results import results, write_atomically
from autograder.sandbox.accounts import Pool

NOTHING_FOUND = ("Your upload holds no Jupyter notebook (.ipynb) or Python file (.py). Upload your homework "
                 "notebook, {notebook}.ipynb (in Jupyter: File > Download), and submit again.")


ACCOUNTS_FILE = "student_accounts"  # written by setup.sh: the pool of accounts student code runs as


def main(*, root: Path, run_as: str | None = None) -> int:
    """Grade the upload in root/submission into root/results/results.json; student code runs as an account of
    `run_as` (USER,USER,...; None: no user switch)."""
    results_path = root / "results" / "results.json"
    results_path.unlink(missing_ok=True)  # never trusted, never kept
    scratch = Path(tempfile.mkdtemp(prefix="upload-"))
    try:
        metadata = read_metadata(root / "submission_metadata.json")
        if metadata:
            print(f"submission {metadata.get('id', '?')} by {', '.join(u.get('name', '?') for u in metadata.get('users', []))}")
        rubric_path = root / "source" / "rubric.toml"
        hw = choose(None, rubric_path, [])  # the rubric's homework; a zip holds only that one
        picked, notes = find_submission(root / "submission", scratch, hw.notebook)
        if picked is None:  # nothing gradable, or several files and none with the handout's name
            write_message(f"{notes[0]}." if notes else NOTHING_FOUND.format(notebook=hw.notebook), results_path)
            return 0
        print(f"grading {picked.name} ({hw.title})")
        graded = grade.main(submission=picked, results_path=results_path, rubric_path=rubric_path,
                            run_as=Pool.parse(run_as, "the student accounts") if run_as else None, notes=notes, venue="gradescope", homework=hw, say=print,
                            times=late.from_gradescope(metadata) if metadata else None)
        if graded.lateness and graded.lateness.late:
            print(graded.lateness.note)
        for trace in graded.grader_errors:
            print(trace)  # the run's stdout is shown to instructors, not to students
    except AutograderError as exc:  # the deployment's fault (its rubric), refused before grading
        print(f"autograder: {exc}")
        write_message("The autograder is misconfigured, so this upload was not graded and no points were given. "
                      "Your instructor can see what happened.", results_path)
    except BaseException:
        print(traceback.format_exc())
        write_message("The autograder failed while grading this upload; no points were given. "
                      "Your instructor can see what happened.", results_path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def accounts(root: Path, run_as: str | None) -> str | None:
    """What run_autograder runs student code as: --run-as, else the pool setup.sh made, else
    AUTOGRADER_STUDENT_USER's one account; None when not root (trying the zip as an ordinary user: Landlock alone
    holds student code)."""
    if os.geteuid() != 0:
        return None
    made = root / "source" / ACCOUNTS_FILE
    return run_as or (made.read_text().strip() if made.is_file() else "") \
        or os.environ.get("AUTOGRADER_STUDENT_USER", "autograder-student")


def write_message(message: str, results_path: Path) -> None:
    """A results.json of no tests, 0 points and `message`, in Gradescope's Markdown."""
    write_atomically(markdown.results(results([], message, 0.0)), results_path)


def read_metadata(path: Path) -> dict:
    """Gradescope's submission_metadata.json, or {} when it is absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
