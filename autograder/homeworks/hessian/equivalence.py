"""Does a mutant of the "hessian" reference still compute what the reference computes? Decided by running both.

Each source runs on top of the handout's provided cells, in float64 (torch's default dtype is
float64 while a source runs; the handout's LinearModel then makes float64 parameters), on the
same random cases: data sets of 1 to 300 samples and 1 to 12 features, as numpy arrays and as
tensors, random parameters, positive definite matrices, (mu, sigma) pairs, and short descents
with stable learning rates. The questions are the five answers' values and, for gradient
descent, the final parameters too. Two answers are the same when both are numbers or arrays of
one shape within 1e-9 relative (NaN matching NaN), or both raised the same exception type.
This runs only sources derived from our own reference, in-process; it is not a sandbox.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import torch

from .child import utils
from .child.handout import HANDOUT as handout

RTOL = 1e-9


def cases(n: int = 30, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        d, N = int(rng.integers(1, 13)), int(rng.choice([1, 2, 5, 40, 300]))
        mu = rng.normal(0, 2, max(d, 2))
        X = mu[:d] + rng.uniform(0.3, 3) * rng.standard_normal((N, d))
        T = rng.choice([-1.0, 1.0], N)
        Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
        Xb = np.hstack([X, np.ones((N, 1))])
        lr = float(rng.uniform(0.1, 0.9) / np.linalg.eigvalsh(Xb.T @ Xb / N).max())
        out.append({"X": torch.tensor(X) if k % 3 == 2 else X, "T": T, "w": rng.normal(0, 1, d), "b": float(rng.normal()),
                    "H": (Q * 10.0 ** rng.uniform(-2, 2, d)) @ Q.T, "mu": mu, "sigma": float(rng.uniform(0.3, 3)),
                    "lr": lr, "steps": int(rng.integers(1, 15))})
    return out


def namespace(source: str) -> dict:
    space = {"utils": utils, "__name__": "__main__"}
    exec(compile(handout.provided_source().replace("import utils\n", ""), "<handout>", "exec"), space)
    exec(compile(source, "<source>", "exec"), space)
    return space


def model(space, case):
    m = space["LinearModel"](len(case["w"]))
    with torch.no_grad():
        m.w.copy_(torch.tensor(case["w"]))
        m.b.copy_(torch.tensor(case["b"]))
    return m


def outcome(call) -> tuple:
    try:
        value = call()
    except Exception as exc:  # our own mutants: an exception is an answer like any other
        return ("raises", type(exc).__name__)
    try:
        return ("value", np.asarray(torch.as_tensor(value).detach().double()) if not isinstance(value, list)
                else np.asarray([float(v) for v in value]))
    except (TypeError, ValueError, RuntimeError):
        return ("not a number", type(value).__name__)


def questions(space, case) -> list[tuple[str, tuple]]:
    found = [("hessian(X)", outcome(lambda: space["hessian"](case["X"]))),
             ("autograd_hessian", outcome(lambda: space["autograd_hessian"](model(space, case), case["X"], case["T"]))),
             ("condition_number(H)", outcome(lambda: space["condition_number"](case["H"]))),
             ("predicted_condition_number", outcome(lambda: space["predicted_condition_number"](case["mu"], case["sigma"])))]
    m = model(space, case)
    found.append(("gradient_descent's values",
                  outcome(lambda: space["gradient_descent"](m, case["X"], case["T"], case["lr"], case["steps"]))))
    found.append(("gradient_descent's final w, b", outcome(lambda: torch.cat([m.w.detach().reshape(-1),
                                                                               m.b.detach().reshape(1)]))))
    return found


def behaviour(source: str, n: int, seed: int) -> list[tuple[str, tuple]]:
    saved = torch.get_default_dtype()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            torch.set_default_dtype(torch.float64)
            try:
                space = namespace(source)
            except Exception as exc:
                return [("running the module", ("raises", type(exc).__name__))]
            return [q for case in cases(n, seed) for q in questions(space, case)]
        finally:
            torch.set_default_dtype(saved)


def same(a: tuple, b: tuple) -> bool:
    if a[0] != b[0] or a[0] != "value":
        return a == b
    x, y = a[1], b[1]
    return x.shape == y.shape and bool(np.all((np.abs(x - y) <= RTOL * np.maximum(1, np.abs(y)))
                                              | (np.isnan(x) & np.isnan(y))))


@functools.lru_cache(maxsize=4)
def reference_behaviour(source: str, n: int, seed: int):
    return behaviour(source, n, seed)


def equivalent(mutant_source: str, reference_source: str, n: int = 30, seed: int = 0) -> tuple[bool, str]:
    """(True, "") if the mutant answers every question as the reference does, else (False, why)."""
    expected, found = reference_behaviour(reference_source, n, seed), behaviour(mutant_source, n, seed)
    for (question, got), (_, want) in zip(found, expected):
        if not same(got, want):
            return False, f"{question} differs: {got[0]} vs {want[0]}"
    if len(found) != len(expected):
        return False, f"{len(found)} answers vs {len(expected)}"
    return True, ""
