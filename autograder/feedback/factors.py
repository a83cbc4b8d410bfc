"""A constant factor between what a student computed and what was expected, across every input asked.

When found/expected is the same number on every input of a part (0.1, 2, 1/sqrt(h), 1/N, ...), the
formula is right up to a constant (a wrong coefficient, a missing size, a square of a 2). One number
from one input proves little; the same ratio on several different inputs is strong evidence, and
says so without giving any expected value of a hidden check. The sentence speaks the homework's
words (its Words): what an input is, what such a factor usually is.
"""

from __future__ import annotations

import math

import numpy as np

from autograder.feedback.sentences import number

AGREE = 1e-3  # how close the ratios of the different inputs must be to count as one factor


def constant_ratio(pairs: list[tuple[float, float]], inputs: int) -> float | None:
    """The common value of found/expected over `pairs`, when there is one, it is not 1, and it was
    seen on at least two different inputs; else None."""
    ratios = [f / e for f, e in pairs if math.isfinite(f) and abs(e) > 1e-12]
    if inputs < 2 or len(ratios) < 2:
        return None
    r = float(np.median(ratios))
    if r == 0 or abs(r - 1) <= AGREE or any(abs(x - r) > AGREE * abs(r) for x in ratios):
        return None
    return r


def pairs(found, expected) -> list[tuple[float, float]]:
    """(found, expected) for a number, or for each entry of two arrays of one shape where the expected
    entry is not zero (a sign is no factor)."""
    if np.ndim(expected) == 0:
        return [(float(found), float(expected))]
    found, expected = np.asarray(found, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if found.shape != expected.shape:
        return []
    mask = np.abs(expected) > 1e-9
    return list(zip(found[mask].tolist(), expected[mask].tolist()))


def describe(r: float, named: dict[str, float]) -> str:
    """0.1, or 10 (= sqrt(h)) when the number is one of the homework's named constants."""
    names = [name for name, value in named.items() if abs(r - value) <= AGREE * abs(value)]
    return number(r) + (f" (= {names[0]})" if names and names[0] != number(r) else "")


def sentence(r: float, named: dict[str, float], words, what: str = "value") -> str:
    """In the homework's words (homework.Words): the input asked about, and what such a factor usually is."""
    return (f"Your {what} is {describe(r, named)} times the expected one on every {words.input} asked: "
            f"a constant factor is off ({words.factor_suspects}).")
