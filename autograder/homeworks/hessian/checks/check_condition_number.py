"""Part condition_number (5 P): lambda_max / lambda_min of a symmetric positive definite matrix.

The questions: the Hessians of the notebook's raw and centered data, and hidden random SPD
matrices whose eigenvalues spread over one to six orders of magnitude.
"""

import numpy as np

from autograder.pack import Grading, Mistake, check, expect_on_hidden, expect_value, grader_only
from ..child import kinds
from .common import notebook_data, question


@grader_only
def expected(q, rubric):
    from .. import oracle

    return oracle.condition_number(q.about["H"])


@grader_only
def mistakes(q, rubric) -> list[Mistake]:
    from .. import oracle

    ev = oracle.eigenvalues(q.about["H"])
    unsorted = np.linalg.eigvals(oracle.as_float64(q.about["H"])).real
    in_no_order = ("numpy.linalg.eigvals returns the eigenvalues in no particular order.",
                   "Take their max and min, or use numpy.linalg.eigvalsh, which sorts them ascending "
                   "(lambda_max / lambda_min).")
    return [
        Mistake("That is lambda_min / lambda_max, the inverse.", "The condition number is lambda_max / lambda_min, "
                "at least 1.", ev[0] / ev[-1]),
        Mistake(*in_no_order, unsorted[-1] / unsorted[0]),
        Mistake(*in_no_order, unsorted[0] / unsorted[-1]),
    ]


CONDITION_NUMBER = Grading(kinds.CONDITION_NUMBER, expected=expected, mistakes=mistakes)


def ask(key: str, label: str, H: np.ndarray, hidden: bool = False):
    return question(f"condition_number/{key}", "condition_number", kinds.CONDITION_NUMBER, label,
                    {"H": H.tolist()}, {"H": H}, hidden)


def public(asking):
    nb = notebook_data()
    return [ask(name, f"H = hessian({name}) of the notebook's {what} data", nb[name].T @ nb[name] / len(nb[name]))
            for name, what in (("X", "raw"), ("Xc", "centered"))]


def hidden(asking):
    if not asking.hidden_count:
        return []
    rng = asking.rng("condition_number_hidden")
    found = []
    for k in range(asking.hidden_count):
        d = int(rng.integers(2, 13))
        Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
        ev = 10.0 ** rng.uniform(-3, rng.uniform(0.5, 3), d)
        found.append(ask(f"hidden/{k}", f"hidden random matrix {k + 1} ({d} x {d})", (Q * ev) @ Q.T, True))
    return found


@check("condition_number_public", asks=public)
def check_condition_number_public(ctx):
    for q, a in ctx.mine():
        expect_value(ctx, q, a)


@check("condition_number_hidden", asks=hidden)
def check_condition_number_hidden(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_value(ctx, q, a))
