"""The kinds of question of "Neural Networks 2": each declared once, with its typed inputs and answer fields.

The checks (checks/) ask them; child/answers.py answers them (`@KIND.answerer`). A network is the
first layer of the handout's NeuralNetworkClassifier, sent as numbers: W (h, d) as PyTorch stores
it, and b (h,).
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.child.contract import Array, Choices, Flag, Inputs, Kind, Number, Text

H, D = 100, 30  # the handout's hidden size nh and input size nx
GRAD_ADVICE = ("input_modified", "gradients_left")  # side effects the child reports, which cost no points


@dataclass(frozen=True)
class NetworkInputs(Inputs):
    W: list  # (h, d) first-layer weight, as PyTorch stores it
    b: list  # (h,) its bias


@dataclass(frozen=True)
class GradInputs(NetworkInputs):
    X: dict  # {"data": "Xtest"}, {"data": "Xtest", "rows": [i]} or {"array": [[...]]}
    tensor: bool = False  # pass X as a torch tensor (advice only: the notebook passes numpy arrays)


@dataclass(frozen=True)
class RegInputs(NetworkInputs):
    cls: str  # "FrobClassifier" or "MixClassifier"


@dataclass(frozen=True)
class TrainInputs(Inputs):
    cls: str


MIX = Kind("mix", NetworkInputs, {"value": Number()})
GRAD = Kind("grad", GradInputs, {"value": Number(), "advice": Choices(GRAD_ADVICE)})
REG = Kind("reg", RegInputs, {"value": Number(), "grad_W": Array((H, D)), "grad_b_nonzero": Flag(),
                              "no_gradient": Text()})
TRAIN = Kind("train", TrainInputs, {"W": Array((H, D), finite=True), "b": Array((H,), finite=True)},
             returns="a trained network", required=("W", "b"), value=False, long=True)
