"""What the checks of "hessian" share: the data sets and parameters questions are about, public and hidden.

Public: the notebook's own data X (2000 samples, d = 10, ||mu|| = 3) and its centered copy Xc,
taken from the handout's namespace in the child (`{"data": "X"}`), and the handout's LinearModel
parameters. Hidden: data sets of random size and dimension, drawn from the secret seed (one
generator per check, questions.Asking.rng), sent as numbers.
"""

from functools import lru_cache

import numpy as np

from autograder.pack import Question
from ..child import utils
from ..child.handout import HANDOUT as handout


@lru_cache(maxsize=1)
def notebook_data() -> dict[str, np.ndarray]:
    """X, T and Xc as the handout's first cell makes them."""
    namespace = {"utils": utils, "numpy": np}
    exec(handout.defining("Xc").replace("import utils\n", ""), namespace)
    return {name: namespace[name] for name in ("X", "T", "Xc", "mu", "sigma", "d")}


def initial_parameters(d: int, seed: int) -> tuple[np.ndarray, float]:
    """LinearModel(d, seed)'s w and b, without torch: the handout draws 0.01 * randn from torch's generator,
    and the grader needs no torch, so the public questions fix parameters of their own, sent as numbers."""
    rng = np.random.default_rng([2024, d, seed])
    return (0.01 * rng.standard_normal(d)).astype(np.float32).astype(np.float64), float(np.float32(0.01 * rng.standard_normal()))


class Data:
    """A data set a question is about: how the child gets it, the parent's copy, and its name in feedback.
    `variant_of`: the label of the data set this one is a transformed copy of (Xc of X), or ""."""

    def __init__(self, label: str, X: np.ndarray, T: np.ndarray, spec_X: dict, spec_T: dict, variant_of: str = ""):
        self.label, self.X, self.T, self.spec_X, self.spec_T = label, X, T, spec_X, spec_T
        self.variant_of = variant_of


def public_data() -> list[Data]:
    nb = notebook_data()
    raw = Data("the notebook's data X (2000 samples, d = 10)", nb["X"], nb["T"], {"data": "X"}, {"data": "T"})
    # Xc is X shifted: an answer that does not change between them may be shift-invariant (a covariance), not fixed.
    return [raw, Data("the centered data Xc", nb["Xc"], nb["T"], {"data": "Xc"}, {"data": "T"}, variant_of=raw.label)]


def hidden_data(asking, check_id: str) -> list[Data]:
    """Random data sets over the rubric's [inputs] ranges: d and N spread over their whole ranges (N on a
    log scale: 1 sample, a few, hundreds; X^T X and X^T X / N agree only at N = 1), shifted means, scales."""
    if not asking.hidden_count:
        return []
    ranges = asking.rubric.tables.inputs
    ds = asking.spread(f"{check_id}/d", *ranges.features, whole=True)
    ns = asking.spread(f"{check_id}/N", *ranges.samples, log=True, whole=True)
    scales = asking.spread(f"{check_id}/scale", 0.3, 3.0, log=True)
    rng = asking.rng(check_id)
    found = []
    for k, (d, n, scale) in enumerate(zip(ds, ns, scales)):
        mu = rng.normal(0, 2, d)
        X = mu + scale * rng.standard_normal((n, d))
        T = np.where(X @ rng.standard_normal(d) >= 0, 1.0, -1.0)
        found.append(Data(f"hidden random data {k + 1} (N = {n}, d = {d})", X, T,
                          {"array": X.tolist()}, {"array": T.tolist()}))
    return found


def question(qid: str, part: str, kind, label: str, inputs: dict, about: dict, hidden: bool = False,
             data: Data | None = None) -> Question:
    """A question of `kind` (child/kinds.py) with its typed inputs; about a data set (`data`), its answer
    must change with the data (its subject)."""
    return Question(qid, part, kind.name, kind.inputs(**inputs), label=label, about=about, hidden=hidden,
                    subject=data.label if data else "", variant_of=data.variant_of if data else "")
