"""One grading of a batch: an `autograder grade` process, what it left, and the outcome the batch keeps.

Plain data both ways (a Dask worker sends a Ran back): the local runner (batch.py) and the cluster's
(cluster.py) run the same process and read its outcome with the same code.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.grade import zero_tests
from autograder.grading.results import results


@dataclass
class Outcome:
    """One grading as the batch keeps it: the student's results, and what only the TA sees."""

    data: dict
    status: str
    seconds: float
    reason: str = ""  # why it is not an ordinary grade: the TA's sheet and file, never the student's
    log: str = ""  # the grade process's error output, for the TA
    ta_notes: list[str] = field(default_factory=list)  # where the grading came from (the cache, another student)


def failed(rubric, reason: str, log: str = "") -> Outcome:
    """A grading that produced nothing: a grader error, graded again on the next run."""
    data = results(zero_tests(rubric, "The grader failed on this submission."), "", 0.0)
    return Outcome(data, "grader error", 0.0, reason, log)


def time_limit(rubric) -> float:
    """The whole grading's wall-clock limit: every limit the rubric gives its parts, with room to spare."""
    return 2 * rubric.load_seconds + 2 * rubric.train_seconds + 40 * rubric.call_seconds


@dataclass
class Ran:
    """What one `autograder grade` process left: plain data, so a Dask worker can send it back."""

    returncode: int | None  # None: stopped at the time limit
    stderr: str
    results: str | None  # results.json's text, None when it wrote none
    meta: str | None
    seconds: float


def run_grade(path: Path, tmp: Path, homework_id: str, rubric_path, limit: float, confinement: list[str] = ()) -> Ran:
    """`autograder grade` in a process of its own: a crash of the grader cannot stop the batch. `confinement` is
    its --run-as and --unconfined."""
    out_json, meta_json = tmp / "results.json", tmp / "meta.json"
    # -P: the current folder (perhaps full of students' files) is not put on the grader's sys.path.
    safe_path = ["-P"] if sys.version_info >= (3, 11) else []
    command = [sys.executable, *safe_path, "-m", "autograder", "grade", str(path), "--results", str(out_json),
               "--meta", str(meta_json), "--lanes", "1", "--homework", homework_id, *confinement]
    if rubric_path:
        command += ["--rubric", str(rubric_path)]
    started = time.monotonic()
    try:
        run = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=limit)
    except subprocess.TimeoutExpired:
        return Ran(None, "", None, None, limit)
    read = lambda p: p.read_text(errors="replace") if p.exists() else None
    return Ran(run.returncode, run.stderr, read(out_json), read(meta_json), time.monotonic() - started)


def outcome_of(ran: Ran, rubric, limit: float) -> Outcome:
    """The batch's outcome of a finished (or stopped) grade process."""
    if ran.returncode is None:
        message = f"Grading did not finish within {limit:g} seconds and was stopped."
        return Outcome(results(zero_tests(rubric, message), message, limit), "timed out", limit,
                       f"the whole grading took longer than {limit:g} s")
    log = tail(ran.stderr, 40)
    try:
        data, meta = json.loads(ran.results), json.loads(ran.meta)
    except (TypeError, ValueError):
        message = "The grader failed on this submission."
        reason = last_line(ran.stderr) or f"the grade process exited with status {ran.returncode} and wrote no results"
        return Outcome(results(zero_tests(rubric, message), message, 0.0), "grader error", ran.seconds, reason, log)
    status = meta.get("status", "grader error")
    if ran.returncode != 0 or meta.get("grader_errors"):
        status = "grader error"
    elif status == "graded" and (meta.get("timeouts") or meta.get("out_of_time")):
        status = "timed out"
    return Outcome(data, status, ran.seconds, reason_of(status, data, ran.stderr),
                   log if status == "grader error" else "")


def reason_of(status: str, data: dict, stderr: str) -> str:
    """The grade sheet's reason column for a finished grading."""
    if status == "grader error":
        return last_line(stderr) or "a check of the grader failed"
    if status in ("unreadable", "wrong homework"):
        return data["output"].splitlines()[-1] if data["output"] else "the file could not be read"
    if status == "timed out":
        stopped = [line for line in data["output"].splitlines() if line.startswith("The grading stopped at its time limit")]
        if stopped:
            return stopped[0]
        return next((t["output"].splitlines()[0] for t in data["tests"] if "did not finish within" in t["output"]),
                    "the student's code ran over a time limit")
    return ""


def tail(text: str, lines: int) -> str:
    return "\n".join(text.splitlines()[-lines:])


def last_line(text: str) -> str:
    """The last non-empty line of an error output: for a traceback, the exception itself."""
    rows = [r.strip() for r in text.splitlines() if r.strip()]
    return rows[-1].removeprefix("autograder: ")[:300] if rows else ""
