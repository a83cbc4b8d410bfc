"""Closed-form expected values, in numpy, from the sheet's theory.

W is always in PyTorch's layout, (h, d): W[j, i] connects input i to hidden
neuron j. The sheet writes the transpose; `Wt.T` is the sheet's W.
Everything is computed in float64 from the float32 weights the child holds.
"""

import numpy as np

# The handout's pooling signs: the first half of the hidden neurons count +1, the rest -1.
def pooling_signs(h: int = 100) -> np.ndarray:
    s = np.zeros(h)
    s[: h // 2] = 1
    s[h // 2:] = -1
    return s


def frob(W: np.ndarray) -> float:
    return float(np.sqrt((W ** 2).sum()))


def mix(W: np.ndarray) -> float:
    """sqrt(sum_i ||W_i,:||_1^2) over the sheet's rows, i.e. over the columns of W in torch layout."""
    return float(np.sqrt((np.abs(W).sum(axis=0) ** 2).sum()))


def hidden(W: np.ndarray, b: np.ndarray, X: np.ndarray) -> np.ndarray:
    return np.maximum(X @ W.T + b, 0)


def predict(W, b, s, X) -> np.ndarray:
    return hidden(W, b, X) @ s


def input_gradients(W, b, s, X) -> np.ndarray:
    """df/dx_n = sum_j s_j 1[a_j > 0] W_:,j (sheet's orientation), one row per sample."""
    active = (X @ W.T + b) > 0
    return (active * s) @ W


def grad(W, b, s, X) -> float:
    """Grad = (1/N) sum_n ||df/dx(x_n)||."""
    return float(np.linalg.norm(input_gradients(W, b, s, X), axis=1).mean())


def accuracy(W, b, s, X, T) -> float:
    """As the handout's score(): sign of the output against the +-1 labels (a zero output is wrong)."""
    return float((np.sign(predict(W, b, s, X)) == T).mean())


def frob_penalty(W, lam: float) -> float:
    h = W.shape[0]
    return lam * h * frob(W) ** 2


def frob_penalty_gradient(W, lam: float) -> np.ndarray:
    return 2 * lam * W.shape[0] * W


def mix_penalty(W, lam: float) -> float:
    return lam * mix(W) ** 2


def mix_penalty_gradient(W, lam: float) -> np.ndarray:
    """d/dW_ij ||W||_Mix^2 = 2 ||W_i,:||_1 sign(W_ij) (sheet 5, 1e), in torch layout."""
    return 2 * lam * np.abs(W).sum(axis=0, keepdims=True) * np.sign(W)
