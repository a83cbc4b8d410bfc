"""The grading checks of a homework: pytest functions, each tied to a [[check]] row of the rubric.

`@check(id, asks=...)` marks a function as the rubric row `id` and declares the questions it
asks, next to it: `asks(asking)` returns them (questions.py). While it runs, a check reads its
own questions and their answers (`ctx.mine()`), never another check's by a string id, so no
list of ids is kept in step anywhere. The results plugin turns the row into gradescope-utils'
@weight, @number, @visibility and @tags when it collects the function, so points and
visibility stay in the rubric file. A check passes or raises CheckFailed with the feedback.

`@grader_only` marks a function that computes expected values or named mistakes (it reads
the oracle): the student bundle ships the check files with those bodies removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from autograder.feedback import factors
from autograder.child.protocol import ABSENT, Answer, Question, Status
from autograder.feedback.sentences import (MISTAKE_MARK, CheckFailed, close, close_array, hidden_summary,
                                           status_problem, wrong_array, wrong_value)
from autograder.homework import Grading


@dataclass
class Context:
    """What a check may look at: its questions and their cleaned answers, the rubric, notes, advice."""

    homework: object
    rubric: object
    questions: dict[str, Question]
    answers: dict[str, Answer]
    expect: object  # expectations.Computed (the grader) or expectations.Stored (the self-check)
    asked: dict[str, list[str]] = field(default_factory=dict)  # check id -> the ids it asked
    current: str = ""  # the check running now
    suggestions: dict[str, str | None] = field(default_factory=dict)  # part -> misnamed.hint's sentence, or None
    load_notes: list[str] = field(default_factory=list)
    advice: dict[str, list[str]] = field(default_factory=dict)
    figures: dict[str, dict[str, float]] = field(default_factory=dict)  # of trained models
    passed: dict[str, bool] = field(default_factory=dict)  # check id -> outcome, for the checks run so far

    def __repr__(self) -> str:  # tracebacks would print every question's arrays
        return f"Context({self.homework.id}, {len(self.questions)} questions, check {self.current or '-'})"

    def mine(self) -> list[tuple[Question, Answer]]:
        """The running check's questions, with their answers."""
        return [(self.questions[qid], self.answer(qid)) for qid in self.asked.get(self.current, [])]

    def answer(self, qid: str) -> Answer:
        return self.answers.get(qid) or Answer(Status.CRASHED, {"message": "no answer"})

    def call(self, part: str) -> str:
        return self.homework.parts[part]

    def fail_unless_answered(self, question: Question, answer: Answer, call: str | None = None):
        """The answer's value, or CheckFailed with the sentence for an answer that is not one."""
        call = call or self.call(question.part)
        problem = status_problem(answer, call, question.label, self.suggestions.get(question.part),
                                 self.homework_kind(question).returns)
        if problem:
            if answer.status is Status.MISSING and self.load_notes:
                problem += " Notes on loading your notebook: " + " ".join(self.load_notes)
            raise CheckFailed(problem)
        return answer.get("value")

    def mistake(self, question: Question, found) -> str | None:
        """The classic mistake the student's value matches, as one sentence a student can act on. When
        several mistakes compute the same value here, the one that also fits the part's other answers wins."""
        sentences = self.expect.mistakes(question, found)
        if len(sentences) > 1:
            others = [(q, a) for q, a in self.value_questions(question.part) if q.id != question.id]
            fits = lambda s: sum(s in self.expect.mistakes(q, a["value"]) for q, a in others)
            sentences = sorted(sentences, key=fits, reverse=True)  # stable: ties keep the pack's order
        return f"{MISTAKE_MARK} {sentences[0]}" if sentences else None

    def hint(self, question: Question, found) -> str | None:
        """The named mistake the value matches, else a constant factor seen across the whole part."""
        return self.mistake(question, found) or self.factor(question.part)

    def value_questions(self, part: str):
        """(question, answer) of the part's compared questions that were answered."""
        for qid, q in self.questions.items():
            a = self.answer(qid)
            if (q.part == part and self.homework_kind(q).value and not q.advisory and not q.repeat_of
                    and a.ok and a.get("finite", True) and a.get("value") is not None):
                yield q, a

    def homework_kind(self, question: Question) -> Grading:
        return self.homework.gradings()[question.kind]

    def factor(self, part: str) -> str | None:
        """'Your value is 0.1 times the expected one on every <input> asked...', or None."""
        seen = list(self.value_questions(part))
        pairs = [p for q, a in seen for p in factors.pairs(a["value"], self.expect.value(q))]
        r = factors.constant_ratio(pairs, len({q.label for q, _ in seen}))
        return factors.sentence(r, self.named_factors(), self.homework.words) if r is not None else None

    def gradient_factor(self, part: str) -> str | None:
        """The same for gradients (the field its kind names `gradient_field`): one factor on every entry of every input."""
        field_of = lambda q: self.homework_kind(q).gradient_field
        seen = [(q, a) for q, a in self.value_questions(part) if field_of(q) and a.get(field_of(q)) is not None]
        pairs = [p for q, a in seen for p in factors.pairs(a[field_of(q)], self.expect.gradient(q))]
        r = factors.constant_ratio(pairs, len({q.label for q, _ in seen}))
        return factors.sentence(r, self.named_factors(), self.homework.words, "gradient") if r is not None else None

    def named_factors(self) -> dict[str, float]:
        named = self.homework.named_factors
        return named(self.rubric) if named else {}

    def advise(self, text: str) -> None:
        """Advice (no points lost) shown under the running check."""
        if text not in self.advice.setdefault(self.current, []):
            self.advice[self.current].append(text)


def expect_value(ctx: Context, question: Question, answer: Answer, otherwise: str | None = None) -> None:
    """The answer's value against the expected one: numbers with the rubric's rtol and atol, arrays with
    grad_rtol and grad_atol; the hint is a named mistake, a factor, or `otherwise`."""
    found = ctx.fail_unless_answered(question, answer)
    expected, r, call = ctx.expect.value(question), ctx.rubric, ctx.call(question.part)
    if np.ndim(expected) == 0 and np.ndim(found) == 0:
        if not close(found, expected, r.rtol, r.atol):
            raise CheckFailed(wrong_value(call, question.label, found, expected, ctx.hint(question, found) or otherwise))
    elif not close_array(found, expected, r.grad_rtol, r.grad_atol):
        raise CheckFailed(wrong_array(call, question.label, found, expected, ctx.hint(question, found) or otherwise))


def expect_on_hidden(ctx: Context, questions: list[tuple[Question, Answer]], expect_one: Callable) -> None:
    """Run `expect_one(question, answer)` on each hidden question; fail with a count, never an expected value."""
    wrong, first = 0, None
    for question, answer in questions:
        try:
            expect_one(question, answer)
        except CheckFailed as failed:
            if answer.status in ABSENT:
                raise
            wrong += 1
            if answer.status is not Status.OK:
                first = first or str(failed)  # a crash or an exception names no expected value
    if wrong:
        part = questions[0][0].part
        public_failed = any(not ctx.passed.get(c.id, True) for c in ctx.rubric.checks if c.part == part and c.is_public)
        raise CheckFailed(hidden_summary(ctx.call(part), wrong, len(questions), first, public_failed,
                                         ctx.homework.words))
