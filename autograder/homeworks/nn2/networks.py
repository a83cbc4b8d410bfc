"""The networks the grader asks questions about: public ones students know, hidden ones they do not.

Public: the handout's network right after construction and after its
10,000-step fit (stored in data/public_networks.npz by
reference/make_grader_data.py, so grading never trains them again).
Hidden: drawn from the secret seed, one generator per check id (questions.Asking.rng),
so that a check's inputs do not depend on which other checks run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .child.kinds import D, H  # noqa: F401  (the handout's sizes: declared with the kinds)

PUBLIC_FILE = Path(__file__).parent / "data" / "public_networks.npz"


@dataclass(frozen=True)
class Network:
    label: str  # how feedback names it: "the initial network"
    W: np.ndarray  # (h, d), float32 values held in float64
    b: np.ndarray  # (h,)

    def to_json(self) -> dict:
        return {"W": self.W.tolist(), "b": self.b.tolist()}


def as_float32(a) -> np.ndarray:
    """The child holds float32 weights; the oracle works on exactly those values."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def public() -> dict[str, Network]:
    with np.load(PUBLIC_FILE, allow_pickle=False) as f:
        return {
            "initial": Network("the handout's initial network (NeuralNetworkClassifier() before fit)",
                               as_float32(f["W_initial"]), as_float32(f["b_initial"])),
            "trained": Network("the trained network (NeuralNetworkClassifier() after fit(Xtrain,Ttrain))",
                               as_float32(f["W_trained"]), as_float32(f["b_trained"])),
        }


def hidden(rng: np.random.Generator, scales: list[float]) -> list[Network]:
    """Random networks of the handout's shape, one per scale (spread over the rubric's range), with varied
    signs and sparsity."""
    nets = []
    for k, scale in enumerate(scales):
        W = rng.normal(0, scale, (H, D))
        if k % 2 == 1:  # sparse rows and columns tell the axes of an l1/l2 norm apart
            W *= rng.random((H, D)) < 0.3
        W[:, rng.integers(D)] *= 4  # one dominant input feature
        b = rng.normal(0, scale, H)
        nets.append(Network(f"hidden random network {k + 1}", as_float32(W), as_float32(b)))
    return nets


def random_inputs(rng: np.random.Generator, n: int = 40) -> np.ndarray:
    return rng.normal(0, 1.5, (n, D))


# Where a hidden unit's pre-activation is this close to 0 (relative to their spread), the ReLU's kink is within
# float32's rounding: torch may take the other side of it than the float64 oracle, and a correct Grad be off by
# 0.4% (found with a seed whose input put one unit 3e-6 from 0). Grad is not defined there: no input is asked there.
KINK_MARGIN = 1e-3


def away_from_kinks(rng: np.random.Generator, net: Network, X: np.ndarray) -> np.ndarray:
    """`X` with every row that puts a hidden unit of `net` at its ReLU's kink drawn again (deterministic: the
    same generator)."""
    X = X.copy()
    for _ in range(100):
        Z = X @ net.W.astype(np.float64).T + net.b.astype(np.float64)
        near = (np.abs(Z) < KINK_MARGIN * Z.std()).any(axis=1)
        if not near.any():
            break
        X[near] = random_inputs(rng, int(near.sum()))
    return X


@lru_cache(maxsize=1)
def data() -> dict[str, np.ndarray]:
    """The handout's four arrays, as utils.breast_cancer() returns them (stored: no scikit-learn here)."""
    from .child import stored

    Xtrain, Ttrain, Xtest, Ttest = stored.breast_cancer()
    return {"Xtrain": Xtrain, "Ttrain": Ttrain, "Xtest": Xtest, "Ttest": Ttest}
