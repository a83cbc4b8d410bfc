"""What the checks of "hessian" share: the data sets and parameters questions are about, public and hidden.

Public: the notebook's own data X (2000 samples, d = 10, ||mu|| = 3) and its centered copy Xc,
taken from the handout's namespace in the child (`{"data": "X"}`), and the handout's LinearModel
parameters. Hidden: data sets of random size and dimension, drawn from the secret seed (one
generator per check, questions.Asking.rng), sent as numbers.
"""

from functools import lru_cache

import numpy as np

from ....child.protocol import Question
from ..child import handout, utils


@lru_cache(maxsize=1)
def notebook_data() -> dict[str, np.ndarray]:
    """X, T and Xc as the handout's first cell makes them."""
    namespace = {"utils": utils, "numpy": np}
    exec(handout.DATA.replace("import utils\n", ""), namespace)
    return {name: namespace[name] for name in ("X", "T", "Xc", "mu", "sigma", "d")}


def initial_parameters(d: int, seed: int) -> tuple[np.ndarray, float]:
    """LinearModel(d, seed)'s w and b, without torch: the handout draws 0.01 * randn from torch's generator,
    and the grader needs no torch, so the public questions fix parameters of their own, sent as numbers."""
    rng = np.random.default_rng([2024, d, seed])
    return (0.01 * rng.standard_normal(d)).astype(np.float32).astype(np.float64), float(np.float32(0.01 * rng.standard_normal()))


class Data:
    """A data set a question is about: how the child gets it, the parent's copy, and its name in feedback."""

    def __init__(self, label: str, X: np.ndarray, T: np.ndarray, spec_X: dict, spec_T: dict):
        self.label, self.X, self.T, self.spec_X, self.spec_T = label, X, T, spec_X, spec_T


def public_data() -> list[Data]:
    nb = notebook_data()
    return [Data("the notebook's data X (2000 samples, d = 10)", nb["X"], nb["T"], {"data": "X"}, {"data": "T"}),
            Data("the centered data Xc", nb["Xc"], nb["T"], {"data": "Xc"}, {"data": "T"})]


def hidden_data(asking, check_id: str) -> list[Data]:
    """Random data sets: d from 2 to 12, N from 1 to 300 (one sample too), shifted means, random scales."""
    if not asking.hidden_count:
        return []
    rng = asking.rng(check_id)
    found = []
    for k in range(asking.hidden_count):
        d, n = int(rng.integers(2, 13)), int(rng.choice([1, 7, 40, 150, 300]))
        mu = rng.normal(0, 2, d)
        X = mu + rng.choice([0.3, 1.0, 3.0]) * rng.standard_normal((n, d))
        T = np.where(X @ rng.standard_normal(d) >= 0, 1.0, -1.0)
        found.append(Data(f"hidden random data {k + 1} (N = {n}, d = {d})", X, T,
                          {"array": X.tolist()}, {"array": T.tolist()}))
    return found


def question(qid: str, part: str, kind: str, label: str, inputs: dict, about: dict, hidden: bool = False) -> Question:
    return Question(qid, part, kind, inputs, label=label, about=about, hidden=hidden)
