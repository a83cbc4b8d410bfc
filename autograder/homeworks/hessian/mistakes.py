"""Naming the mistake for "hessian": what the classic mistakes compute on a question's inputs.

For each answer, a function from the question's inputs to a list of (sentence, value)
pairs, most likely mistake first. A value is a float, a vector or a matrix (numpy
float64); when a student's wrong value matches one, the engine adds its sentence
after "Likely mistake:". A mistake whose value equals the right answer on these
inputs cannot be told apart from it and is left out.
"""

from __future__ import annotations

import numpy as np

from . import oracle


def candidates(part: str, **inputs) -> list[tuple[str, object]]:
    """The mistakes worth naming for `part` (an answer's name) on these inputs."""
    return FOR_PART[part](**inputs)


def same(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))


def telling(found: list[tuple[str, object]], right) -> list[tuple[str, object]]:
    """Only the mistakes whose value differs from the right answer's."""
    return [(sentence, value) for sentence, value in found if not same(value, right)]


def for_hessian(X) -> list[tuple[str, object]]:
    X = oracle.as_float64(X)
    N, H = len(X), oracle.hessian(X)
    m = X.mean(axis=0)
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
    return telling(found, H)


def for_autograd_hessian(w, b, X, T) -> list[tuple[str, object]]:
    X = oracle.as_float64(X)
    H = oracle.autograd_hessian(X)
    return telling([
        ("That is the Hessian of the summed objective: J is the mean over the samples, so differentiate "
         "model.objective itself (or divide by N); the Hessian is X^T X / N.", len(X) * H),
        ("That is the Hessian in (w, b) together: it has shape (d+1, d+1) and its top-left d x d block is the "
         "answer. Differentiate with respect to w only, e.g. "
         "torch.autograd.functional.hessian(lambda w: model.objective(X,T,w=w), model.w).",
         oracle.hessian_with_bias(X)),
        ("That is the gradient of J (one derivative, shape (d,)): the Hessian differentiates twice, e.g. with "
         "torch.autograd.functional.hessian(lambda w: model.objective(X,T,w=w), model.w).",
         oracle.gradient(w, b, X, T)[0]),
        ("The factor 1/2 of J cancels the 2 of the square: differentiate model.objective itself; the Hessian "
         "is X^T X / N, without a factor 2.", 2 * H),
    ], H)


def for_condition_number(H) -> list[tuple[str, object]]:
    ev = oracle.eigenvalues(H)
    unsorted = np.linalg.eigvals(oracle.as_float64(H)).real
    in_no_order = ("numpy.linalg.eigvals returns the eigenvalues in no particular order: take their max and "
                   "min, or use numpy.linalg.eigvalsh, which sorts them ascending (lambda_max / lambda_min).")
    found = [
        ("That is lambda_min / lambda_max, the inverse: the condition number is lambda_max / lambda_min, "
         "at least 1.", ev[0] / ev[-1]),
        (in_no_order, unsorted[-1] / unsorted[0]),
        (in_no_order, unsorted[0] / unsorted[-1]),
    ]
    return telling(found, oracle.condition_number(H))


def for_predicted_condition_number(mu, sigma) -> list[tuple[str, object]]:
    mu = oracle.as_float64(mu)
    norm, m2, s2 = np.sqrt(mu @ mu), mu @ mu, sigma ** 2
    return telling([
        ("Square the norm of mu: the prediction is 1 + ||mu||^2 / sigma^2.", 1 + norm / s2),
        ("Square sigma too: the prediction is 1 + ||mu||^2 / sigma^2 (sigma^2 is the variance).", 1 + m2 / sigma),
        ("Both ||mu|| and sigma are squared: the prediction is 1 + ||mu||^2 / sigma^2 = 1 + (||mu|| / sigma)^2.",
         1 + norm / sigma),
        ("The 1 is missing: lambda_1 / lambda_d = (sigma^2 + ||mu||^2) / sigma^2 = 1 + ||mu||^2 / sigma^2.",
         m2 / s2),
        ("||mu||^2 is the sum of the squares of mu's entries (mu @ mu), not the square of their sum: "
         "the prediction is 1 + ||mu||^2 / sigma^2.", 1 + mu.sum() ** 2 / s2),
        ("That is lambda_d / lambda_1, the inverse: the prediction is lambda_1 / lambda_d = 1 + ||mu||^2 / sigma^2.",
         s2 / (s2 + m2)),
    ], oracle.predicted_condition_number(mu, sigma))


def descent(w0, b0, X, T, lr, steps, update_b=True, accumulate=False) -> np.ndarray:
    """J before each of `steps` updates of a variant of gradient descent (a negative lr climbs)."""
    w, b = oracle.as_float64(w0).copy(), float(b0)
    total_w, total_b = np.zeros_like(w), 0.0
    values = []
    with np.errstate(over="ignore", invalid="ignore"):  # a climbing or divergent run overflows, as the student's did
        for _ in range(steps):
            values.append(oracle.objective(w, b, X, T))
            gw, gb = oracle.gradient(w, b, X, T)
            if accumulate:  # .grad that is never zeroed holds the sum of every gradient so far
                total_w, total_b = total_w + gw, total_b + gb
                gw, gb = total_w, total_b
            w = w - lr * gw
            b = b - lr * gb if update_b else b
    return np.array(values)


def for_gradient_descent(w0, b0, X, T, lr, steps) -> list[tuple[str, object]]:
    N = len(oracle.as_float64(X))
    run = lambda **kw: descent(w0, b0, X, T, **{"lr": lr, "steps": steps, **kw})
    right = run()
    no_half = ("The factor 1/2 of J cancels the 2 of the square: the gradient is (1/N) sum_n -(1 - y_n t_n) t_n x_n; "
               "use model.objective, J = (1/N) sum_n 1/2 (1 - y_n t_n)^2.")
    summed = "J is the mean over the samples, not the sum: divide by N (or use model.objective)."
    return telling([
        ("The values increase: that is gradient ascent. Step against the gradient: "
         "w <- w - lr * dJ/dw, b <- b - lr * dJ/db.", run(lr=-lr)),
        ("values[k] must be J before update k (values[0] is J at the start): append J, then update.",
         descent(w0, b0, X, T, lr, steps + 1)[1:]),
        ("b must be updated too: b <- b - lr * dJ/db, as w <- w - lr * dJ/dw.", run(update_b=False)),
        ("The gradients accumulate across steps: zero model.w.grad and model.b.grad (or call "
         "optimizer.zero_grad()) before each backward().", run(accumulate=True)),
        ("The parameters never change: update model.w and model.b in place (with torch.no_grad(): "
         "model.w -= lr * gradient), not a new local tensor.", np.full(steps, right[0])),
        (no_half, run(lr=2 * lr)),
        (no_half, 2 * run(lr=2 * lr)),
        (summed, run(lr=N * lr)),
        (summed, N * run(lr=N * lr)),
        ("The step must be scaled by the learning rate: w <- w - lr * dJ/dw (this is lr = 1).", run(lr=1.0)),
        ("One value per step is expected: loop over range(steps), append J before each update, and return "
         "the list after the loop.", right[:1]),
    ], right)


FOR_PART = {
    "hessian": for_hessian,
    "autograd_hessian": for_autograd_hessian,
    "condition_number": for_condition_number,
    "predicted_condition_number": for_predicted_condition_number,
    "gradient_descent": for_gradient_descent,
}
