"""The kinds of question of "hessian": each declared once, with its typed inputs and answer fields.

The checks (checks/) ask them; child/answers.py answers them (`@KIND.answerer`). Data comes as a
reference to the notebook's own arrays ({"data": "X"}) or as numbers ({"array": [[...]]}); a model's
parameters as numbers, put into the handout's LinearModel.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.child.contract import Array, Inputs, Kind, Number

MATRIX = "a (d, d) matrix (a numpy array or a torch tensor)"


@dataclass(frozen=True)
class DataInputs(Inputs):
    X: dict  # {"data": "X"} or {"array": [[...]]}


@dataclass(frozen=True)
class ModelInputs(DataInputs):
    T: dict  # the targets, as X
    w: list  # the LinearModel's parameters
    b: float


@dataclass(frozen=True)
class DescentInputs(ModelInputs):
    lr: float
    steps: int


@dataclass(frozen=True)
class MatrixInputs(Inputs):
    H: list  # a symmetric positive definite (d, d) matrix


@dataclass(frozen=True)
class PredictionInputs(Inputs):
    mu: list
    sigma: float


HESSIAN = Kind("hessian", DataInputs, {"value": Array()}, returns=MATRIX)
AUTOGRAD_HESSIAN = Kind("autograd_hessian", ModelInputs, {"value": Array()}, returns=MATRIX)
CONDITION_NUMBER = Kind("condition_number", MatrixInputs, {"value": Number()})
PREDICTED = Kind("predicted_condition_number", PredictionInputs, {"value": Number()})
GRADIENT_DESCENT = Kind("gradient_descent", DescentInputs, {"value": Array(), "w": Array(), "b": Number()},
                        returns="a list of `steps` floats", required=("value", "w", "b"))
