"""Part gradient (5 P): the gradient of J with respect to w at (w, b), (1/N) sum_n (w.x_n + b - t_n) x_n.

A question declared in one place: this file, its rubric rows, and its cell in the solved notebook.
The engine derives the rest from the declaration below: the task `gradient(X,T,w,b)`, how a child calls
it, the check on the notebook's data and the one on hidden random data, constant-factor hints.
"""

import numpy as np

from autograder.pack import Case, Data, Function, Mistake, grader_only
from .common import initial_parameters, notebook_data


@grader_only
def expected(X, T, w, b):
    return X.T @ (X @ w + b - T) / len(X)


@grader_only
def mistakes(X, T, w, b):
    residual = X @ w + b - T
    return [
        Mistake("That is the sum over the samples: N times the gradient.", "J is a mean over the samples: "
                "divide the sum by N.", X.T @ residual),
        Mistake("That is minus the gradient (t - y for y - t).", "Differentiate 1/2 (1 - y t)^2: with t^2 = 1 "
                "the gradient is the mean of (y - t) x.", -X.T @ residual / len(X)),
        Mistake("The bias b is left out of y.", "y = w.x + b: add b before subtracting t.",
                X.T @ (X @ w - T) / len(X)),
    ]


def public() -> list[Case]:
    nb = notebook_data()
    w, b = initial_parameters(nb["X"].shape[1], 0)
    return [Case(f"the notebook's {what} data at LinearModel's initial w and b",
                 (Data(name, nb[name]), Data("T", nb["T"]), w, b)) for name, what in (("X", "raw"), ("Xc", "centered"))]


def hidden(rng: np.random.Generator, k: int) -> Case:
    d, n = int(rng.integers(1, 13)), int(rng.choice([1, 3, 40, 300]))
    X = rng.normal(0, 2, d) + rng.uniform(0.3, 3) * rng.standard_normal((n, d))
    T = rng.choice([-1.0, 1.0], n)
    return Case(f"hidden random data {k + 1} (N = {n}, d = {d})", (X, T, rng.standard_normal(d), float(rng.normal())))


GRADIENT = Function("gradient", ("X", "T", "w", "b"), "array", expected, public, hidden, mistakes)
