"""Equivalence where students run their code: the grader's own questions, answered in this process as a child does.

A mutant that computes the reference's values in float64 may still fail where students run it.
`torch.as_tensor(X, dtype=torch.float32) -> torch.as_tensor(X)` is harmless in float64, but the
handout's network is float32 and its Xtest a float64 numpy array, so on the handout's own data
that Grad raises "mat1 and mat2 must have the same dtype": the grader is right to take its points,
and a judgement made in float64 alone would call it equivalent and the grader wrong.

So the first question of equivalence is asked on the grader's questions themselves: the public
ones on the handout's inputs, the hidden ones drawn as the grader draws them (from a fixed seed
that is no course's secret), each answered by the pack's own child code, with the conversions,
dtypes and shapes of a child. Trainings are left out (minutes each; the packs' float64 checks ask
the penalties' values and gradients on random weights instead). Two answers are the same when
their statuses are, the exceptions' types are, and their numbers agree within float32 rounding.

Trusted code only: this runs mutants of our own reference in this process, not student code.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np

SEED = 20261203  # hidden inputs drawn as the grader draws them, from a seed that is no course's secret
RTOL, ATOL = 1e-5, 1e-7  # float32 arithmetic: the same computation in another order differs by a few ulps


@functools.lru_cache(maxsize=4)
def questions(homework) -> tuple:
    """The short questions of a grading of `homework` (public and hidden), in the order a child gets them."""
    from autograder.grading import questions as questions_module
    from autograder import rubric as rubric_module

    rubric = rubric_module.load(homework)
    asked, _ = questions_module.build(homework.checks(), homework.gradings(), rubric,
                                      questions_module.Asking(rubric, SEED))
    return tuple(q for q in asked if not q.long)


def answers(homework, source: str) -> dict[str, dict]:
    """question id -> the answer `source` gives as a child would give it (its definitions run in this process)."""
    import torch

    from autograder.child.main import answer, run_statements
    from autograder.grading.submission import read_cells

    sub = read_cells(homework.reference, [("source", source)], homework.handout)
    kinds, children = homework.child_code()
    saved = torch.get_default_dtype()
    with torch.random.fork_rng(devices=[]), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            namespace, _ = children.prepare(sub.to_request()["statements"], sub.cell_sources, run_statements)
            return {q.id: answer(kinds, namespace, q.wire()) for q in questions(homework)}
        finally:
            torch.set_default_dtype(saved)


@functools.lru_cache(maxsize=4)
def reference_answers(homework, reference: str) -> dict[str, dict]:
    return answers(homework, reference)


def difference(homework, source: str, reference: str) -> str:
    """'' when `source` answers every short question of a grading as `reference` does, else the first difference,
    in words: the question, what the source answers, what the reference answers."""
    expected = reference_answers(homework, reference)
    found = answers(homework, source)
    for q in questions(homework):
        why = differs(found[q.id], expected[q.id])
        if why:
            return f"{q.part}: {q.label or q.id}: {why}"
    return ""


def differs(got: dict, want: dict) -> str:
    """Why two answers to one question differ, or '' when they are the same."""
    if got["status"] != want["status"]:
        return f"{shown(got)}, where the reference {shown(want)}"
    if got["status"] == "error":
        return "" if exception(got) == exception(want) else f"{shown(got)}, where the reference {shown(want)}"
    for key in sorted((set(got) | set(want)) - {"id", "event", "status", "message"}):
        if not same(got.get(key), want.get(key)):
            return f"its {key} is {brief(got.get(key))}, the reference's {brief(want.get(key))}"
    return ""


def exception(answer: dict) -> str:
    return str(answer.get("message", "")).split(":", 1)[0]


def shown(answer: dict) -> str:
    status = answer["status"]
    if status == "error":
        return f"raises {answer.get('message', '')}"[:240]
    if status == "ok":
        return f"answers {brief(answer.get('value'))}" if "value" in answer else "answers"
    return f"gives the status {status}"


def brief(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        return f"an array of shape {np.asarray(value, dtype=object).shape}"
    return repr(value)[:80]


def same(a, b) -> bool:
    """Numbers and arrays within float32 rounding (NaN matching NaN); anything else equal."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b or math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        try:
            x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        except (TypeError, ValueError):
            return a == b
        return x.shape == y.shape and bool(np.all(np.isclose(x, y, rtol=RTOL, atol=ATOL, equal_nan=True)))
    return a == b
