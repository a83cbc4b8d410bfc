"""Near-identical answers across a course, for the TA to look at (never a verdict, never a grade).

Only answer code counts: what the loader keeps of a notebook (the student's own definitions,
imports and constants; the handout's names are dropped), with the handout's own stubs as
copydetect's boilerplate, so that code every student was given never makes two students alike.
copydetect tokenizes with pygments, replaces every name by one letter (a renamed variable is the
same code), drops comments and blanks, and compares winnowed fingerprints of 25-character runs.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from pathlib import Path

NOISE = 25  # characters of normalized code below which a shared run means nothing (copydetect's default)
# A pair is flagged when at least this share of each answer's code is found in the other: both
# ways, so that one student's short answer inside another's long one is not a copy by itself.
FLAG_AT = 0.8


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    a_in_b: float  # share of a's fingerprinted code found in b
    b_in_a: float
    code_a: str
    code_b: str

    @property
    def score(self) -> float:
        return min(self.a_in_b, self.b_in_a)


def answer_code(path: Path, handout) -> str | None:
    """The code of a submission the grader would run, or None when it cannot be read."""
    from . import submission
    from .errors import SubmissionError

    try:
        loaded = submission.load(path, handout)
    except (SubmissionError, OSError, ValueError):
        return None
    return loaded.code()


def fingerprint(code: str, boilerplate=()):
    from copydetect import CodeFingerprint

    return CodeFingerprint("answers.py", NOISE, 1, boilerplate=list(boilerplate), fp=io.StringIO(code))


def similar_pairs(codes: dict[str, str], handout_code: str) -> list[Pair]:
    """Every pair of students whose answers share anything beyond the handout, most similar first."""
    from copydetect import compare_files

    boilerplate = fingerprint(handout_code).hashes
    prints = {student: fingerprint(code, boilerplate) for student, code in sorted(codes.items())}
    found = []
    for (a, fa), (b, fb) in itertools.combinations(prints.items(), 2):
        if not fa.hashes or not fb.hashes:  # nothing of their own (the untouched handout): nothing to compare
            continue
        overlap, (a_in_b, b_in_a), _ = compare_files(fa, fb)
        if overlap:
            found.append(Pair(a, b, float(a_in_b), float(b_in_a), codes[a], codes[b]))
    return sorted(found, key=lambda p: (-p.score, p.a, p.b))


def flagged(pairs: list[Pair]) -> list[Pair]:
    return [p for p in pairs if p.score >= FLAG_AT]
