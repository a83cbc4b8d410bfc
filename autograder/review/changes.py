"""What a TA may change on a batch's output, checked: the page and the CSV sheet both change scores here.

A manual question's points are within [0, its points] (or follow from its rubric items); an override
names a check of the grading by its number, gives points within [0, the check's] and a reason the
student reads; a request names a student and a question. The automatic score an override replaces
is recorded with it, so a regrade that changes it is noticed (course/reviewed.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from autograder.course import desk as store, publication, reviewed
from autograder.course.desk import Conflict, Score
from autograder.errors import UsageError

__all__ = ["Course", "Conflict", "Invalid"]


class Invalid(ValueError):
    """A change a TA cannot make, said in one sentence."""


@dataclass
class Course:
    """A batch's output opened for review: its students, questions, checks and the store."""

    out: Path
    meta: dict
    records: dict[str, dict]
    manual: dict[str, reviewed.Manual]
    checks: dict[str, dict]  # number -> {number, part, name, points}
    desk: store.Desk

    @classmethod
    def open(cls, out: str | Path) -> "Course":
        out = Path(out)
        if not (out / "batch.json").is_file():
            raise UsageError(f"{out} is not the output of `autograder batch` (it has no batch.json): pass the "
                             "--out folder of a batch")
        meta = publication.meta_of(out)
        records = {r["student"]: r for r in publication.records_of(out, meta)}
        if not records:
            raise UsageError(f"{out} holds no graded students yet: run the batch to its end first")
        checks = {c["number"]: c for c in meta.get("checks", [])}
        return cls(out, meta, records, {m.id: m for m in reviewed.questions(meta)}, checks, store.Desk.open(out))

    def close(self) -> None:
        self.desk.close()

    def automatic(self, student: str) -> dict:
        """The student's grading with every check (the TA's copy)."""
        return reviewed.ta_data(self.out, self.records[student])

    def student(self, student: str) -> dict:
        if student not in self.records:
            raise Invalid(f"no student {student!r} in this batch")
        return self.records[student]

    def question(self, question: str) -> str:
        """"manual" or "override"; Invalid when it names neither a manual question nor a check."""
        if question in self.manual:
            return "manual"
        if question in self.checks:
            return "override"
        raise Invalid(f"no question {question!r}: the manual questions are {', '.join(self.manual) or 'none'}, the "
                      f"checks {', '.join(self.checks)}")

    def grade(self, student: str, question: str, points: float | None, comment: str, who: str,
              items=(), seen: int | None = None) -> Score:
        """A manual question's points (from the picked rubric items when `points` is None)."""
        self.student(student)
        if self.question(question) != "manual":
            raise Invalid(f"{question} is a check: override it with points and a reason")
        m = self.manual[question]
        items = tuple(sorted({int(i) for i in items}))
        bad = [i for i in items if not 1 <= i <= len(m.items)]
        if bad:
            raise Invalid(f"{question} has rubric items 1 to {len(m.items)}, not {bad[0]}")
        points = m.from_items(items) if points is None else number(points, question)
        if not 0 <= points <= m.points:
            raise Invalid(f"{question} is worth 0 to {m.points:g} points, not {points:g}")
        return self.desk.put(Score(student, question, "manual", points, items, comment.strip(), None, who, "", 0), seen)

    def override(self, student: str, number: str, points: float, reason: str, who: str,
                 seen: int | None = None) -> Score:
        """A check's points replaced, with the reason the student reads."""
        self.student(student)
        if self.question(number) != "override":
            raise Invalid(f"{number} is a manual question: give it points, not an override")
        check = self.checks[number]
        points = number_in(points, number, check["points"])
        if not reason.strip():
            raise Invalid(f"an override of {number} needs a reason: the student reads it")
        test = next((t for t in self.automatic(student).get("tests", []) if t["number"] == number), None)
        if test is None:
            raise Invalid(f"{student}'s grading has no check {number} (it was not graded: see its status)")
        return self.desk.put(Score(student, number, "override", points, (), reason.strip(), test["score"], who, "", 0),
                             seen)

    def remove(self, student: str, question: str, who: str, seen: int | None = None) -> None:
        self.student(student)
        self.question(question)
        self.desk.remove(student, question, who, seen)

    def request(self, student: str, question: str, text: str, who: str) -> dict:
        self.student(student)
        self.question(question)
        if not text.strip():
            raise Invalid("a regrade request needs its text: what the student asks")
        return self.desk.request(student, question, text.strip(), who)

    def resolve(self, number: int, state: str, resolution: str, who: str, seen: int | None = None) -> dict:
        if state not in store.REQUEST_STATES:
            raise Invalid(f"a request is {', '.join(store.REQUEST_STATES)}, not {state!r}")
        if state != "open" and not resolution.strip():
            raise Invalid("say why: the student reads the resolution")
        if self.desk.request_by_id(number) is None:
            raise Invalid(f"no regrade request #{number}")
        return self.desk.resolve(number, state, resolution.strip(), who, seen)

    def publish(self) -> None:
        """Every grade file rewritten with the review."""
        publication.publish(self.out)


def number(value, question: str) -> float:
    try:
        points = float(value)
    except (TypeError, ValueError):
        raise Invalid(f"the points of {question} must be a number, got {value!r}") from None
    if not math.isfinite(points):
        raise Invalid(f"the points of {question} must be a finite number, got {value!r}")
    return points


def number_in(value, question: str, top: float) -> float:
    points = number(value, question)
    if not 0 <= points <= top:
        raise Invalid(f"{question} is worth 0 to {top:g} points, not {points:g}")
    return points

