"""What a batch leaves for the TA: the grade sheet, one feedback file per student, a summary, progress.

grades.csv: one row per submission. feedback/<student>.md and .json: the student's copy, what
the student sees once grades are published (never a `hidden` check); ta/<student>.md: the TA's
copy, every check and why a grade is not ordinary. summary.md (+ histogram.png): how the course
did per part. canvas_grades.csv: the sheet Canvas's gradebook imports; moodle_grades.csv and
moodle_feedback.zip: Moodle's worksheet and feedback files. report.html, summary.json and
similarity.csv: what the class got wrong (class_report.py).
"""

from __future__ import annotations

import csv
import statistics
import sys
import threading
import time
from pathlib import Path

from dataclasses import dataclass

from autograder.course import canvas, class_report as course_report, moodle
from autograder.course.insights import GRADED, STATUSES

# What a student sees once the grades are published: every visibility but `hidden`.
SHOWN = ("visible", "after_due_date", "after_published")


def columns(parts, manual=()) -> tuple[str, ...]:
    """grades.csv's columns; with manual questions, each one's points and the sums beside the automatic ones."""
    graded_by_hand = (*(f"manual:{m.id}" for m in manual), "automatic", "overrides", "manual") if manual else ()
    return ("student", "name", "email", *parts, *graded_by_hand, "unpenalized", "penalty", "total", "status",
            "review", "submitted", "late", "late_by", "seconds", "reason")


@dataclass(frozen=True)
class Exports:
    """What the grade sheets for the LMS need beyond the records: the assignment's name, Canvas's gradebook."""

    assignment: str
    gradebook: canvas.Gradebook | None = None
    sandbox: tuple[str, ...] | list[str] = ()  # what held student code in, one line per kind of machine


class Progress:
    """A live bar with count, failures and ETA on a terminal; plain log lines otherwise."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.lock = threading.Lock()

    def update(self, student: str, status: str, score: float) -> None:
        with self.lock:
            self.done += 1
            self.failed += status == "grader error"
            elapsed = time.monotonic() - self.started
            eta = elapsed / self.done * (self.total - self.done)
            if self.tty:
                width = 30
                filled = int(width * self.done / max(1, self.total))
                self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                                  f"grader errors {self.failed}  ETA {eta:4.0f}s ")
            else:
                self.stream.write(f"{self.done}/{self.total} {student}: {status}, {score:g} points "
                                  f"(grader errors {self.failed}, ETA {eta:.0f}s)\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


def student_copy(data: dict) -> dict:
    """results.json as the student sees it once grades are published: the `hidden` checks left out."""
    return {**data, "tests": [t for t in data["tests"] if t.get("visibility", "visible") in SHOWN]}


def feedback_markdown(entry, data: dict, status: str) -> str:
    """The student's copy in Markdown: the checks the student may see, each with when it is shown, and the
    points of the checks not shown (the score counts them, and the rows would not add up to it unsaid)."""
    unseen = [t for t in data["tests"] if t.get("visibility", "visible") not in SHOWN]
    got = sum(t["score"] for t in unseen)
    said = (f"{got:g} points of this score come from {len(unseen)} check{'s' if len(unseen) != 1 else ''} not "
            f"shown here (worth {sum(t['max_score'] for t in unseen):g} points).") if unseen else ""
    return checks_markdown(f"Feedback for {entry.name or entry.student}", student_copy(data), status, said)


def checks_markdown(title: str, data: dict, status: str, unseen: str = "") -> str:
    """A results.json as Markdown; `unseen` says what the score holds beyond the rows shown."""
    lines = [f"# {title}", "", " ".join(filter(None, [f"**Score: {data['score']:g}** ({status}).", unseen])), "",
             "| # | check | points | shown to the student |", "|---|---|---|---|"]
    for t in data["tests"]:
        lines.append(f"| {t['number']} | {t['name']} | {t['score']:g} / {t['max_score']:g} | "
                     f"{t.get('visibility', 'visible')} |")
    for t in data["tests"]:
        if t["output"]:
            lines += ["", f"## {t['number']} {t['name']} ({t.get('visibility', 'visible')})", "", t["output"]]
    if data.get("output"):
        lines += ["", "## Notes", "", data["output"]]
    return "\n".join(lines) + "\n"


def ta_markdown(entry, status: str, reason: str, log: str, data: dict, ta_notes=()) -> str:
    """The TA's copy of one submission: why it is not an ordinary grade, what the student is not told (an earlier
    upload, a grading shared with equal code), and every check, hidden ones too."""
    lines = [f"# {entry.student}: {status}", "", f"Reason: {reason}" if reason else "Reason: none recorded"]
    if entry.path:
        lines += ["", f"File: `{entry.path}`"]
    if ta_notes:
        lines += ["", "For the TA only:", "", *(f"- {note}" for note in ta_notes)]
    if log:
        lines += ["", "The grade process's error output (last lines):", "", "```", log, "```"]
    if status in ("grader error", "timed out"):
        lines += ["", "Rerunning the same batch command grades it again (a timeout once)."]
    lines += ["", "Not for the student: this copy holds every check, hidden ones too; feedback/ holds the "
                  "student's.", ""]
    return "\n".join(lines) + checks_markdown(f"All checks of {entry.name or entry.student}", data, status)


def write(out: Path, records: list[dict], form: str, max_score: float, parts, hw,
          exports: Exports | None = None, manual=(), requests=()) -> list[str]:
    """Every sheet and report of a batch (publication.publish calls it with the review applied): `max_score` is
    the homework's points, manual questions included; returns the names written."""
    records = sorted(records, key=lambda r: r["student"])
    with open(out / "grades.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns(parts, manual), extrasaction="ignore", restval="")
        writer.writeheader()
        for r in records:
            writer.writerow(r)
    written = ["grades.csv", "summary.md"]
    histogram = draw_histogram(out / "histogram.png", [r["total"] for r in records], max_score, hw.title)
    exports = exports or Exports(hw.title)
    (out / "summary.md").write_text(summary(records, form, max_score, histogram, parts, exports.sandbox))
    students = [r for r in records if not r.get("stray")]  # a stray file of the download matches no one in the LMS
    if form.startswith("Canvas") or exports.gradebook:
        missing = canvas.write(out / "canvas_grades.csv", students, exports.assignment, max_score, exports.gradebook)
        written.append("canvas_grades.csv")
        if missing:
            print(f"{len(missing)} graded students have no row in {exports.gradebook.path}: {', '.join(missing[:8])}"
                  f"{', ...' if len(missing) > 8 else ''} (their grades are in grades.csv only)", flush=True)
    if form.startswith("Moodle"):
        moodle.write_worksheet(out / "moodle_grades.csv", students, max_score)
        moodle.write_feedback_zip(out / "moodle_feedback.zip", students, out / "feedback")
        written += ["moodle_grades.csv", "moodle_feedback.zip"]
    course_report.write(out, records, form, max_score, list(parts), hw, list(exports.sandbox), manual, requests)
    return written + ["report.html"]


def summary(records: list[dict], form: str, max_score: float, histogram: bool, parts, sandbox=()) -> str:
    graded = [r for r in records if r["status"] in GRADED]
    totals = [r["total"] for r in graded]
    lines = ["# Batch summary", "", f"{len(records)} submissions ({form}).", "", *(f"{s}." for s in sandbox),
             *([""] if sandbox else [])]
    lines += ["| status | submissions |", "|---|---|"] + [
        f"| {s} | {sum(r['status'] == s for r in records)} |" for s in STATUSES]
    if totals:
        lines += ["", f"Total over graded submissions: mean {statistics.mean(totals):.2f}, "
                      f"median {statistics.median(totals):g}, min {min(totals):g}, max {max(totals):g} "
                      f"(of {max_score:g}).", "", "| part | mean |", "|---|---|"]
        lines += [f"| {p} | {statistics.mean(r.get(p, 0.0) for r in graded):.2f} |" for p in parts]
        lines += ["", "| total | submissions |", "|---|---|"]
        edges = [max_score * i / 8 for i in range(9)]
        for lo, hi in zip(edges, edges[1:]):
            count = sum(lo <= t < hi or (hi == max_score and t == hi) for t in totals)
            lines.append(f"| {lo:g}-{hi:g} | {count} {'#' * count} |")
    if histogram:
        lines += ["", "![Histogram of totals](histogram.png)"]
    return "\n".join(lines) + "\n"


def draw_histogram(path: Path, totals: list[float], max_score: float, title: str) -> bool:
    fig = course_report.histogram(totals, max_score, "total", "submissions", (6, 3.5))
    if fig is None:
        return False
    fig.axes[0].set_title(f"{title}: totals")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    course_report.close(fig)
    return True
