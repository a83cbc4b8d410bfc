"""What a batch leaves for the TA: the grade sheet, one feedback file per student, a summary, progress.

grades.csv: one row per submission. feedback/<student>.md and .json: what the
student would see on Gradescope. summary.md (+ histogram.png): how the course
did per part. moodle_grades.csv: the grading worksheet Moodle imports back. report.html,
summary.json and similarity.csv: what the class got wrong (course_report.py).
"""

from __future__ import annotations

import csv
import statistics
import sys
import threading
import time
from pathlib import Path

from . import course_report
from .insights import GRADED, STATUSES


def columns(parts) -> tuple[str, ...]:
    return ("student", "name", "email", *parts, "total", "status", "seconds", "reason")


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


def feedback_markdown(entry, data: dict, status: str) -> str:
    lines = [f"# Feedback for {entry.name or entry.student}", "",
             f"**Score: {data['score']:g}** ({status})", "", "| # | check | points |", "|---|---|---|"]
    for t in data["tests"]:
        lines.append(f"| {t['number']} | {t['name']} | {t['score']:g} / {t['max_score']:g} |")
    for t in data["tests"]:
        if t["output"]:
            lines += ["", f"## {t['number']} {t['name']}", "", t["output"]]
    if data.get("output"):
        lines += ["", "## Notes", "", data["output"]]
    return "\n".join(lines) + "\n"


def ta_markdown(entry, status: str, reason: str, log: str) -> str:
    """The TA's file of one submission: why it is not an ordinary grade. Never given to the student."""
    lines = [f"# {entry.student}: {status}", "", f"Reason: {reason}" if reason else "Reason: none recorded"]
    if entry.path:
        lines += ["", f"File: `{entry.path}`"]
    if log:
        lines += ["", "The grade process's error output (last lines):", "", "```", log, "```"]
    if status in ("grader error", "timed out"):
        lines += ["", "Rerunning the same batch command grades it again."]
    return "\n".join(lines) + "\n"


def write(out: Path, records: list[dict], form: str, max_score: float, parts, hw) -> None:
    records = sorted(records, key=lambda r: r["student"])
    with open(out / "grades.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns(parts), extrasaction="ignore", restval="")
        writer.writeheader()
        for r in records:
            writer.writerow(r)
    histogram = draw_histogram(out / "histogram.png", [r["total"] for r in records], max_score, hw.title)
    (out / "summary.md").write_text(summary(records, form, max_score, histogram, parts))
    if form.startswith("Moodle"):
        write_moodle(out / "moodle_grades.csv", records, max_score)
    course_report.write(out, records, form, max_score, list(parts), hw)


def summary(records: list[dict], form: str, max_score: float, histogram: bool, parts) -> str:
    graded = [r for r in records if r["status"] in GRADED]
    totals = [r["total"] for r in graded]
    lines = [f"# Batch summary", "", f"{len(records)} submissions ({form}).", ""]
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


def write_moodle(path: Path, records: list[dict], max_score: float) -> None:
    """Moodle's grading worksheet (Assignment > View all submissions > Upload grading worksheet)."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                         "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
                         "Feedback comments"])
        for r in records:
            writer.writerow([f"Participant {r['student']}", r["name"], r["email"], "Submitted for grading",
                             f"{r['total']:.2f}", f"{max_score:.2f}", "Yes", "", "",
                             f"Autograder: {r['status']}; see your feedback file."])
