"""Part hessian (10 P): hessian(X) = X^T X / N, the Hessian of J in w, from the data alone.

The questions: the notebook's data X and its centered copy Xc, and hidden random data sets.
The expected value: the oracle's X^T X / N. The named mistakes: what the classic slips compute.
"""

import numpy as np

from autograder.pack import Grading, Mistake, check, expect_on_hidden, expect_value, grader_only
from ..child import kinds
from .common import hidden_data, public_data, question


@grader_only
def expected(q, rubric):
    from .. import oracle

    return oracle.hessian(q.about["X"])


@grader_only
def mistakes(q, rubric) -> list[Mistake]:
    from .. import oracle

    X = oracle.as_float64(q.about["X"])
    N, H, m = len(X), oracle.hessian(X), X.mean(axis=0)
    covariance = ("That is the covariance of x, which subtracts the mean.", "The Hessian is the uncentered second "
                  "moment E[x x^T] = X^T X / N; do not subtract the mean of X.")
    found = [
        Mistake("The 1/N is missing: X^T X alone is the Hessian of the summed objective.",
                "The Hessian of the mean objective is X^T X / N: divide by the number of samples N.", X.T @ X),
        Mistake(*covariance, H - np.outer(m, m)),
        Mistake("That is E[x] E[x]^T only, the outer product of the means.", "The Hessian is E[x x^T] = X^T X / N, "
                "the mean of the outer products x_n x_n^T.", np.outer(m, m)),
        Mistake("That Hessian includes the bias: it has shape (d+1, d+1).", "hessian(X) is the Hessian in w only, "
                "X^T X / N of shape (d, d): the top-left d x d block.", oracle.hessian_with_bias(X)),
        Mistake("X has one sample per row: that is X X^T / N, of shape (N, N).",
                "The Hessian is X^T X / N, of shape (d, d).", X @ X.T / N),
        Mistake("A factor 2 is too many: the 1/2 of J cancels the 2 of the square.",
                "The Hessian is X^T X / N, without a factor 2.", 2 * H),
    ]
    if N > 1:  # numpy.cov's default divides by N - 1
        found.append(Mistake(*covariance, (H - np.outer(m, m)) * N / (N - 1)))
    return found


HESSIAN = Grading(kinds.HESSIAN, expected=expected, mistakes=mistakes)


def ask(key: str, data, hidden: bool = False):
    return question(f"hessian/{key}", "hessian", kinds.HESSIAN, data.label, {"X": data.spec_X}, {"X": data.X}, hidden,
                    data=data)


@check("hessian_public", asks=lambda asking: [ask(k, d) for k, d in zip(("X", "Xc"), public_data())])
def check_hessian_public(ctx):
    for q, a in ctx.mine():
        expect_value(ctx, q, a)


@check("hessian_hidden", asks=lambda asking: [ask(f"hidden/{k}", d, True)
                                              for k, d in enumerate(hidden_data(asking, "hessian_hidden"))])
def check_hessian_hidden(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_value(ctx, q, a))
