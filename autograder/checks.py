"""The grading checks: pytest functions, one file per part, each tied to a [[check]] of the rubric.

`@check(id)` marks a function as the rubric row `id`; the results plugin turns
that row into gradescope-utils' @weight, @number, @visibility and @tags when
it collects the function, so points and visibility stay in the rubric file.
A check passes or raises CheckFailed with the student's feedback.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import factors
from ..networks import H
from ..feedback import MISTAKE_MARK, CheckFailed, hidden_summary, status_problem

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
    passed: dict[str, bool] = field(default_factory=dict)  # check id -> outcome, for the checks run so far
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
        sentence = self.expect.mistake(qid, found)
        return f"{MISTAKE_MARK} {sentence}" if sentence else None

    def hint(self, qid: str, found: float) -> str | None:
        """The named mistake the number matches, else a constant factor seen across the whole part."""
        return self.mistake(qid, found) or self.factor(self.questions[qid]["part"])

    def value_questions(self, part: str, kind: str | None = None):
        """(id, question, answer) of the part's value questions that were answered with a number."""
        for qid, q in self.questions.items():
            a = self.answers.get(qid, {})
            if (q["part"] == part and q["kind"] in VALUE_KINDS and (kind is None or q["kind"] == kind)
                    and not q.get("advisory") and not q.get("repeat_of")
                    and a.get("status") == "ok" and a.get("finite", True)):
                yield qid, q, a

    def factor(self, part: str) -> str | None:
        """'Your value is 0.1 times the expected one on every network asked...', or None."""
        seen = list(self.value_questions(part))
        pairs = [(a["value"], self.expect.value(qid)) for qid, _, a in seen]
        r = factors.constant_ratio(pairs, len({q["net"].label for _, q, _ in seen}))
        return factors.sentence(r, named_factors(self.rubric)) if r is not None else None

    def gradient_factor(self, part: str) -> str | None:
        """The same for the gradients of reg(): one factor on every entry of every network."""
        seen = [(qid, q, a) for qid, q, a in self.value_questions(part, "reg") if a.get("grad_W") is not None]
        pairs = [p for qid, _, a in seen for p in factors.array_ratio(a["grad_W"], self.expect.gradient(qid))]
        r = factors.constant_ratio(pairs, len({q["net"].label for _, q, _ in seen}))
        return factors.sentence(r, named_factors(self.rubric), "gradient") if r is not None else None

    def add_advice(self, check_id: str, text: str) -> None:
        if text not in self.advice.setdefault(check_id, []):
            self.advice[check_id].append(text)


VALUE_KINDS = ("mix", "grad", "reg")


def named_factors(rubric) -> dict[str, float]:
    """The constants a factor is worth naming by: the hidden size and the sheet's lambdas."""
    h = H
    ratio = rubric.mix_lambda / rubric.frob_lambda if rubric.frob_lambda else math.inf
    return {"sqrt(h)": math.sqrt(h), "h": h, "1/h": 1 / h, "1/sqrt(h)": 1 / math.sqrt(h),
            "lambda_Mix/lambda_Frob": ratio, "lambda_Frob/lambda_Mix": 1 / ratio}


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
        part = ctx.questions[ids[0]]["part"]
        public_failed = any(not ctx.passed.get(c.id, True) for c in ctx.rubric.checks if c.part == part and c.is_public)
        raise CheckFailed(hidden_summary(call, wrong, len(ids), first, public_failed))
