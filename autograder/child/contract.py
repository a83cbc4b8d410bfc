"""The contract between a pack's checks and its answering code: kinds of question, typed inputs, answer fields.

Both sides import it: the grading process, which asks and cleans, and the child, which answers (this is
child code: every kit and the student bundle carry it). A pack declares each kind once, in its
child/kinds.py, with the dataclass of its inputs and the fields of its answer:

    @dataclass(frozen=True)
    class NetworkInputs(Inputs):
        W: list
        b: list

    MIX = Kind("mix", NetworkInputs, {"value": Number()})

its checks ask with those inputs (`Question(..., NetworkInputs(W=..., b=...))`), and its answering code
names the function that answers the kind:

    @MIX.answerer
    def ask_mix(namespace, inputs: NetworkInputs): ...

A pack that asks with inputs its kind does not declare, or answers with a field its kind does not
declare, broke its own contract: a ContractError naming the pack's file and the field, which the
grader reports as its own error, never as a message to the student about their value.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

ARRAY_CELLS = 1_000_000  # the largest array an answer may hold (a trained network is 3,100 numbers)
TEXT_CHARS = 600


class ContractError(Exception):
    """A pack's checks or answering code broke the contract of one of its kinds; the message names the file and field."""


def clean_text(text, limit: int = TEXT_CHARS) -> str:
    """Printable text only (no terminal escapes), cut to a length a feedback line can hold."""
    if not isinstance(text, str):
        return ""
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------- answer fields

@dataclass(frozen=True)
class Number:
    """A float; `finite` is recorded beside it, NaN and inf are answers too (wrong ones)."""

    def clean(self, value, question):
        return float(value) if type(value) in (int, float) else None


@dataclass(frozen=True)
class Array:
    """Nested lists of floats of a shape: a tuple, or a function of the question (None: any shape)."""

    shape: Any = None
    finite: bool = False  # refuse NaN and inf

    def clean(self, value, question):
        if not isinstance(value, list):
            return None
        try:
            a = np.array(value, dtype=np.float64)
        except (ValueError, TypeError, OverflowError, RecursionError):
            return None
        shape = self.shape(question) if callable(self.shape) else self.shape
        if a.size > ARRAY_CELLS or (shape is not None and a.shape != tuple(shape)):
            return None
        return None if self.finite and not np.isfinite(a).all() else a


@dataclass(frozen=True)
class Flag:
    def clean(self, value, question):
        return value is True


@dataclass(frozen=True)
class Text:
    def clean(self, value, question):
        return clean_text(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class Choices:
    """A list of words from a fixed set (advice the child may report)."""

    allowed: tuple[str, ...]

    def clean(self, value, question):
        return [v for v in value if v in self.allowed] if isinstance(value, list) else []


@dataclass(frozen=True)
class Numbers:
    """A small dict of finite numbers with known keys."""

    keys: tuple[str, ...]

    def clean(self, value, question):
        if not isinstance(value, dict):
            return {}
        return {k: float(v) for k, v in value.items()
                if k in self.keys and type(v) in (int, float) and math.isfinite(v)}


# Fields every answer may carry, whatever its kind: what went wrong, and (the last two) that the machine failed.
COMMON = {"message": Text(), "found": Text(), "after": Text(), "seconds": Number(), "environment": Flag(),
          "module": Text()}


# ----------------------------------------------------------------------------- typed inputs

# What a JSON value of each annotated type may be (a float field takes a whole number too).
JSON_TYPES = {"list": (list,), "dict": (dict,), "str": (str,), "float": (int, float), "int": (int,), "bool": (bool,)}


class Inputs:
    """The base of a kind's inputs: a frozen dataclass of JSON values (lists, dicts, str, float, int, bool)."""

    def wire(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_wire(cls, data, kind: str) -> "Inputs":
        """The inputs a question carries, exactly the declared fields of the declared types, or ContractError."""
        if not isinstance(data, dict):
            raise ContractError(f"the {kind!r} question's inputs are not a table of fields")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(fields))
        required = {n for n, f in fields.items() if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING}
        missing = sorted(required - set(data))
        if unknown or missing:
            what = f"an unknown field {unknown[0]!r}" if unknown else f"no field {missing[0]!r}"
            raise ContractError(f"the {kind!r} question has {what}; its kind declares {cls.__name__}"
                                f"({', '.join(fields)})")
        for name, value in data.items():
            declared = fields[name].type
            declared = declared if isinstance(declared, str) else getattr(declared, "__name__", "")
            allowed = JSON_TYPES.get(declared.split("|")[0].strip())
            if allowed and (not isinstance(value, allowed) or isinstance(value, bool) and bool not in allowed):
                raise ContractError(f"the {kind!r} question's field {name!r} is a {type(value).__name__}; "
                                    f"{cls.__name__} declares {fields[name].type}")
        return cls(**data)


# ----------------------------------------------------------------------------- kinds

@dataclass(frozen=True, eq=False)
class Kind:
    """A kind of question, declared once by a pack (child/kinds.py): what it is asked with, what it answers.

    `fields`: what an "ok" answer holds besides its status ("value" is the compared one).
    `required`: fields without which an "ok" answer is a bad value (the student's doing).
    `returns`: what the student's function should return, in words, for feedback.
    `value`: compared with an expected value (repeated, looked at for factors and constants).
    `long`: a training: the longer time limit, asked last.
    """

    name: str
    inputs: type
    fields: dict
    returns: str = "a single number (a float or a 0-dim tensor)"
    required: tuple[str, ...] = ("value",)
    value: bool = True
    long: bool = False
    handlers: dict = field(default_factory=dict, repr=False)  # "answer" -> the child's function

    def answerer(self, function: Callable) -> Callable:
        """Decorator: `function(namespace, inputs)` answers this kind in the child, as (status, fields)."""
        self.handlers["answer"] = function
        return function

    def answering(self, wire_inputs) -> tuple[Callable, Inputs]:
        """The function that answers this kind, and the question's typed inputs; ContractError when either
        is missing or malformed (before any student code runs, so that nothing of theirs can raise it)."""
        function = self.handlers.get("answer")
        if function is None:
            raise ContractError(f"no function of the pack's child code answers the kind {self.name!r}")
        return function, self.inputs.from_wire(wire_inputs, self.name)

    def check_answer(self, fields: dict) -> None:
        """ContractError when an answer holds a field its kind does not declare (a pack's misspelling)."""
        unknown = sorted(set(fields) - set(self.fields) - set(COMMON))
        if unknown:
            function = self.handlers.get("answer")
            where = (f"{function.__module__.replace('.', '/')}.py, {function.__name__}" if function
                     else "the pack's child code")
            raise ContractError(f"{where} answered the kind {self.name!r} with the field {unknown[0]!r}, which it "
                                f"does not declare (its fields: {', '.join(self.fields)})")


# ----------------------------------------------------------------------------- a question in one place
# A plain function graded on its value (autograder.pack.Function) needs no child code of its pack: its kind,
# "call:<function>:<number|array>", is the engine's, and so is the answerer that calls it (child/calls.py).

CALL = "call"
RETURNS = {"number": (Number(), "a single number (a float or a 0-dim tensor)"),
           "array": (Array(), "an array (a numpy array or a torch tensor)")}


@dataclass(frozen=True)
class CallInputs(Inputs):
    """The function's arguments in the order of its signature: each {"data": NAME} (the handout's own array of
    that name, a fresh float64 copy), {"array": [...]} (a float64 numpy array) or {"number": x} (a float)."""

    arguments: list

    def __post_init__(self):
        for spec in self.arguments:
            form, value = next(iter(spec.items())) if isinstance(spec, dict) and len(spec) == 1 else ("", None)
            if not (form == "data" and isinstance(value, str) or form == "array" and isinstance(value, list)
                    or form == "number" and type(value) in (int, float)):
                raise ContractError(f"a call's argument is {str(spec)[:60]}: one of {{'data': NAME}}, "
                                    "{'array': [...]} or {'number': x} expected")


@functools.lru_cache(maxsize=None)
def call_kind(name: str) -> Kind | None:
    """The kind of a function declared in one place, from its name ("call:gradient:array"), or None. Its
    answerer is the engine's (child/calls.py, which a child installs on first use: it needs torch)."""
    parts = name.split(":")
    if len(parts) != 3 or parts[0] != CALL or parts[2] not in RETURNS or not parts[1].isidentifier():
        return None
    field_, returns = RETURNS[parts[2]]
    return Kind(name, CallInputs, {"value": field_}, returns=returns)


def child_code(package: str):
    """(the kinds by name, the answers module) of the pack whose child code is the package `package`.child: the
    one place a pack's child modules are named (the grader reaches them through Homework.child_code(), a
    child through its kit's copy). Importing the answers registers each kind's answerer."""
    import importlib

    answers = importlib.import_module(f"{package}.child.answers")
    return kinds_of(importlib.import_module(f"{package}.child.kinds")), answers


def kinds_of(module) -> dict[str, Kind]:
    """name -> Kind: every Kind a module (a pack's child/kinds.py) defines."""
    return {value.name: value for value in vars(module).values() if isinstance(value, Kind)}


# ----------------------------------------------------------------------------- the child side's API
# A pack's child code (its child/kinds.py, child/answers.py, child/handout.py) imports from this module only:
# the kinds above, and what answering needs below. An import-linter contract keeps it so (pyproject.toml).
from autograder.child import compiler, progress  # noqa: E402,F401  (a training's progress, a module compiled once)
from autograder.child.handout import Handout  # noqa: E402,F401
from autograder.child.namespace import with_handout  # noqa: E402,F401
from autograder.child.protocol import Status  # noqa: E402,F401

__all__ = ["Kind", "Inputs", "Number", "Array", "Flag", "Text", "Choices", "Numbers", "COMMON", "ContractError",
           "kinds_of", "child_code", "CallInputs", "call_kind", "clean_text", "Handout", "with_handout", "Status",
           "compiler", "progress", "Deferred", "array_answer", "number_answer", "to_array"]

# These need torch (values.py imports it): the grading process, which imports this module for the kinds,
# never does; a child gets them on first use.
_WITH_TORCH = ("Deferred", "array_answer", "number_answer", "to_array")


def __getattr__(name: str):
    if name in _WITH_TORCH:
        from autograder.child import values

        return getattr(values, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
