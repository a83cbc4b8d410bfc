"""A question in one place: a plain function of the notebook's, declared once, graded on its value.

One file of a pack's checks/ declares it (`autograder.pack.Function`): its name and parameters, whether it
returns a number or an array, the oracle (`expected`, grader-only), the public cases (the notebook's own
data), how a hidden case is drawn, and its named mistakes. The engine derives the rest: the task students
write (added to the homework's answers), the kind and its answering in the child (child/calls.py: no
child code of the pack), the grading (expected values, mistakes, constant factors), the public check
`<name>_public` and the hidden check `<name>_hidden`. The rubric gives its part's points and the two
checks' rows, as for any other check. docs/packs.md adds one to the Hessian pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import numpy as np

from autograder.child.contract import CallInputs, call_kind
from autograder.child.protocol import Question
from autograder.grading.checks import expect_on_hidden, expect_value
from autograder.homework import Grading, Task, check


@dataclass(frozen=True)
class Data:
    """An argument that is the handout's own array `name` (the child passes its copy); `value`: the grader's."""

    name: str
    value: np.ndarray


def wire(argument) -> dict:
    if isinstance(argument, Data):
        return {"data": argument.name}
    if np.ndim(argument) == 0:
        return {"number": float(argument)}
    return {"array": np.asarray(argument, dtype=np.float64).tolist()}


def value(argument):
    return argument.value if isinstance(argument, Data) else argument


@dataclass(frozen=True)
class Case:
    """One call: how feedback names it, and the arguments (Data, arrays or numbers) in the signature's order."""

    label: str
    arguments: tuple


@dataclass(frozen=True, eq=False)
class Function:
    """A function students write, graded on the value it returns for given arguments.

    `expected(*arguments)` and `mistakes(*arguments)` (a list of Mistake) are @grader_only functions of the
    same file: they use the oracle, and the student bundle ships them without their bodies. `public()`
    returns the public Cases; `hidden(rng, k)` draws the k-th hidden Case from a generator of the secret
    seed (None: no hidden check). `part`: its rubric part (default: its name).
    """

    name: str
    parameters: tuple[str, ...]
    returns: str  # "number" or "array"
    expected: Callable
    public: Callable[[], list[Case]]
    hidden: Callable[[np.random.Generator, int], Case] | None = None
    mistakes: Callable | None = None
    part: str = ""

    __declares_question__ = True  # how the engine finds it among a check file's names (homework.declared)

    @property
    def task(self) -> Task:
        return Task(self.name, f"{self.name}({','.join(self.parameters)})", self.part)

    @cached_property
    def grading(self) -> Grading:
        kind = call_kind(f"call:{self.name}:{self.returns}")
        if kind is None:
            raise ValueError(f"Function {self.name!r}: returns must be 'number' or 'array', not {self.returns!r}")
        arguments = lambda q: [value(a) for a in q.about]
        mistakes = (lambda q, rubric: self.mistakes(*arguments(q))) if self.mistakes else None
        return Grading(kind, expected=lambda q, rubric: self.expected(*arguments(q)), mistakes=mistakes)

    def question(self, qid: str, case: Case, hidden: bool) -> Question:
        if len(case.arguments) != len(self.parameters):
            raise ValueError(f"Function {self.name!r}: the case {case.label!r} has {len(case.arguments)} "
                             f"arguments for the {len(self.parameters)} parameters {', '.join(self.parameters)}")
        return Question(f"{self.name}/{qid}", self.task.graded_in, self.grading.name,
                        CallInputs([wire(a) for a in case.arguments]), label=case.label,
                        about=tuple(case.arguments), hidden=hidden)

    def checks(self) -> list:
        """The two checks, as @check functions: `<name>_public` and, with `hidden`, `<name>_hidden`."""
        def public(ctx):
            for q, a in ctx.mine():
                expect_value(ctx, q, a)

        def hidden(ctx):
            expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_value(ctx, q, a))

        asks_public = lambda asking: [self.question(f"public/{k}", c, False) for k, c in enumerate(self.public())]
        found = [check(f"{self.name}_public", asks=asks_public)(public)]
        if self.hidden is not None:
            found.append(check(f"{self.name}_hidden", asks=self.asks_hidden)(hidden))
        return found

    def asks_hidden(self, asking) -> list[Question]:
        rng = asking.rng(f"{self.name}_hidden") if asking.hidden_count else None
        return [self.question(f"hidden/{k}", self.hidden(rng, k), True) for k in range(asking.hidden_count)]
