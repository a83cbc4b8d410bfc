"""Every grade file of a batch's output, written from its gradings and the review desk at once.

A batch, a merge and each change on the review page end here, so grades.csv, the LMS sheets, the
students' copies (feedback/), the TA's copies (ta/) and report.html always say the same. One
publication at a time per output (a lock file): with several TAs' pages on one output, the last
publication reads the store after the last change, so no file keeps a stale grade.
"""

from __future__ import annotations

import fcntl
import json
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from autograder.course import canvas, desk as desk_module, report, reviewed
from autograder.grading.results import write_atomically
from autograder.homework import load as load_homework


def meta_of(out: Path) -> dict:
    return json.loads((out / "batch.json").read_text())


def exports_of(meta: dict, hw) -> report.Exports:
    """The LMS files' inputs as the batch recorded them (its Canvas gradebook is read again)."""
    gradebook = meta.get("canvas_gradebook")
    return report.Exports(meta.get("assignment") or hw.title, canvas.read_gradebook(Path(gradebook), meta.get("assignment")) if gradebook
                          else None, list(dict.fromkeys(w["described"] for w in meta.get("sandbox", []))))


def records_of(out: Path, meta: dict) -> list[dict]:
    """The state of every student of the last batch (batch.json names them; an older output: every state)."""
    records = [json.loads(p.read_text()) for p in (out / "state").glob("*.json")]
    wanted = set(meta["students"]) if meta.get("students") is not None else None
    return [r for r in records if wanted is None or r["student"] in wanted]


@contextmanager
def locked(out: Path):
    with open(out / ".publish.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def publish(out: Path, records: list[dict] | None = None, exports: report.Exports | None = None) -> list[str]:
    """Write every grade file; returns the names of the sheets written."""
    with locked(out):
        meta = meta_of(out)
        records = records_of(out, meta) if records is None else records
        scores, requests, history = desk_module.snapshot(out)
        rows = [student_files(out, r, meta, scores, requests, history) for r in records]
        hw = load_homework(meta["homework"])
        return report.write(out, rows, meta["form"], reviewed.course_total(meta), meta["parts"], hw,
                            exports or exports_of(meta, hw), reviewed.questions(meta), requests)


def student_files(out: Path, record: dict, meta: dict, scores, requests, history) -> dict:
    """One student's row, with their copy (feedback/) and the TA's (ta/) rewritten to carry the review."""
    data = reviewed.ta_data(out, record)
    review = reviewed.review_of(record["student"], data, scores, requests)
    row = reviewed.row(record, review, meta)
    if not data:
        return row
    mine = reviewed.student_data({k: v for k, v in data.items() if k != "ta_notes"}, review, meta, row["total"])
    write_atomically(report.student_copy(mine), out / "feedback" / f"{record['file']}.json")
    who = SimpleNamespace(name=record.get("name"), student=record["student"])
    (out / "feedback" / f"{record['file']}.md").write_text(report.feedback_markdown(who, mine, record["status"]))
    ta = out / "ta" / f"{record['file']}.md"
    if ta.is_file():
        text = ta.read_text().split(reviewed.MARK)[0].rstrip("\n") + "\n\n"
        mine_history = [h for h in history if h["student"] == record["student"]]
        ta.write_text(text + reviewed.ta_section(review, mine_history))
    return row
