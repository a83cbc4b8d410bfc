"""A grading with the TA's review on top: manual points, overrides and regrade requests (desk.py's rows).

The grader's own files are never edited: a grade sheet row and a student's copy are computed from the
grading (state/ and ta/<student>.json) and the desk's rows, each time they are written. An override
holds only while the automatic score it replaced is still the grader's: after a regrade that changed
it, the override is not applied and is flagged for a second look (on the page, in grades.csv's
`review` column and in the TA's copy), neither applied silently nor dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course.desk import Score
from autograder.rubric import Item, Manual

SAME = 1e-9
MARK = "<!-- review desk -->"  # where the TA's copy's review section starts (rewritten at every publication)


@dataclass
class Review:
    """One student's review: what applies, and what a TA must look at again."""

    manual: dict[str, Score] = field(default_factory=dict)
    overrides: dict[str, tuple[Score, float]] = field(default_factory=dict)  # number -> (override, change)
    stale: list[str] = field(default_factory=list)  # sentences: overrides held back
    requests: list[dict] = field(default_factory=list)


def questions(meta: dict) -> list[Manual]:
    """The rubric's [[manual]] questions, as batch.json carries them."""
    return [Manual(**{**row, "items": tuple(Item(**i) for i in row.get("items", ()))}) for row in meta.get("manual", [])]


def course_total(meta: dict) -> float:
    return float(meta["max_score"]) + sum(m.points for m in questions(meta))


def ta_data(out: Path, record: dict) -> dict:
    """The grading with every check (ta/<student>.json), {} when there is none."""
    try:
        return json.loads((out / "ta" / f"{record['file']}.json").read_text())
    except (OSError, ValueError):
        return {}


def review_of(student: str, data: dict, scores: list[Score], requests: list[dict]) -> Review:
    review = Review(requests=[r for r in requests if r["student"] == student])
    tests = {t["number"]: t for t in data.get("tests", [])}
    for s in scores:
        if s.student != student:
            continue
        if s.kind == "manual":
            review.manual[s.question] = s
            continue
        test = tests.get(s.question)
        if test is None:
            review.stale.append(f"override of {s.question} not applied: the grading has no check {s.question} now")
        elif abs(test["score"] - (s.basis or 0.0)) > SAME:
            review.stale.append(f"override of {s.question} not applied: its automatic score went from {s.basis:g} to "
                                f"{test['score']:g} since (a regrade); set it again or remove it")
        else:
            review.overrides[s.question] = (s, s.points - test["score"])
    return review


def row(record: dict, review: Review, meta: dict) -> dict:
    """A grades.csv row with the review: parts with overrides, each manual question, the sums, what to look at."""
    part_of = {c["number"]: c["part"] for c in meta.get("checks", [])}
    row = dict(record)
    for number, (_, change) in review.overrides.items():
        part = part_of.get(number)
        if part in row:
            row[part] = round(row[part] + change, 6)
    manual = questions(meta)
    for m in manual:
        row[f"manual:{m.id}"] = f"{review.manual[m.id].points:g}" if m.id in review.manual else ""
    automatic, overrides = record["unpenalized"], sum(c for _, c in review.overrides.values())
    given = sum(s.points for s in review.manual.values())
    unpenalized = round(automatic + overrides + given, 6)
    ungraded = [m.id for m in manual if m.id not in review.manual]
    pending = [f"regrade request on {r['question']} open" for r in review.requests if r["state"] == "open"]
    notes = [*review.stale, *([f"not graded by hand yet: {', '.join(ungraded)}"] if ungraded else []), *pending]
    return {**row, "automatic": automatic, "overrides": round(overrides, 6), "manual": round(given, 6),
            "unpenalized": unpenalized, "total": round(max(0.0, unpenalized - (record.get("penalty") or 0.0)), 6),
            "review": "; ".join(notes), "open_requests": len(pending)}


def student_data(data: dict, review: Review, meta: dict, total: float) -> dict:
    """The grading as the student reads it: overridden checks with the TA's reason, each manual question as a
    row with the TA's items and comment, the request's resolutions; the score is the row's total."""
    tests = []
    for t in data.get("tests", []):
        if t["number"] in review.overrides:
            s, _ = review.overrides[t["number"]]
            t = {**t, "score": s.points, "output": f"Your TA changed this check's points from {t['score']:g} to "
                 f"{s.points:g}: {s.comment}" + (f"\n\n{t['output']}" if t.get("output") else "")}
        tests.append(t)
    for m in questions(meta):
        s = review.manual.get(m.id)
        picked = [m.items[i - 1].comment for i in (s.items if s else ()) if 1 <= i <= len(m.items)]
        said = "\n".join([*(f"- {c}" for c in picked), *([s.comment] if s and s.comment else [])])
        tests.append({"name": m.name, "number": m.id, "score": s.points if s else 0.0, "max_score": m.points,
                      "status": "passed" if s and s.points >= m.points else "failed", "visibility": "visible", "tags": ["manual"],
                      "output": said if s else "Not graded yet: a TA grades this question by hand."})
    answered = [f"Your regrade request on {r['question']}: {r['state']}" + (f". {r['resolution']}" if r["resolution"]
                else ".") for r in review.requests if r["state"] != "open"]
    output = "\n\n".join(filter(None, [*answered, data.get("output", "")]))
    return {**data, "score": total, "tests": tests, "output": output}


def ta_section(review: Review, history: list[dict]) -> str:
    """The TA's copy's review section: what applies, what is held back, the requests and every change."""
    lines = [MARK, "", "## Review desk", ""]
    lines += [f"- {q}: {s.points:g} points by {s.who} at {s.at}" + (f" ({s.comment})" if s.comment else "")
              for q, s in review.manual.items()]
    lines += [f"- override of {q}: {s.points:g} points ({change:+g}) by {s.who} at {s.at}: {s.comment}"
              for q, (s, change) in review.overrides.items()]
    lines += [f"- TO CHECK AGAIN: {note}" for note in review.stale]
    lines += [f"- regrade request #{r['id']} on {r['question']} ({r['state']}): {r['text']}"
              + (f" -> {r['resolution']}" if r["resolution"] else "") for r in review.requests]
    if len(lines) == 4:
        lines.append("Nothing recorded yet.")
    lines += ["", "Every change (who, when, old, new, why):", ""]
    lines += [f"- {h['at']} {h['who']} {h['question']}: {brief(h['old'])} -> {brief(h['new'])} ({h['why']})"
              for h in history] or ["- none"]
    return "\n".join(lines) + "\n"


def brief(value: str | None) -> str:
    """An audit row's old or new value in a few words: points (and items), or a request's state."""
    if value is None:
        return "-"
    row = json.loads(value)
    if "request" in row:
        return f"request {row['request']}"
    picked = f" (items {', '.join(map(str, row['items']))})" if row.get("items") else ""
    return f"{row['points']:g} points{picked}"
