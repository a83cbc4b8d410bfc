"""What the class got right and wrong, from a batch's feedback files: per check, the share of graded
students who passed it; the named mistakes ("Likely mistake: ...") ranked by how many students
made them, with who; statuses with their reasons. This is summary.json, and what report.html shows.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from autograder.feedback.sentences import stated_mistakes

GRADED = ("graded", "timed out")  # statuses whose feedback holds real answers to the checks
STATUSES = ("graded", "timed out", "unreadable", "wrong homework", "no submission", "grader error")


def feedback_of(out: Path, record: dict) -> dict:
    """A grading's every check: the TA's copy (ta/), else the student's (feedback/, without hidden checks)."""
    for folder in ("ta", "feedback"):
        try:
            return json.loads((out / folder / f"{record['file']}.json").read_text())
        except (OSError, ValueError):
            continue
    return {"tests": []}


def summarize(out: Path, records: list[dict], parts: list[str], max_score: float, homework: str) -> dict:
    records = sorted(records, key=lambda r: r["student"])
    graded = [r for r in records if r["status"] in GRADED]
    feedback = {r["student"]: feedback_of(out, r) for r in graded}
    totals = [r["total"] for r in graded]
    return {
        "homework": homework, "submissions": len(records), "graded": len(graded), "max_score": max_score,
        "statuses": {s: [status_row(r) for r in records if r["status"] == s] for s in STATUSES},
        "totals": figures(totals),
        "parts": {p: figures([r.get(p, 0.0) for r in graded]) for p in parts},
        "checks": check_rates(feedback),
        "mistakes": ranked_mistakes(feedback),
    }


def status_row(record: dict) -> dict:
    return {"student": record["student"], "file": record["file"], "reason": record.get("reason", "")}


def figures(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    return {"count": len(values), "mean": round(statistics.mean(values), 3), "median": statistics.median(values),
            "min": min(values), "max": max(values), "values": sorted(values)}


def check_rates(feedback: dict[str, dict]) -> list[dict]:
    """One row per check of the rubric, in its order: how many graded students got all its points."""
    rows: dict[str, dict] = {}
    for data in feedback.values():
        for t in data["tests"]:
            if "manual" in (t.get("tags") or ()):  # a question a TA grades: the report shows those apart
                continue
            row = rows.setdefault(t.get("number", t["name"]), {
                "number": t.get("number", ""), "name": t["name"], "part": (t.get("tags") or [""])[0],
                "max_score": t["max_score"], "passed": 0, "graded": 0})
            row["graded"] += 1
            row["passed"] += t["score"] >= t["max_score"] - 1e-9
    for row in rows.values():
        row["pass_rate"] = round(row["passed"] / row["graded"], 4) if row["graded"] else None
    return list(rows.values())  # results.json lists its tests in the rubric's order


def ranked_mistakes(feedback: dict[str, dict]) -> list[dict]:
    """Each named mistake once per student (however many checks name it), most common first."""
    found: dict[str, dict] = {}
    for student, data in feedback.items():
        for t in data["tests"]:
            for mistake in stated_mistakes(t["output"]):
                row = found.setdefault(mistake, {"mistake": mistake, "parts": [], "students": []})
                part = (t.get("tags") or [""])[0]
                if part not in row["parts"]:
                    row["parts"].append(part)
                if student not in row["students"]:
                    row["students"].append(student)
    return sorted(found.values(), key=lambda r: (-len(r["students"]), r["mistake"]))
