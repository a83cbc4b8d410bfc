"""Part FrobClassifier (7.5 P): reg() = lambda * (sqrt(h) * ||W||_Frob)^2, lambda = 0.005 by the sheet.

Its questions: reg() on the public networks (value, then gradient), on hidden random ones, and
the handout's fit(); its penalty's closed form and named mistakes are below (penalties.py has
what the two classifiers share).
"""

import numpy as np

from autograder.pack import Mistake, check, grader_only
from . import penalties

PART = "FrobClassifier"


@grader_only
def value(W, lam):
    from .. import oracle

    return oracle.frob_penalty(W, lam)


@grader_only
def gradient(W, lam):
    from .. import oracle

    return oracle.frob_penalty_gradient(W, lam)


@grader_only
def mistakes(net, lam, rubric) -> list[Mistake]:
    from .. import oracle

    W, b, h = net.W, net.b, net.W.shape[0]
    other = rubric.tables.penalty.mix_lambda
    f2 = oracle.frob(W) ** 2
    formula = "The penalty is lambda*(sqrt(h)*||W||_Frob)^2 = lambda*h*||W||_Frob^2."
    return [
        Mistake("The factor h is missing.", formula, lam * f2),
        Mistake("sqrt(h) is not squared with the norm.", "(sqrt(h)*||W||_Frob)^2 = h*||W||_Frob^2.",
                lam * np.sqrt(h) * f2),
        Mistake("The square is missing.", formula, lam * np.sqrt(h) * oracle.frob(W)),
        Mistake(f"Wrong lambda: {other:g} is MixClassifier's.", f"FrobClassifier uses lambda = {lam:g}.", other * h * f2),
        Mistake("The bias is penalized too.", "The penalty is on the first layer's weight W only, not on the bias.",
                lam * h * (f2 + (b ** 2).sum())),
    ]


@grader_only
def norm(W) -> float:
    from .. import oracle

    return float(np.sqrt(W.shape[0])) * oracle.frob(W)


def handout_norm(W) -> float:
    """sqrt(h)*||W||_Frob is the handout's own Frob: the self-check computes it without any answer."""
    return float(np.sqrt(W.shape[0]) * np.sqrt((W ** 2).sum()))


PENALTY = penalties.Penalty(
    PART, "frob", "lambda*(sqrt(h)*||W||_Frob)^2 with lambda = {lam:g}", "2*lambda*h*W", "sqrt(h)*||W||_Frob",
    "frob_lambda", value, gradient, mistakes, norm, handout_norm=handout_norm)


@check("frob_reg_value", asks=penalties.public_reg(PENALTY))
def check_frob_reg_value(ctx):
    penalties.check_values(ctx)


@check("frob_reg_gradient", asks=penalties.public_reg(PENALTY))
def check_frob_reg_gradient(ctx):
    penalties.check_gradients(ctx)


@check("frob_reg_hidden", asks=penalties.hidden_reg(PENALTY))
def check_frob_reg_hidden(ctx):
    penalties.check_hidden(ctx)


@check("frob_training", asks=penalties.training(PENALTY))
def check_frob_training(ctx):
    penalties.check_training(ctx)
