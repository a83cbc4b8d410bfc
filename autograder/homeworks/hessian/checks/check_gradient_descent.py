"""Part gradient_descent (10 P): `steps` plain gradient steps on J over w and b, in place; the values of J
before each step.

The questions: the notebook's raw and centered data from the same start, and hidden random data
sets with a random start, a stable learning rate and 5 to 40 steps. Both the curve and the final
parameters are compared: the model must be updated in place.
"""

import numpy as np

from autograder.pack import (CheckFailed, Grading, Mistake, check, close, close_array, expect_on_hidden, expect_value,
                             grader_only, wrong_array, wrong_value)
from ..child import kinds
from .common import hidden_data, initial_parameters, public_data, question

LR = 0.05  # the public questions' learning rate: below 2 / lambda_max of the (w, b) Hessian of both data sets
STEPS = 50


@grader_only
def run(q):
    from .. import oracle

    a = q.about
    return oracle.gradient_descent(a["w"], a["b"], a["X"], a["T"], a["lr"], a["steps"])


@grader_only
def expected(q, rubric):
    return np.array(run(q)[0])


@grader_only
def expected_w(q, rubric):
    return run(q)[1]


@grader_only
def expected_b(q, rubric):
    return run(q)[2]


@grader_only
def descent(q, lr=None, steps=None, update_b=True, accumulate=False) -> np.ndarray:
    """J before each of `steps` updates of a variant of gradient descent (a negative lr climbs)."""
    from .. import oracle

    a = q.about
    w, b = oracle.as_float64(a["w"]).copy(), float(a["b"])
    lr, steps = a["lr"] if lr is None else lr, a["steps"] if steps is None else steps
    total_w, total_b, values = np.zeros_like(w), 0.0, []
    with np.errstate(over="ignore", invalid="ignore"):  # a climbing run overflows, as the student's did
        for _ in range(steps):
            values.append(oracle.objective(w, b, a["X"], a["T"]))
            gw, gb = oracle.gradient(w, b, a["X"], a["T"])
            if accumulate:  # .grad that is never zeroed holds the sum of every gradient so far
                total_w, total_b = total_w + gw, total_b + gb
                gw, gb = total_w, total_b
            w, b = w - lr * gw, (b - lr * gb if update_b else b)
    return np.array(values)


@grader_only
def mistakes(q, rubric) -> list[Mistake]:
    lr, N, right = q.about["lr"], len(q.about["X"]), descent(q)
    no_half = ("A factor 2 is too many in the gradient: the 1/2 of J cancels the 2 of the square.",
               "The gradient is (1/N) sum_n -(1 - y_n t_n) t_n x_n; use model.objective, "
               "J = (1/N) sum_n 1/2 (1 - y_n t_n)^2.")
    summed = ("J is summed over the samples, not averaged.", "Divide by N (or use model.objective).")
    return [
        Mistake("The values increase: that is gradient ascent.", "Step against the gradient: "
                "w <- w - lr * dJ/dw, b <- b - lr * dJ/db.", descent(q, lr=-lr)),
        Mistake("values[k] is J after update k, not before it.", "values[0] is J at the start: append J, then update.",
                descent(q, steps=q.about["steps"] + 1)[1:]),
        Mistake("b is never updated.", "b <- b - lr * dJ/db, as w <- w - lr * dJ/dw.", descent(q, update_b=False)),
        Mistake("The gradients accumulate across steps.", "Zero model.w.grad and model.b.grad (or call "
                "optimizer.zero_grad()) before each backward().", descent(q, accumulate=True)),
        Mistake("The parameters never change: the update goes to a new local tensor.", "Update model.w and model.b "
                "in place (with torch.no_grad(): model.w -= lr * gradient).", np.full(q.about["steps"], right[0])),
        Mistake(*no_half, descent(q, lr=2 * lr)),
        Mistake(*no_half, 2 * descent(q, lr=2 * lr)),
        Mistake(*summed, descent(q, lr=N * lr)),
        Mistake(*summed, N * descent(q, lr=N * lr)),
        Mistake("The step is not scaled by the learning rate (this is lr = 1).", "w <- w - lr * dJ/dw.",
                descent(q, lr=1.0)),
        Mistake("Only one value is returned.", "One value per step is expected: loop over range(steps), append J "
                "before each update, and return the list after the loop.", right[:1]),
    ]


GRADIENT_DESCENT = Grading(kinds.GRADIENT_DESCENT, expected=expected, mistakes=mistakes,
                        also={"w": expected_w, "b": expected_b})


def ask(key: str, data, w, b, lr: float, steps: int, hidden: bool = False):
    label = data.label if hidden else f"{data.label}, lr = {lr:g}, {steps} steps"
    inputs = {"X": data.spec_X, "T": data.spec_T, "w": np.asarray(w).tolist(), "b": float(b), "lr": lr, "steps": steps}
    about = {"X": data.X, "T": data.T, "w": np.asarray(w), "b": float(b), "lr": lr, "steps": steps}
    return question(f"gradient_descent/{key}", "gradient_descent", kinds.GRADIENT_DESCENT, label, inputs, about, hidden,
                    data=data)


def public(asking):
    w, b = initial_parameters(10, 0)
    return [ask(key, data, w, b, LR, STEPS) for key, data in zip(("X", "Xc"), public_data())]


def hidden(asking):
    if not asking.hidden_count:
        return []
    rng = asking.rng("gradient_descent_hidden/steps")
    found = []
    for k, data in enumerate(hidden_data(asking, "gradient_descent_hidden")):
        Xb = np.hstack([data.X, np.ones((len(data.X), 1))])
        lr = float(rng.uniform(0.2, 0.9) / np.linalg.eigvalsh(Xb.T @ Xb / len(Xb)).max())  # stable: below 1/lambda_max
        found.append(ask(f"hidden/{k}", data, rng.normal(0, 0.5, data.X.shape[1]), rng.normal(0, 0.5), lr,
                         int(rng.integers(5, 41)), True))
    return found


def expect_descent(ctx, q, a) -> None:
    """The curve first (with the named mistakes), then the final parameters: updated in place, and right."""
    expect_value(ctx, q, a)
    r, call = ctx.rubric, ctx.call(q.part)
    w, b = ctx.expect.field(q, "w"), ctx.expect.field(q, "b")
    if not close_array(a["w"], w, r.grad_rtol, r.grad_atol):
        raise CheckFailed(wrong_array(f"model.w after {call}", q.label, a["w"], w,
                                      "The curve is right but model.w is not: update model.w itself, in place."))
    if not close(a["b"], float(b), r.grad_rtol, r.grad_atol):
        raise CheckFailed(wrong_value(f"model.b after {call}", q.label, a["b"], float(b),
                                      "The curve is right but model.b is not: update model.b itself, in place."))


@check("gradient_descent_public", asks=public)
def check_gradient_descent_public(ctx):
    for q, a in ctx.mine():
        expect_descent(ctx, q, a)


@check("gradient_descent_hidden", asks=hidden)
def check_gradient_descent_hidden(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_descent(ctx, q, a))
