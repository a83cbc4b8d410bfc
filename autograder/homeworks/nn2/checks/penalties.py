"""Shared checks of the two penalized classifiers: reg() value, its gradient, training in bands.

FrobClassifier.reg() = lambda_F * h * ||W||_F^2, gradient 2 lambda_F h W.
MixClassifier.reg()  = lambda_M * ||W||_Mix^2,  gradient 2 lambda_M ||W_i,:||_1 sign(W_ij).
"""

import numpy as np

from ..feedback import CheckFailed, array_mismatch, close, out_of_band, wrong_value
from . import expect_on_hidden

PREFIX = {"FrobClassifier": "frob", "MixClassifier": "mixc"}
FORMULA = {
    "FrobClassifier": ("lambda*(sqrt(h)*||W||_Frob)^2 with lambda = {lam:g}", "2*lambda*h*W"),
    "MixClassifier": ("lambda*||W||_Mix^2 with lambda = {lam:g}", "2*lambda*||W_i,:||_1*sign(W_ij)"),
}
NORM_NAME = {"FrobClassifier": "sqrt(h)*||W||_Frob", "MixClassifier": "||W||_Mix"}


def lam(ctx, part: str) -> float:
    return ctx.rubric.frob_lambda if part == "FrobClassifier" else ctx.rubric.mix_lambda


def expect_value(ctx, part: str, qid: str) -> None:
    question, answer = ctx.ask(qid)
    call, where = f"{part}.reg()", question["net"].label
    found = ctx.fail_unless_number(answer, call, where, part)
    expected = ctx.expect.value(qid)
    if not close(found, expected, ctx.rubric.rtol, ctx.rubric.atol):
        formula = FORMULA[part][0].format(lam=lam(ctx, part))
        hint = ctx.hint(qid, found) or f"The penalty is {formula}."
        raise CheckFailed(wrong_value(call, where, found, expected, hint))


def expect_gradient(ctx, part: str, qid: str) -> None:
    question, answer = ctx.ask(qid)
    call, where = f"{part}.reg()", question["net"].label
    ctx.fail_unless_number(answer, call, where, part)
    if answer.get("no_gradient"):
        raise CheckFailed(
            f"{call} {answer['no_gradient']} on {where}, so it cannot be differentiated and the penalty does "
            "nothing during training. Build it from torch operations on list(self.model)[0].weight "
            "(no .item(), .detach(), .data, float() or numpy in the penalty's path).")
    found = answer.get("grad_W")
    if found is None:
        raise CheckFailed(f"The gradient of {call} on {where} could not be read back.")
    expected = ctx.expect.gradient(qid)
    r = ctx.rubric
    if not np.allclose(found, expected, rtol=r.grad_rtol, atol=r.grad_atol):
        factor = ctx.gradient_factor(part)
        raise CheckFailed(
            f"The gradient of {call} with respect to the first layer's weight on {where} is not "
            f"{FORMULA[part][1]}: {array_mismatch(found, expected)}." + (f" {factor}" if factor else ""))
    if answer.get("grad_b_nonzero"):
        raise CheckFailed(f"{call} also depends on the first layer's bias on {where}; the penalty is on W only.")


def check_public_values(ctx, part: str) -> None:
    for key in ("initial", "trained"):
        expect_value(ctx, part, f"{PREFIX[part]}/reg/{key}")


def check_public_gradients(ctx, part: str) -> None:
    for key in ("initial", "trained"):
        expect_gradient(ctx, part, f"{PREFIX[part]}/reg/{key}")


def check_hidden(ctx, part: str) -> None:
    def value_and_gradient(qid):
        expect_value(ctx, part, qid)
        expect_gradient(ctx, part, qid)

    expect_on_hidden(ctx, ctx.ids(f"{PREFIX[part]}/reg/hidden/"), value_and_gradient, f"{part}.reg()")


LABELS = {
    "train_accuracy": "train accuracy",
    "test_accuracy": "test accuracy",
    "grad_xtest": "Grad on Xtest",
}


# The handout's unregularized network after its fit (its "After" line): what "no penalty" looks like.
UNREGULARIZED = {"train_accuracy": 1.0, "test_accuracy": 0.884, "grad_xtest": 7.297}


def check_training(ctx, part: str) -> None:
    _, answer = ctx.ask(f"{PREFIX[part]}/train")
    call = f"{part}().fit(Xtrain,Ttrain)"
    if answer["status"] != "ok":
        ctx.fail_unless_number(answer, f"{part}.reg()" if answer["status"] == "not_implemented" else call,
                               "the training data", part)
    # Figures the expectations cannot compute (the self-check has no Grad of its own) are None.
    figures = {k: v for k, v in ctx.expect.figures(part, answer).items() if v is not None}
    ctx.figures[part] = figures
    ctx.add_advice(f"{PREFIX[part]}_training", "After training: " + ", ".join(
        f"{LABELS.get(k, NORM_NAME[part])} {v:.3f}" for k, v in figures.items()) + ".")
    bands = ctx.rubric.bands[part]
    off = {k: v for k, v in figures.items() if not bands[k][0] <= v <= bands[k][1]}
    if off:
        clauses = [out_of_band(LABELS.get(k, NORM_NAME[part]), v, bands[k]) for k, v in off.items()]
        raise CheckFailed(f"After {call} with the handout's 10,000 Adam steps, " + "; ".join(clauses) + ". "
                          + diagnosis(part, figures, bands, FORMULA[part][0].format(lam=lam(ctx, part))))


def diagnosis(part: str, figures: dict[str, float], bands: dict, formula: str) -> str:
    """What figures out of their bands usually mean: too strong a penalty, or too weak (or none)."""
    below = {k for k, v in figures.items() if v < bands[k][0]}
    above = {k for k, v in figures.items() if v > bands[k][1]}
    shrunk = "penalized_norm" in below or ("penalized_norm" not in figures and "grad_xtest" in below)
    loose = above & {"penalized_norm", "grad_xtest", "train_accuracy"}
    if shrunk and not loose:
        dropped = " and the accuracy drops" if below & {"train_accuracy", "test_accuracy"} else ""
        return (f"The weights end smaller than with the sheet's penalty{dropped}: the penalty is too strong. "
                f"It should be {formula}; check lambda and every factor, square and root in it.")
    if loose and not shrunk:
        unregularized = figures.get("train_accuracy", 0) >= 0.99 or figures.get("grad_xtest", 0) >= 3
        like = (" The figures are those of a network without a penalty (train "
                f"{UNREGULARIZED['train_accuracy']:.3f}, test {UNREGULARIZED['test_accuracy']:.3f}, Grad "
                f"{UNREGULARIZED['grad_xtest']:.1f}): the network overfits.") if unregularized else ""
        return (f"The weights end larger than with the sheet's penalty: the penalty is too weak or has no "
                f"effect.{like} It should be {formula}, differentiable in the weights.")
    return "Check the penalty's value and gradient above."
