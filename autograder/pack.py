"""The contract a homework pack fills in: what the engine knows of a homework, and nothing else.

A pack is a Python package whose `HOMEWORK` is a `Homework`: its answers (each declared once, as an
`Answer`: the name the student defines, the call feedback names, its rubric part, and for a class the
method that holds the answer), the handout notebook's name, the words the engine's sentences need,
and its own rubric tables. Everything else is derived from it: the rubric's parts, the handout's
answer cells, the answers the mutants edit.

Its kinds of question are declared once, in its child/kinds.py (child/contract.py: typed inputs,
answer fields; the child answers them); its checks, in checks/, ask them and say how to grade them
with `Kind` below (expected values, named mistakes: grader-only, never in the student bundle).

This module is the bottom of the engine: packs import it, and it imports nothing of the grading.
Also for packs: `check` and `grader_only` (the decorators of a check file), `Mistake` (feedback.py),
`expect_value` and `expect_on_hidden` (checks.py), the mutation families (mutants/families.py).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Callable

from .child.contract import (Array, Choices, ContractError, Flag, Inputs, Number, Numbers,  # noqa: F401 (for packs)
                             Text)
from .child.contract import Kind as Contract


# ----------------------------------------------------------------------------- the homework

@dataclass(frozen=True)
class Answer:
    """One thing a student writes: a function, or a class whose `method` holds the answer."""

    name: str  # what the student defines: "Mix", "FrobClassifier"
    call: str  # how feedback names it: "Mix(nn)", "FrobClassifier.reg()"
    part: str = ""  # the rubric part it is graded in (default: its name)
    method: str = ""  # for a class: the method holding the answer ("reg"), what mutants edit

    @property
    def graded_in(self) -> str:
        return self.part or self.name

    @property
    def path(self) -> tuple[str, ...]:
        """The definition path to the function that holds the answer: ("Mix",), ("FrobClassifier", "reg")."""
        return (self.name, self.method) if self.method else (self.name,)


@dataclass(frozen=True)
class Words:
    """The nouns the engine's sentences need, in the homework's own words (it knows no homework)."""

    input: str = "input"  # what one question is about, in "on every network asked"
    public_inputs: str = "the public inputs"  # in "The public checks pass on the two fixed networks"
    anything: str = "inputs"  # what a function must be right for: "weights, biases and data"
    factor_suspects: str = "a square?"  # what a constant factor usually is: "lambda, h, a square?"
    vocabulary: tuple[str, ...] = ()  # words only this homework's messages say (the engine's guard checks)


@dataclass(frozen=True, eq=False)  # one instance per pack, compared and hashed by identity
class Homework:
    """A homework pack, as the engine sees it."""

    id: str
    title: str
    answers: tuple[Answer, ...]  # in the order of the sheet
    notebook: str  # the handout notebook's file name without .ipynb: "neural_networks_2"
    summary: str  # the first line of every results.json: what was graded
    package: str = ""  # the pack's Python package: __name__ of its __init__.py (default: autograder.homeworks.<id>)
    tables: dict = field(default_factory=dict)  # extra rubric tables: "penalty" -> {key: rubric.Key}
    named_factors: Callable | None = None  # rubric -> {name: value}: constants a factor is named by
    words: Words = field(default_factory=Words)
    # Where the pack's sources that never ship live (a checkout's reference/ and tests/, or folders beside the
    # pack's package): the instructor's solved notebook with its solution marks (handouts.py), the model
    # answers written from it, and the catalog of correct/ and wrong/ submissions.
    master: Path | None = None
    solution: Path | None = None
    catalog: Path | None = None

    @property
    def parts(self) -> dict[str, str]:
        """rubric part -> the call feedback names, in the order of the sheet."""
        return {a.graded_in: a.call for a in self.answers}

    @property
    def module_name(self) -> str:
        return self.package or f"{__package__}.homeworks.{self.id}"

    @cached_property
    def folder(self) -> Path:
        return Path(importlib.import_module(self.module_name).__file__).resolve().parent

    @property
    def handout(self):
        """The handout (child/handout.py's HANDOUT: cells(), ANSWERS, PROVIDED_NAMES, provided_source())."""
        return self.module("child.handout").HANDOUT

    @property
    def checks_folder(self) -> Path:
        return self.folder / "checks"

    @property
    def rubric_path(self) -> Path:
        return self.folder / "rubric.toml"

    @property
    def template(self) -> Path:
        """The handout notebook students are given."""
        return self.folder / "child" / f"{self.notebook}.ipynb"

    @property
    def reference(self) -> Path:
        """The model answers (never shipped)."""
        return self.solution if self.solution else self.folder / "solution.py"

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.module_name}.{name}")


def checkout_sources(homework_id: str) -> dict[str, Path]:
    """Where a pack of this repository keeps what never ships: its solved notebook and model answers in
    reference/<id>/, its catalog in tests/submissions/<id>/ (a course's pack says where its own are)."""
    repo = Path(__file__).resolve().parent.parent
    return {"master": repo / "reference" / homework_id / "master.ipynb",
            "solution": repo / "reference" / homework_id / "solution.py",
            "catalog": repo / "tests" / "submissions" / homework_id}


# ----------------------------------------------------------------------------- a check file's declarations

def check(check_id: str, asks: Callable | None = None):
    """Decorator: the function is the rubric row `check_id`; `asks(asking)` returns the questions it asks."""
    def mark(func):
        func.__check_id__ = check_id
        func.__asks__ = asks
        return func
    return mark


def grader_only(func):
    """A function the student bundle ships without its body: it holds expected values or mistakes."""
    func.__grader_only__ = True
    return func


@dataclass(frozen=True, eq=False)
class Kind:
    """How the grader grades a kind of question (`contract`, declared in the pack's child/kinds.py).

    `expected(question, rubric)`, `gradient(question, rubric)`, `mistakes(question, rubric)` and
    `figures(question, answer, rubric)` are the grader's (they use the oracle); the student
    bundle has none of them. The self-check's stand-in for `figures` is
    `stored_figures(question, answer, own, rubric)`, where `own` holds what the student's own
    functions answered to the questions `own(question, answer)` returns ({figure: Question}),
    asked only of parts whose public checks passed (None for the others).
    """

    contract: Contract
    expected: Callable | None = None
    gradient: Callable | None = None
    gradient_field: str = ""  # the answer's field that holds the gradient `gradient` computes (a factor is looked for)
    also: dict = field(default_factory=dict)  # other fields' expected values: name -> (question, rubric) -> value
    mistakes: Callable | None = None
    figures: Callable | None = None
    stored_figures: Callable | None = None
    own: Callable | None = None

    @property
    def name(self) -> str:
        return self.contract.name

    @property
    def fields(self) -> dict:
        return self.contract.fields

    @property
    def required(self) -> tuple[str, ...]:
        return self.contract.required

    @property
    def returns(self) -> str:
        return self.contract.returns

    @property
    def value(self) -> bool:
        return self.contract.value

    @property
    def long(self) -> bool:
        return self.contract.long

    @property
    def inputs(self) -> type:
        return self.contract.inputs
