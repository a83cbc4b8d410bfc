"""Part predicted_condition_number (5 P): the theory's 1 + ||mu||^2 / sigma^2.

The questions: the notebook's mu and sigma, a small mu = (1, 2, 2) with sigma = 2, and hidden
random mu (d from 2 to 12) and sigma.
"""

import numpy as np

from autograder.pack import Grading, Mistake, check, expect_on_hidden, expect_value, grader_only
from ..child import kinds
from .common import notebook_data, question


@grader_only
def expected(q, rubric):
    from .. import oracle

    return oracle.predicted_condition_number(q.about["mu"], q.about["sigma"])


@grader_only
def mistakes(q, rubric) -> list[Mistake]:
    mu, sigma = np.asarray(q.about["mu"], dtype=np.float64), q.about["sigma"]
    norm, m2, s2 = np.sqrt(mu @ mu), mu @ mu, sigma ** 2
    formula = "The prediction is 1 + ||mu||^2 / sigma^2."
    return [
        Mistake("The norm of mu is not squared.", formula, 1 + norm / s2),
        Mistake("sigma is not squared (sigma^2 is the variance).", formula, 1 + m2 / sigma),
        Mistake("Neither ||mu|| nor sigma is squared.", "The prediction is 1 + ||mu||^2 / sigma^2 = "
                "1 + (||mu|| / sigma)^2.", 1 + norm / sigma),
        Mistake("The 1 is missing.", "lambda_1 / lambda_d = (sigma^2 + ||mu||^2) / sigma^2 = 1 + ||mu||^2 / sigma^2.",
                m2 / s2),
        Mistake("||mu||^2 is computed as the square of the sum of mu's entries.", "||mu||^2 is the sum of their "
                "squares (mu @ mu): the prediction is 1 + ||mu||^2 / sigma^2.", 1 + mu.sum() ** 2 / s2),
        Mistake("That is lambda_d / lambda_1, the inverse.", "The prediction is lambda_1 / lambda_d = "
                "1 + ||mu||^2 / sigma^2.", s2 / (s2 + m2)),
    ]


PREDICTED = Grading(kinds.PREDICTED, expected=expected, mistakes=mistakes)


def ask(key: str, label: str, mu, sigma: float, hidden: bool = False):
    mu = np.asarray(mu, dtype=np.float64)
    return question(f"predicted/{key}", "predicted_condition_number", kinds.PREDICTED, label,
                    {"mu": mu.tolist(), "sigma": float(sigma)}, {"mu": mu, "sigma": float(sigma)}, hidden)


def public(asking):
    nb = notebook_data()
    return [ask("notebook", "the notebook's mu and sigma", nb["mu"], nb["sigma"]),
            ask("small", "mu = (1, 2, 2), sigma = 2", [1.0, 2.0, 2.0], 2.0)]


def hidden(asking):
    if not asking.hidden_count:
        return []
    rng = asking.rng("predicted_condition_number_hidden")
    found = []
    for k in range(asking.hidden_count):
        d = int(rng.integers(2, 13))
        found.append(ask(f"hidden/{k}", f"hidden random mu and sigma {k + 1} (d = {d})", rng.normal(0, 2, d),
                         float(rng.uniform(0.3, 3.0)), True))
    return found


@check("predicted_condition_number_public", asks=public)
def check_predicted_condition_number_public(ctx):
    for q, a in ctx.mine():
        expect_value(ctx, q, a)


@check("predicted_condition_number_hidden", asks=hidden)
def check_predicted_condition_number_hidden(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_value(ctx, q, a))
