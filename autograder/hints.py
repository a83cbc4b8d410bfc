"""Naming the mistake: what the classic mistakes compute on a question's inputs.

Each candidate is (sentence, what the mistake computes). When a student's wrong
value matches a mistake's value (to the rubric's tolerance, feedback.named_mistake),
the feedback adds that sentence. Correct answers never reach the matching.
"""

from __future__ import annotations

import numpy as np

from . import oracle
from .questions import data, inputs_of


def candidates(question: dict, rubric) -> list[tuple[str, float]]:
    """The mistakes worth naming for a mix, grad or reg question, with their values."""
    if question["kind"] == "mix":
        return for_mix(question["net"].W)
    if question["kind"] == "grad":
        return for_grad(question)
    return for_penalty(question["part"], question["net"], rubric)


def rows_l1(W):
    """||W_i,:||_1 for each input feature i of the sheet's W, i.e. over dim=0 of the torch weight."""
    return np.abs(W).sum(axis=0)


def for_mix(W: np.ndarray) -> list[tuple[str, float]]:
    transposed = np.sqrt((np.abs(W).sum(axis=1) ** 2).sum())
    m = oracle.mix(W)
    return [
        ("PyTorch stores W as (h, d): the l1 norm of row i of the sheet's W is a sum over the hidden "
         "neurons, i.e. over dim=0 of the weight, not dim=1.", transposed),
        ("The square root is missing: ||W||_Mix = sqrt(sum_i ||W_i,:||_1^2).", m ** 2),
        ("Each row's l1 norm must be squared before the sum: ||W||_Mix = sqrt(sum_i ||W_i,:||_1^2).",
         np.sqrt(rows_l1(W).sum())),
        ("That is ||W||_Frob; ||W||_Mix takes the l1 norm of each row, then the l2 norm of those.", oracle.frob(W)),
        ("That is the entrywise l1 norm sum_ij |w_ij|; ||W||_Mix = sqrt(sum_i ||W_i,:||_1^2).", np.abs(W).sum()),
        ("The absolute value is missing: ||W_i,:||_1 = sum_j |w_ij|.", np.sqrt((W.sum(axis=0) ** 2).sum())),
    ]


def for_grad(question: dict) -> list[tuple[str, float]]:
    net = question["net"]
    s = oracle.pooling_signs(net.W.shape[0])
    X = inputs_of(question)
    g = oracle.input_gradients(net.W, net.b, s, X)
    no_pool = oracle.input_gradients(net.W, net.b, np.ones_like(s), X)
    found = [
        ("Grad averages the norms of the per-sample gradients, (1/N) sum_n ||df/dx(x_n)||, not the norm of "
         "their mean (summing f over the samples before backward() is fine; taking the norm of the summed "
         "gradient is not).", np.linalg.norm(g.mean(axis=0))),
        ("That is the norm of the summed gradient; Grad = (1/N) sum_n ||df/dx(x_n)||.", np.linalg.norm(g.sum(axis=0))),
        ("Grad is the mean over the samples, not the sum: divide by N.", np.linalg.norm(g, axis=1).sum()),
        ("f includes the pooling with s (nn.predict, or nn.pool(nn.model(X))): the hidden layer alone is "
         "not the network's output.", np.linalg.norm(no_pool, axis=1).mean()),
        ("Grad averages the norms, not the squared norms: (1/N) sum_n ||df/dx(x_n)||.", (np.linalg.norm(g, axis=1) ** 2).mean()),
    ]
    if question["X"].get("data") != "Xtest" or "rows" in question["X"]:
        found.append(("Grad must use its argument X, not the global Xtest.",
                           oracle.grad(net.W, net.b, s, data()["Xtest"])))
    return found


def for_penalty(part: str, net, rubric) -> list[tuple[str, float]]:
    W, b = net.W, net.b
    h = W.shape[0]
    if part == "FrobClassifier":
        lam, other = rubric.frob_lambda, rubric.mix_lambda
        f2 = oracle.frob(W) ** 2
        return [
            (f"The factor h is missing: the penalty is lambda*(sqrt(h)*||W||_Frob)^2 = lambda*h*||W||_Frob^2.", lam * f2),
            (f"sqrt(h) must be squared too: (sqrt(h)*||W||_Frob)^2 = h*||W||_Frob^2.", lam * np.sqrt(h) * f2),
            (f"The square is missing: the penalty is lambda*(sqrt(h)*||W||_Frob)^2.", lam * np.sqrt(h) * oracle.frob(W)),
            (f"Wrong lambda: FrobClassifier uses lambda = {lam:g} ({other:g} is MixClassifier's).", other * h * f2),
            ("The penalty is on the first layer's weight W only, not on the bias.", lam * h * (f2 + (b ** 2).sum())),
        ]
    lam, other = rubric.mix_lambda, rubric.frob_lambda
    m = oracle.mix(W)
    transposed = np.sqrt((np.abs(W).sum(axis=1) ** 2).sum())
    return [
        ("The square is missing: the penalty is lambda*||W||_Mix^2.", lam * m),
        (f"Wrong lambda: MixClassifier uses lambda = {lam:g} ({other:g} is FrobClassifier's).", other * m ** 2),
        ("PyTorch stores W as (h, d): ||W_i,:||_1 sums over dim=0 of the weight.", lam * transposed ** 2),
        # The bias taken as one more column of W (torch.cat, or a loop over parameters).
        ("The penalty is on the first layer's weight W only, not on the bias.",
         lam * ((rows_l1(W) ** 2).sum() + np.abs(b).sum() ** 2)),
    ]
