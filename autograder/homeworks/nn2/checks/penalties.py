"""What the checks of the two penalized classifiers share: reg() value, its gradient, training in bands.

Each class's file (check_frob_classifier.py, check_mix_classifier.py) declares its Penalty: the
formula, its closed form and gradient, and its named mistakes. The two kinds of question here,
"reg" (the value and gradient of reg() on given weights) and "train" (the handout's fit()),
find the class's Penalty by the question's part.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from autograder.pack import (CheckFailed, Grading, NotCheckedHere, Question, close, expect_on_hidden, grader_only,
                             out_of_band, pair, wrong_value)
from ..child import kinds
from .. import networks
from .common import hidden_networks, net_question, public



def array_mismatch(found: np.ndarray, expected: np.ndarray) -> str:
    """Where a weight gradient is farthest off, in the layout the student's tensors have."""
    diff = np.abs(found - expected)
    j, i = np.unravel_index(int(np.argmax(diff)), diff.shape)
    f, e = pair(float(found[j, i]), float(expected[j, i]))
    return (f"the largest difference is at weight[{j}, {i}] (PyTorch layout, (h, d)): "
            f"found {f}, expected {e}")


@dataclass(frozen=True)
class Penalty:
    part: str
    prefix: str  # of its question ids: "frob/reg/initial"
    formula: str  # the value, with {lam}
    gradient_formula: str
    norm_name: str  # the penalized norm, as the bands call it
    lam_key: str  # in the rubric's [penalty] table
    value: Callable  # (W, lam) -> the penalty
    gradient: Callable  # (W, lam) -> d penalty / dW
    mistakes: Callable  # (net, lam, rubric) -> [Mistake]
    norm: Callable  # W -> the penalized norm, after training (grader)
    # How the self-check gets the penalized norm without a closed form: the handout's own code
    # computes it (W -> norm), or only the student's own answer of a part does (its name).
    handout_norm: Callable | None = None
    norm_by: str | None = None
    norm_by_kind: object = None  # the kind of question that part's answer answers (child/kinds.py)

    def lam(self, rubric) -> float:
        return getattr(rubric.tables.penalty, self.lam_key)


def penalty_of(question) -> Penalty:
    """The Penalty a question is about: it rides in the question's `about` (the grader's side, never sent)."""
    return question.about["penalty"]


@grader_only
def expected(question, rubric) -> float:
    p = penalty_of(question)
    return p.value(question.about["net"].W, p.lam(rubric))


@grader_only
def expected_gradient(question, rubric) -> np.ndarray:
    p = penalty_of(question)
    return p.gradient(question.about["net"].W, p.lam(rubric))


@grader_only
def mistakes(question, rubric) -> list:
    p = penalty_of(question)
    return p.mistakes(question.about["net"], p.lam(rubric), rubric)


REG = Grading(kinds.REG, expected=expected, gradient=expected_gradient, gradient_field="grad_W", mistakes=mistakes)


@grader_only
def figures(question, answer, rubric) -> dict[str, float]:
    from .. import oracle

    d, W, b = networks.data(), answer["W"], answer["b"]
    s = oracle.pooling_signs(W.shape[0])
    return {
        "train_accuracy": oracle.accuracy(W, b, s, d["Xtrain"], d["Ttrain"]),
        "test_accuracy": oracle.accuracy(W, b, s, d["Xtest"], d["Ttest"]),
        "grad_xtest": oracle.grad(W, b, s, d["Xtest"]),
        "penalized_norm": penalty_of(question).norm(W),
    }


def forward_accuracy(W, b, X, T) -> float:
    """The handout's score(): sign of relu(X W^T + b) s against the labels (the forward pass, no answer)."""
    h = W.shape[0]
    s = np.concatenate([np.ones(h // 2), -np.ones(h - h // 2)])
    return float((np.sign(np.maximum(X @ W.T + b, 0) @ s) == T).mean())


def own_questions(question, answer) -> dict:
    """What the self-check asks the student's own Grad (and Mix) about the trained network: the bundle
    has no closed form of Grad on Xtest or of ||W||_Mix (that would be the answer)."""
    p = penalty_of(question)
    net = networks.Network(f"the network {p.part}().fit() trained", answer["W"], answer["b"])
    asks = {"grad_xtest": net_question(f"{p.prefix}/trained/grad", "Grad", kinds.GRAD, net, X={"data": "Xtest"})}
    if p.norm_by:
        asks["penalized_norm"] = net_question(f"{p.prefix}/trained/norm", p.norm_by, p.norm_by_kind, net)
    return asks


def stored_figures(question, answer, own: dict, rubric) -> dict[str, float | None]:
    """The self-check's figures: the handout's forward pass, the handout's Frob, and what the student's own
    functions gave on the trained network (None where they were not asked: their public checks fail)."""
    d, W, b, p = networks.data(), answer["W"], answer["b"], penalty_of(question)
    return {
        "train_accuracy": forward_accuracy(W, b, d["Xtrain"], d["Ttrain"]),
        "test_accuracy": forward_accuracy(W, b, d["Xtest"], d["Ttest"]),
        "grad_xtest": own.get("grad_xtest"),
        "penalized_norm": p.handout_norm(W) if p.handout_norm else own.get("penalized_norm"),
    }


TRAIN = Grading(kinds.TRAIN, figures=figures, stored_figures=stored_figures, own=own_questions)


# ----------------------------------------------------------------------------- questions

def public_reg(p: Penalty):
    return lambda asking: [net_question(f"{p.prefix}/reg/{key}", p.part, kinds.REG, public()[key], cls=p.part,
                                        about={"penalty": p}) for key in ("initial", "trained")]


def hidden_reg(p: Penalty):
    return lambda asking: [net_question(f"{p.prefix}/reg/hidden/{k}", p.part, kinds.REG, net, hidden=True, cls=p.part,
                                        about={"penalty": p})
                           for k, net in enumerate(hidden_networks(asking, f"{p.prefix}_reg_hidden"))]


def training(p: Penalty):
    return lambda asking: [Question(f"{p.prefix}/train", p.part, kinds.TRAIN.name, kinds.TRAIN.inputs(cls=p.part),
                                    label="the training data", about={"penalty": p},
                                    long=True)]


# ----------------------------------------------------------------------------- checks

def expect_value(ctx, question, answer) -> None:
    p = penalty_of(question)
    found = ctx.fail_unless_answered(question, answer)
    expected_value = ctx.expect.value(question)
    if not close(found, expected_value, ctx.rubric.rtol, ctx.rubric.atol):
        hint = ctx.hint(question, found) or f"The penalty is {p.formula.format(lam=p.lam(ctx.rubric))}."
        raise CheckFailed(wrong_value(ctx.call(question.part), question.label, found, expected_value, hint))


def expect_gradient(ctx, question, answer) -> None:
    p, call, where = penalty_of(question), ctx.call(question.part), question.label
    ctx.fail_unless_answered(question, answer)
    if answer.get("no_gradient"):
        raise CheckFailed(
            f"{call} {answer['no_gradient']} on {where}, so it cannot be differentiated and the penalty does "
            "nothing during training. Build it from torch operations on list(self.model)[0].weight "
            "(no .item(), .detach(), .data, float() or numpy in the penalty's path).")
    found = answer.get("grad_W")
    if found is None:
        raise CheckFailed(f"The gradient of {call} on {where} could not be read back.")
    expected_value, r = ctx.expect.gradient(question), ctx.rubric
    if not np.allclose(found, expected_value, rtol=r.grad_rtol, atol=r.grad_atol):
        factor = ctx.gradient_factor(question.part)
        raise CheckFailed(
            f"The gradient of {call} with respect to the first layer's weight on {where} is not "
            f"{p.gradient_formula}: {array_mismatch(found, expected_value)}." + (f" {factor}" if factor else ""))
    if answer.get("grad_b_nonzero"):
        raise CheckFailed(f"{call} also depends on the first layer's bias on {where}; the penalty is on W only.")


def check_values(ctx) -> None:
    for question, answer in ctx.mine():
        expect_value(ctx, question, answer)


def check_gradients(ctx) -> None:
    for question, answer in ctx.mine():
        expect_gradient(ctx, question, answer)


def check_hidden(ctx) -> None:
    def value_and_gradient(question, answer):
        expect_value(ctx, question, answer)
        expect_gradient(ctx, question, answer)

    expect_on_hidden(ctx, ctx.mine(), value_and_gradient)


LABELS = {"train_accuracy": "train accuracy", "test_accuracy": "test accuracy", "grad_xtest": "Grad on Xtest"}
# The handout's unregularized network after its fit (its "After" line): what "no penalty" looks like.
UNREGULARIZED = {"train_accuracy": 1.0, "test_accuracy": 0.884, "grad_xtest": 7.297}


def check_training(ctx) -> None:
    (question, answer), = ctx.mine()
    part, p = question.part, penalty_of(question)
    call = f"{part}().fit(Xtrain,Ttrain)"
    if not answer.ok:
        ctx.fail_unless_answered(question, answer, ctx.call(part) if answer.status == "not_implemented" else call)
    # Figures the self-check cannot compute (the student's own Grad or Mix fails its public checks) are None.
    known = ctx.expect.figures(question, answer)
    figures = {k: v for k, v in known.items() if v is not None}
    ctx.figures[part] = figures
    name = lambda k: LABELS.get(k, p.norm_name)
    ctx.advise("After training: " + ", ".join(f"{name(k)} {v:.3f}" for k, v in figures.items()) + ".")
    bands = vars(getattr(ctx.rubric.tables.bands, part))
    off = {k: v for k, v in figures.items() if not bands[k][0] <= v <= bands[k][1]}
    if off:
        clauses = [out_of_band(name(k), v, bands[k]) for k, v in off.items()]
        raise CheckFailed(f"After {call} with the handout's 10,000 Adam steps, " + "; ".join(clauses) + ". "
                          + diagnosis(figures, bands, p.formula.format(lam=p.lam(ctx.rubric))))
    unknown = [k for k, v in known.items() if v is None]
    if unknown:
        needs = {k: ctx.expect.needs(question, k) for k in unknown}
        first = " and ".join(dict.fromkeys(n for n in needs.values() if n))
        raise NotCheckedHere(
            f"Not checked here: fix {first} first. The grader checks {' and '.join(name(k) for k in unknown)} of "
            f"the trained network with a correct {first}; here {', '.join(name(k) for k in figures)} are in range.")


def diagnosis(figures: dict[str, float], bands: dict, formula: str) -> str:
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
