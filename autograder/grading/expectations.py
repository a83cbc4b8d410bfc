"""Where a check's expected values come from: computed by the homework's oracle, or read from stored numbers.

The grader computes every expected value from the sheet's closed forms (`Computed`, through the
kinds the homework declares next to its checks). The students' self-check must not hold those
formulas, so it reads the expected values of the public questions, and the classic mistakes on
them sealed by their wrong numbers (sealed.py), from a file of numbers (`Stored`) that
`Computed` wrote when the bundle was built. The checks ask through one interface and never
know which they got.
"""

from __future__ import annotations

import json


import numpy as np

from autograder.grading import questions
from autograder.feedback import sealed
from autograder.feedback.sentences import named_mistakes

PUBLIC_FILE = "public_expected.json"  # in the homework's data/ folder of the student bundle


class Computed:
    """The grader's expectations: each kind's expected value, gradient, mistakes and figures."""

    def __init__(self, homework, rubric):
        self.homework, self.rubric = homework, rubric
        self.kinds = homework.gradings()
        self.memo: dict[tuple[str, str], object] = {}  # (what, question id): the checks ask many times

    def remembered(self, what: str, question, compute):
        key = (what, question.repeat_of or question.id)
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def value(self, question):
        return self.remembered("value", question, lambda: self.kinds[question.kind].expected(question, self.rubric))

    def gradient(self, question) -> np.ndarray:
        return self.remembered("gradient", question,
                               lambda: self.kinds[question.kind].gradient(question, self.rubric))

    def field(self, question, name: str):
        """The expected value of another field of the answer (gradient descent's final parameters)."""
        return self.remembered(name, question, lambda: self.kinds[question.kind].also[name](question, self.rubric))

    def alternatives(self, question) -> list[tuple[str, object]]:
        """(sentence, value) of the question's named mistakes, in the words the rubric's hints level asks for."""
        mistakes = self.kinds[question.kind].mistakes
        named = self.remembered("mistakes", question, lambda: mistakes(question, self.rubric) if mistakes else [])
        return [(m.sentence(self.rubric.hints), m.value) for m in named if m.sentence(self.rubric.hints)]

    def mistakes(self, question, found) -> list[str]:
        """The sentences of the classic mistakes whose values `found` matches, in their order."""
        return named_mistakes(found, self.alternatives(question), self.rubric.rtol, self.rubric.atol)

    def figures(self, question, answer) -> dict[str, float | None]:
        return self.kinds[question.kind].figures(question, answer, self.rubric)

    def needs(self, question, figure: str) -> str | None:
        return None  # the grader computes every figure

    def public_numbers(self, asked: list) -> dict:
        """The numbers a self-check needs for the public questions: values, gradients, sealed mistakes."""
        out = {}
        for q in asked:
            kind = self.kinds[q.kind]
            if q.hidden or not kind.value:
                continue
            right = self.value(q)
            entry = {"value": np.asarray(right).tolist()}
            if kind.gradient:
                entry["gradient"] = self.gradient(q).tolist()
            for name in kind.also:
                entry[name] = np.asarray(self.field(q, name)).tolist()
            if not q.repeat_of:
                # A mistake that computes the right value here (the mean of one row is its sum) is none.
                entry["mistakes"] = [sealed.seal(q.id, sealed.fingerprint(v), s) for s, v in self.alternatives(q)
                                     if np.all(np.isfinite(v)) and not same_value(v, right)]
            out[q.id] = entry
        return out


def same_value(a, b) -> bool:
    return np.shape(a) == np.shape(b) and bool(np.allclose(a, b, rtol=1e-3, atol=0))


def public_numbers(homework, rubric) -> dict:
    """The self-check's numbers for `rubric` (its lambdas, say, decide expected values)."""
    registry = homework.checks()
    asked, _ = questions.build(registry, homework.gradings(), rubric, questions.Asking(rubric, None))
    return Computed(homework, rubric).public_numbers(asked)


class Stored:
    """The self-check's expectations: numbers for the public questions, nothing to compute them with.

    Figures after a training come from the kind's `stored_figures`: what the handout's own code
    can recompute, and what the student's own functions answered about the trained result, asked
    only of parts whose public checks all passed (`own`, filled by the self-check); the rest is
    left to the grader (None), and `needs` says which part would decide it.
    """

    def __init__(self, homework, rubric, numbers: dict):
        self.homework, self.rubric, self.stored = homework, rubric, numbers
        self.kinds = homework.gradings()
        self.own: dict[str, dict[str, float | None]] = {}  # long question id -> figure -> own answer
        self.own_parts: dict[str, dict[str, str]] = {}  # long question id -> figure -> the part answering it

    @classmethod
    def for_rubric(cls, homework, rubric) -> "Stored":
        """The numbers shipped with the student bundle; in the grader's own checkout, computed for `rubric`."""
        path = homework.folder / "data" / PUBLIC_FILE
        numbers = json.loads(path.read_text()) if path.exists() else public_numbers(homework, rubric)
        return cls(homework, rubric, numbers)

    def entry(self, question) -> dict:
        return self.stored[question.repeat_of or question.id]

    def value(self, question):
        value = self.entry(question)["value"]
        return np.array(value, dtype=np.float64) if isinstance(value, list) else value

    def gradient(self, question) -> np.ndarray:
        return np.array(self.entry(question)["gradient"], dtype=np.float64)

    def field(self, question, name: str):
        return np.asarray(self.entry(question)[name], dtype=np.float64)

    def mistakes(self, question, found) -> list[str]:
        """The sealed sentence `found` opens: only the wrong number itself is the key (sealed.py)."""
        opened = sealed.unseal(question.id, sealed.fingerprint(found), self.entry(question).get("mistakes", []),
                               self.rubric.rtol)
        return [opened] if opened else []

    def figures(self, question, answer) -> dict[str, float | None]:
        return self.kinds[question.kind].stored_figures(question, answer, self.own.get(question.id, {}), self.rubric)

    def needs(self, question, figure: str) -> str | None:
        """The part whose own answer would give `figure` here (its public checks must pass first)."""
        return self.own_parts.get(question.id, {}).get(figure)
