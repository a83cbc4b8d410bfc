"""The questions of a grading: gathered from the checks that ask them, put in lanes, and their answers cleaned.

Each check declares the questions it asks (checks.py: `@check(id, asks=...)`); a question's
kind (a Grading, declared by the homework next to its checks) says which fields its answer has,
how to compute the expected value, and which classic mistakes to look for. Nothing here knows
a homework: ids, kinds and inputs all come from the pack.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.child.protocol import Answer, Question, Status

from autograder.child.contract import COMMON, ContractError, Number  # the fields both sides share
from autograder.homework import Grading


def clean(raw, question: Question, kind: Grading) -> Answer:
    """Keep only well-formed fields of a child's answer: numbers finite or flagged, arrays of the right shape."""
    status = Status.of(raw.get("status")) if isinstance(raw, dict) else None
    if status is None:
        return Answer(Status.CRASHED, {"message": "sent an answer the grader could not read"})
    fields = {k: v for k, spec in COMMON.items() if k in raw and (v := spec.clean(raw[k], question)) is not None}
    if status is not Status.OK:
        return Answer(status, fields)
    for name, spec in kind.fields.items():
        value = spec.clean(raw.get(name), question)
        if value is None and name in kind.required:
            return Answer(Status.BAD_VALUE, {"found": f"no {what(spec)} where one was expected"})
        if value is not None:
            fields[name] = value
    if isinstance(kind.fields.get("value"), Number):
        fields["finite"] = math.isfinite(fields["value"])
    return Answer(status, fields)


def what(spec) -> str:
    return {"Number": "number", "Array": "array of the right shape"}.get(type(spec).__name__, "value")


# ----------------------------------------------------------------------------- building the questions

@dataclass(frozen=True)
class Asking:
    """What a check's `asks` function is given: the rubric and the secret seed (None: no hidden questions,
    as in the self-check)."""

    rubric: Any
    seed: int | None

    def rng(self, tag: str) -> np.random.Generator:
        """A generator of its own for each tag: a check's inputs do not depend on which other checks run."""
        key = int.from_bytes(hashlib.sha256(tag.encode()).digest()[:8], "big")
        return np.random.default_rng([self.seed, key])

    @property
    def hidden_count(self) -> int:
        return self.rubric.hidden_count if self.seed is not None else 0

    def spread(self, tag: str, low: float, high: float, log: bool = False, whole: bool = False) -> list:
        """hidden_count values over [low, high], one drawn in each of as many equal strata (of the logarithm,
        with `log`), in shuffled order: every part of the range is asked, never one corner five times over.
        With `whole`, whole numbers: where each stratum spans at least 1, a value can then come from two
        neighbouring strata, never from three."""
        count = self.hidden_count
        if not count:
            return []
        rng = self.rng(f"{tag}/spread")
        edges = np.geomspace(low, high, count + 1) if log else np.linspace(low, high, count + 1)
        values = [float(rng.uniform(edges[i], edges[i + 1])) for i in range(count)]
        if whole:
            values = [int(min(high, max(low, round(v)))) for v in values]
        rng.shuffle(values)
        return values


def build(registry: dict, kinds: dict[str, Grading], rubric, asking: Asking) -> tuple[list[Question], dict[str, list[str]]]:
    """Every question of a grading, and the ids each check asked, in rubric order.

    Two checks may ask the same question (a value and its gradient): it is asked once. The
    first public value questions of each part are asked again at its end (`Question.again`):
    a function of its input gives the same value for the same input.
    """
    by_id: dict[str, Question] = {}
    by_check: dict[str, list[str]] = {}
    for row in rubric.checks:
        mine = asked_by(registry[row.id], asking)
        for q in mine:
            if q.kind not in kinds:
                raise ValueError(f"check {row.id} asks a question of the unknown kind {q.kind!r}")
            if not isinstance(q.inputs, kinds[q.kind].inputs):
                raise ContractError(f"{registry[row.id].where}: the check {row.id} asks the {q.kind!r} question "
                                    f"{q.id!r} with {type(q.inputs).__name__}; its kind declares "
                                    f"{kinds[q.kind].inputs.__name__}")
            if q.id in by_id and by_id[q.id].wire() != q.wire():
                raise ValueError(f"two different questions have the id {q.id!r}")
            by_id.setdefault(q.id, q)
        by_check[row.id] = [q.id for q in mine]
    ordered = []
    for part in dict.fromkeys(q.part for q in by_id.values()):
        mine = [q for q in by_id.values() if q.part == part]
        first = [q for q in mine if kinds[q.kind].value and not q.hidden and not q.advisory][:2]
        ordered += [*mine, *(q.again() for q in reversed(first))]
    return ordered, by_check


def asked_by(check, asking: Asking) -> list[Question]:
    """The questions a check asks; a field its kind's inputs do not declare is the pack's error, named with its file."""
    try:
        return check.asks(asking) if check.asks else []
    except TypeError as exc:
        if "unexpected keyword argument" in str(exc) or "missing" in str(exc) and "argument" in str(exc):
            raise ContractError(f"{check.where}: the check {check.id} builds inputs its kind does not declare "
                                f"({exc})") from None
        raise


def lanes(questions: list[Question], cores: int = 2) -> list[list[Question]]:
    """Children to answer the questions: with two cores, each part with a training gets a lane of its
    own (the two 10,000-step trainings of "Neural Networks 2" run side by side), the rest share the
    first; with one core, or no training, one child answers everything (a second would only import
    torch once more). Trainings come last in a lane: the cheap answers come back first."""
    long_parts = list(dict.fromkeys(q.part for q in questions if q.long))
    if cores < 2 or len(long_parts) < 2:
        out = [list(questions), []]
    else:
        second = set(long_parts[1::2])
        out = [[q for q in questions if q.part not in second], [q for q in questions if q.part in second]]
    for lane in out:
        lane.sort(key=lambda q: q.long)
    return out
