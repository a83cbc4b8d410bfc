"""Near-identical answers across a course, for the TA to look at (never a verdict, never a grade).

Only answer code counts: what the loader keeps of a notebook or .py file (the student's own
definitions and constants; the handout's names are dropped), without imports (every student
imports the same modules, and the handout's import line is the handout's) and without any
statement the handout itself holds, with the handout's own stubs as copydetect's boilerplate: code
every student was given never makes two students alike. The whole of each student's answers is
compared, and each answer function on its own, so that one copied answer of four is found and
named. copydetect tokenizes with pygments, replaces every name by one letter (a renamed variable
is the same code), drops comments and blanks, and compares winnowed fingerprints of 25-character runs.
"""

from __future__ import annotations

import ast
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

NOISE = 25  # characters of normalized code below which a shared run means nothing (copydetect's default)
# A pair is flagged when at least this share of each answer's code is found in the other: both
# ways, so that one student's short answer inside another's long one is not a copy by itself.
FLAG_AT = 0.8
# An answer compared on its own needs this many fingerprints of its own: a short answer is written the same
# way by students who never met (the catalogs' independently written correct answers share up to 82% of
# answers of up to 49 fingerprints, the one-line reg() methods; docs/tas.md).
ANSWER_MIN_PRINTS = 50
# A fingerprint found in the same answer of more than this share of the class (and of more than COMMON_MIN
# students) is the course's common way of writing it, like the handout's code: it makes nobody alike.
COMMON_SHARE, COMMON_MIN = 0.1, 3


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    a_in_b: float  # share of a's fingerprinted code found in b
    b_in_a: float
    code_a: str
    code_b: str
    answers: tuple[str, ...] = field(default=())  # answers that are copies on their own, whatever the whole says

    @property
    def score(self) -> float:
        return min(self.a_in_b, self.b_in_a)

    @property
    def flagged(self) -> bool:
        return self.score >= FLAG_AT or bool(self.answers)


def answer_code(path: Path, handout) -> str | None:
    """The code of a submission the grader would run, or None when it cannot be read."""
    from autograder.grading import submission
    from autograder.errors import SubmissionError

    try:
        loaded = submission.load(path, handout)
    except (SubmissionError, OSError, ValueError):
        return None
    return loaded.code()


def statements(code: str) -> list[ast.stmt]:
    try:
        return ast.parse(code).body
    except (SyntaxError, ValueError, RecursionError):
        return []


def own_code(code: str, handout_code: str) -> str:
    """The student's own statements: no import, nothing the handout's code holds as it stands."""
    given = {ast.dump(s) for s in statements(handout_code)}
    kept = [s for s in statements(code) if not isinstance(s, (ast.Import, ast.ImportFrom)) and ast.dump(s) not in given]
    return "\n\n".join(ast.get_source_segment(code, s) or ast.unparse(s) for s in kept)


def answer_units(code: str, names) -> dict[str, str]:
    """answer name -> the source of its top-level definition (the last one, as Python keeps it)."""
    units = {}
    for s in statements(code):
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and s.name in names:
            units[s.name] = ast.get_source_segment(code, s) or ast.unparse(s)
    return units


def fingerprint(code: str, boilerplate=()):
    from copydetect import CodeFingerprint

    return CodeFingerprint("answers.py", NOISE, 1, boilerplate=list(boilerplate), fp=io.StringIO(code))


def similar_pairs(codes: dict[str, str], handout_code: str, names=()) -> list[Pair]:
    """Every pair of students whose answers share anything beyond the handout, most similar first; `names`
    (the homework's answers) are compared one by one too."""
    boilerplate = fingerprint(handout_code).hashes
    own = {student: own_code(code, handout_code) for student, code in sorted(codes.items())}
    prints = {student: fingerprint(code, boilerplate) for student, code in own.items()}
    units = answer_prints(own, names, boilerplate)
    found = []
    for (a, fa), (b, fb) in itertools.combinations(prints.items(), 2):
        if not fa.hashes or not fb.hashes:  # nothing of their own (the untouched handout): nothing to compare
            continue
        a_in_b, b_in_a = shares(fa, fb)
        copied = tuple(n for n in names if copied_answer(units[a].get(n), units[b].get(n)))
        if a_in_b or b_in_a or copied:
            found.append(Pair(a, b, a_in_b, b_in_a, own[a], own[b], copied))
    return sorted(found, key=lambda p: (not p.answers and p.score < FLAG_AT, -p.score, p.a, p.b))


def answer_prints(own: dict[str, str], names, boilerplate) -> dict[str, dict]:
    """student -> answer -> its fingerprint, with the handout's and the class's common code as boilerplate."""
    sources = {student: answer_units(code, names) for student, code in own.items()}
    common = set(boilerplate)
    for name in names:
        counts: dict[int, int] = {}
        for units in sources.values():
            if name in units:
                for h in set(fingerprint(units[name], boilerplate).hashes):
                    counts[h] = counts.get(h, 0) + 1
        common |= {h for h, n in counts.items() if n > max(COMMON_MIN, COMMON_SHARE * len(own))}
    return {student: {name: fingerprint(unit, common) for name, unit in units.items()}
            for student, units in sources.items()}


def shares(fa, fb) -> tuple[float, float]:
    from copydetect import compare_files

    overlap, (a_in_b, b_in_a), _ = compare_files(fa, fb)
    return (float(a_in_b), float(b_in_a)) if overlap else (0.0, 0.0)


def copied_answer(fa, fb) -> bool:
    """One answer a copy of the other's, both ways, and long enough for that to mean something."""
    if fa is None or fb is None or min(len(fa.hashes), len(fb.hashes)) < ANSWER_MIN_PRINTS:
        return False
    return min(shares(fa, fb)) >= FLAG_AT


def flagged(pairs: list[Pair]) -> list[Pair]:
    return [p for p in pairs if p.flagged]
