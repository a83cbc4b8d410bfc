"""The grading checks: pytest functions, one file per part, each tied to a [[check]] of the rubric.

`@check(id)` marks a function as the rubric row `id`; the results plugin turns
that row into gradescope-utils' @weight, @number, @visibility and @tags when
it collects the function, so points and visibility stay in the rubric file.
A check passes or raises CheckFailed with the student's feedback.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..feedback import MISTAKE_MARK, CheckFailed, hidden_summary, named_mistake, status_problem

FOLDER = Path(__file__).resolve().parent


def check(check_id: str):
    def mark(func):
        func.__check_id__ = check_id
        return func
    return mark


@lru_cache(maxsize=1)
def registry() -> dict[str, tuple[object, str]]:
    """check id -> (function, where it lives): every @check function of the check_*.py files here.

    The rubric is validated against these ids, and the self-check runs these functions.
    """
    found: dict[str, tuple[object, str]] = {}
    for path in sorted(FOLDER.glob("check_*.py")):
        module = importlib.import_module(f"{__name__}.{path.stem}")
        for value in vars(module).values():
            check_id = getattr(value, "__check_id__", None)
            if callable(value) and check_id is not None:
                found[check_id] = (value, f"{FOLDER.parent.name}/{FOLDER.name}/{path.name}")
    return found


@dataclass
class Context:
    """What a check may look at: the questions asked, the cleaned answers, the rubric and notes."""

    rubric: object
    questions: dict[str, dict]
    answers: dict[str, dict]
    expect: object  # expectations.Computed (the grader) or expectations.Stored (the self-check)
    suggestions: dict[str, str | None] = field(default_factory=dict)
    load_notes: list[str] = field(default_factory=list)
    advice: dict[str, list[str]] = field(default_factory=dict)
    figures: dict[str, dict[str, float]] = field(default_factory=dict)  # of the trained classifiers

    def ask(self, qid: str) -> tuple[dict, dict]:
        return self.questions[qid], self.answers.get(qid, {"status": "crashed", "message": "no answer"})

    def ids(self, prefix: str) -> list[str]:
        return [q for q in self.questions if q.startswith(prefix)]

    def fail_unless_number(self, answer: dict, call: str, where: str, name: str) -> float:
        problem = status_problem(answer, call, where, self.suggestions.get(name))
        if problem:
            if answer["status"] == "missing" and self.load_notes:
                problem += " Notes on loading your notebook: " + " ".join(self.load_notes)
            raise CheckFailed(problem)
        return answer["value"]

    def mistake(self, qid: str, found: float) -> str | None:
        """The classic mistake the student's number matches, as one sentence a student can act on."""
        sentence = named_mistake(found, self.expect.alternatives(qid), self.rubric.rtol, self.rubric.atol)
        return f"{MISTAKE_MARK} {sentence}" if sentence else None

    def add_advice(self, check_id: str, text: str) -> None:
        if text not in self.advice.setdefault(check_id, []):
            self.advice[check_id].append(text)


# Statuses that say the answer is absent, not wrong: a hidden check just repeats the public message.
ABSENT = ("missing", "not_implemented", "bad_class", "load_failed")


def expect_on_hidden(ctx, ids: list[str], expect_one, call: str) -> None:
    """Run `expect_one` on each hidden question; fail with a count, never with an expected value."""
    wrong, first = 0, None
    for qid in ids:
        try:
            expect_one(qid)
        except CheckFailed as failed:
            status = ctx.answers.get(qid, {}).get("status")
            if status in ABSENT:
                raise
            wrong += 1
            if status != "ok":
                first = first or str(failed)  # a crash or an exception names no expected value
    if wrong:
        raise CheckFailed(hidden_summary(call, wrong, len(ids), first))
