"""Closed-form expected values for "hessian", in numpy float64, from the sheet's theory.

The model is y = w^T x + b and the objective J(w, b) = (1/N) sum_n 1/2 (1 - y_n t_n)^2
with t_n in {-1, 1}. X has one sample per row, shape (N, d). Everything is computed
in float64, from whatever precision the inputs come in.
"""

import numpy as np


def as_float64(A) -> np.ndarray:
    """numpy float64 from a numpy array, a list or a (detached) torch tensor."""
    if hasattr(A, "detach"):
        A = A.detach().cpu().numpy()
    return np.asarray(A, dtype=np.float64)


def hessian(X) -> np.ndarray:
    """d^2J / dw dw^T = (1/N) sum_n t_n^2 x_n x_n^T = X^T X / N, since t_n^2 = 1. Shape (d, d)."""
    X = as_float64(X)
    return X.T @ X / len(X)


def autograd_hessian(X) -> np.ndarray:
    """What autograd finds for d^2J / dw dw^T: J is quadratic in w, so the same X^T X / N for any w, b."""
    return hessian(X)


def with_ones(X) -> np.ndarray:
    """X with a column of ones appended: b is the weight of a constant feature."""
    X = as_float64(X)
    return np.hstack([X, np.ones((len(X), 1))])


def hessian_with_bias(X) -> np.ndarray:
    """The Hessian of J in (w, b) together, [X 1]^T [X 1] / N, shape (d+1, d+1); top-left block is hessian(X)."""
    return hessian(with_ones(X))


def eigenvalues(H) -> np.ndarray:
    """The eigenvalues of the symmetric H, ascending."""
    return np.linalg.eigvalsh(as_float64(H))


def condition_number(H) -> float:
    """lambda_max / lambda_min of a symmetric positive definite H."""
    ev = eigenvalues(H)
    return float(ev[-1] / ev[0])


def population_hessian(mu, sigma) -> np.ndarray:
    """E[x x^T] = sigma^2 I + mu mu^T for x ~ N(mu, sigma^2 I)."""
    mu = as_float64(mu)
    return sigma ** 2 * np.eye(len(mu)) + np.outer(mu, mu)


def population_eigenvalues(mu, sigma) -> np.ndarray:
    """sigma^2 (d-1 times, any direction orthogonal to mu) and sigma^2 + ||mu||^2 (along mu), ascending."""
    mu = as_float64(mu)
    return np.sort(np.r_[np.full(len(mu) - 1, sigma ** 2), sigma ** 2 + mu @ mu])


def predicted_condition_number(mu, sigma) -> float:
    """lambda_1 / lambda_d of sigma^2 I + mu mu^T = 1 + ||mu||^2 / sigma^2."""
    mu = as_float64(mu)
    return float(1 + mu @ mu / sigma ** 2)


def predict(w, b, X) -> np.ndarray:
    return as_float64(X) @ as_float64(w) + float(b)


def objective(w, b, X, T) -> float:
    """J(w, b) = (1/N) sum_n 1/2 (1 - y_n t_n)^2."""
    T = as_float64(T)
    return float(np.mean(0.5 * (1 - predict(w, b, X) * T) ** 2))


def gradient(w, b, X, T) -> tuple[np.ndarray, float]:
    """(dJ/dw, dJ/db) = ((1/N) sum_n r_n x_n, (1/N) sum_n r_n) with r_n = -(1 - y_n t_n) t_n."""
    X, T = as_float64(X), as_float64(T)
    r = -(1 - predict(w, b, X) * T) * T
    return X.T @ r / len(X), float(r.mean())


def gradient_descent(w0, b0, X, T, lr, steps) -> tuple[list[float], np.ndarray, float]:
    """`steps` updates w <- w - lr dJ/dw, b <- b - lr dJ/db from (w0, b0).

    Returns (values, w, b): values[k] is J before update k, so values[0] = J(w0, b0),
    and (w, b) are the parameters after the last update.
    """
    w, b = as_float64(w0).copy(), float(b0)
    values = []
    for _ in range(steps):
        values.append(objective(w, b, X, T))
        gw, gb = gradient(w, b, X, T)
        w, b = w - lr * gw, b - lr * gb
    return values, w, b


def minimum(X, T) -> float:
    """min J: with t = +-1, (1 - y t)^2 = (t - y)^2, so J's minimum is a least-squares fit of t by (w, b)."""
    Xb, T = with_ones(X), as_float64(T)
    theta = np.linalg.lstsq(Xb, T, rcond=None)[0]
    return float(0.5 * np.mean((T - Xb @ theta) ** 2))
