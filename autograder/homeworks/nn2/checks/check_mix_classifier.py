"""Part MixClassifier (7.5 P): reg() = lambda * ||W||_Mix^2, lambda = 0.025 by the sheet.

Its questions: reg() on the public networks (value, then gradient), on hidden random ones, and
the handout's fit(); its penalty's closed form and named mistakes are below (penalties.py has
what the two classifiers share).
"""

import numpy as np

from autograder.pack import Mistake, check, grader_only
from ..child import kinds
from . import penalties
from .check_mix import rows_l1

PART = "MixClassifier"


@grader_only
def value(W, lam):
    from .. import oracle

    return oracle.mix_penalty(W, lam)


@grader_only
def gradient(W, lam):
    from .. import oracle

    return oracle.mix_penalty_gradient(W, lam)


@grader_only
def mistakes(net, lam, rubric) -> list[Mistake]:
    from .. import oracle

    W, b = net.W, net.b
    other = rubric.tables.penalty.frob_lambda
    m = oracle.mix(W)
    transposed = np.sqrt((np.abs(W).sum(axis=1) ** 2).sum())
    return [
        Mistake("The square is missing.", "The penalty is lambda*||W||_Mix^2.", lam * m),
        Mistake(f"Wrong lambda: {other:g} is FrobClassifier's.", f"MixClassifier uses lambda = {lam:g}.", other * m ** 2),
        Mistake("||W||_Mix in the penalty takes its l1 norms over the wrong axis: PyTorch stores W as (h, d).",
                "||W_i,:||_1 sums over dim=0 of the weight.", lam * transposed ** 2),
        # The bias taken as one more column of W (torch.cat, or a loop over parameters).
        Mistake("The bias is penalized too.", "The penalty is on the first layer's weight W only, not on the bias.",
                lam * ((rows_l1(W) ** 2).sum() + np.abs(b).sum() ** 2)),
    ]


@grader_only
def norm(W) -> float:
    from .. import oracle

    return oracle.mix(W)


# ||W||_Mix needs the answer itself: the self-check asks the student's own Mix, once its public checks passed.
PENALTY = penalties.Penalty(
    PART, "mixc", "lambda*||W||_Mix^2 with lambda = {lam:g}", "2*lambda*||W_i,:||_1*sign(W_ij)", "||W||_Mix",
    "mix_lambda", value, gradient, mistakes, norm, norm_by="Mix", norm_by_kind=kinds.MIX)


@check("mixc_reg_value", asks=penalties.public_reg(PENALTY))
def check_mixc_reg_value(ctx):
    penalties.check_values(ctx)


@check("mixc_reg_gradient", asks=penalties.public_reg(PENALTY))
def check_mixc_reg_gradient(ctx):
    penalties.check_gradients(ctx)


@check("mixc_reg_hidden", asks=penalties.hidden_reg(PENALTY))
def check_mixc_reg_hidden(ctx):
    penalties.check_hidden(ctx)


@check("mixc_training", asks=penalties.training(PENALTY))
def check_mixc_training(ctx):
    penalties.check_training(ctx)
