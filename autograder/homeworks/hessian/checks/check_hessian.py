"""Part hessian (10 P): hessian(X) = X^T X / N, the Hessian of J in w, from the data alone.

The questions: the notebook's data X and its centered copy Xc, and hidden random data sets.
The expected value: the oracle's X^T X / N. The named mistakes: what the classic slips compute.
"""

import numpy as np

from ....checks import check, expect_on_hidden, expect_value, grader_only
from ....questions import Array, Kind
from .common import hidden_data, public_data, question


@grader_only
def expected(q, rubric):
    from .. import oracle

    return oracle.hessian(q.about["X"])


@grader_only
def mistakes(q, rubric) -> list[tuple[str, object]]:
    from .. import oracle

    X = oracle.as_float64(q.about["X"])
    N, H, m = len(X), oracle.hessian(X), X.mean(axis=0)
    covariance = ("That is the covariance of x, which drops mu mu^T: the Hessian is the uncentered second moment "
                  "E[x x^T] = X^T X / N; do not subtract the mean of X.")
    found = [
        ("The Hessian of the mean objective is X^T X / N: divide by the number of samples N "
         "(X^T X alone is the Hessian of the sum).", X.T @ X),
        (covariance, H - np.outer(m, m)),
        ("That is E[x] E[x]^T only: the Hessian is E[x x^T] = X^T X / N, the mean of the outer products "
         "x_n x_n^T, not the outer product of the means.", np.outer(m, m)),
        ("That Hessian includes the bias: it has shape (d+1, d+1) and its top-left d x d block is the answer. "
         "hessian(X) is the Hessian in w only, X^T X / N of shape (d, d).", oracle.hessian_with_bias(X)),
        ("X has one sample per row: the Hessian is X^T X / N, of shape (d, d), not X X^T / N, of shape (N, N).",
         X @ X.T / N),
        ("The factor 1/2 of J cancels the 2 of the square: the Hessian is X^T X / N, without a factor 2.", 2 * H),
    ]
    if N > 1:  # numpy.cov's default divides by N - 1
        found.append((covariance, (H - np.outer(m, m)) * N / (N - 1)))
    return found


HESSIAN = Kind("hessian", {"value": Array()}, returns="a (d, d) matrix (a numpy array or a torch tensor)",
               expected=expected, mistakes=mistakes)


def ask(key: str, data, hidden: bool = False):
    return question(f"hessian/{key}", "hessian", "hessian", data.label, {"X": data.spec_X}, {"X": data.X}, hidden)


@check("hessian_public", asks=lambda asking: [ask(k, d) for k, d in zip(("X", "Xc"), public_data())])
def check_hessian_public(ctx):
    for q, a in ctx.mine():
        expect_value(ctx, q, a)


@check("hessian_hidden", asks=lambda asking: [ask(f"hidden/{k}", d, True)
                                              for k, d in enumerate(hidden_data(asking, "hessian_hidden"))])
def check_hessian_hidden(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_value(ctx, q, a))
