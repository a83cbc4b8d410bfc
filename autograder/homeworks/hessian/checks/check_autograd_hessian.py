"""Part autograd_hessian (10 P): the same X^T X / N, by differentiating model.objective twice with autograd.

The questions: the notebook's data with two different parameter settings (J is quadratic in w, so
the Hessian must not depend on them), and hidden random data sets with random parameters.
"""

import numpy as np

from autograder.pack import Grading, Mistake, check, expect_on_hidden, expect_value, grader_only
from ..child import kinds
from .common import hidden_data, initial_parameters, public_data, question


@grader_only
def expected(q, rubric):
    from .. import oracle

    return oracle.autograd_hessian(q.about["X"])


@grader_only
def mistakes(q, rubric) -> list[Mistake]:
    from .. import oracle

    X, w, b, T = oracle.as_float64(q.about["X"]), q.about["w"], q.about["b"], q.about["T"]
    H = oracle.autograd_hessian(X)
    by_autograd = "torch.autograd.functional.hessian(lambda w: model.objective(X,T,w=w), model.w)"
    return [
        Mistake("That is the Hessian of the summed objective: J is the mean over the samples.",
                "Differentiate model.objective itself (or divide by N); the Hessian is X^T X / N.", len(X) * H),
        Mistake("That is the Hessian in (w, b) together, of shape (d+1, d+1).",
                f"Differentiate with respect to w only, e.g. {by_autograd}.", oracle.hessian_with_bias(X)),
        Mistake("That is the gradient of J (one derivative, shape (d,)).",
                f"The Hessian differentiates twice, e.g. with {by_autograd}.", oracle.gradient(w, b, X, T)[0]),
        Mistake("A factor 2 is too many: the 1/2 of J cancels the 2 of the square.",
                "Differentiate model.objective itself; the Hessian is X^T X / N, without a factor 2.", 2 * H),
    ]


AUTOGRAD_HESSIAN = Grading(kinds.AUTOGRAD_HESSIAN, expected=expected, mistakes=mistakes)


def ask(key: str, data, w, b, hidden: bool = False):
    label = f"{data.label} with w, b of setting {key.rsplit('/', 1)[-1]}" if not hidden else data.label
    return question(f"autograd_hessian/{key}", "autograd_hessian", kinds.AUTOGRAD_HESSIAN, label,
                    {"X": data.spec_X, "T": data.spec_T, "w": np.asarray(w).tolist(), "b": float(b)},
                    {"X": data.X, "T": data.T, "w": np.asarray(w), "b": float(b)}, hidden, data=data)


def public(asking):
    X, Xc = public_data()
    return [ask("X/0", X, *initial_parameters(10, 0)), ask("X/1", X, *(p * 50 for p in initial_parameters(10, 1))),
            ask("Xc/0", Xc, *initial_parameters(10, 0))]


def hidden(asking):
    rng = asking.rng("autograd_hessian_hidden/parameters") if asking.hidden_count else None
    return [ask(f"hidden/{k}", d, rng.normal(0, 1, d.X.shape[1]), rng.normal(), True)
            for k, d in enumerate(hidden_data(asking, "autograd_hessian_hidden"))]


@check("autograd_hessian_public", asks=public)
def check_autograd_hessian_public(ctx):
    for q, a in ctx.mine():
        expect_value(ctx, q, a)


@check("autograd_hessian_hidden", asks=hidden)
def check_autograd_hessian_hidden(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_value(ctx, q, a))
