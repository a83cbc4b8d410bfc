"""How the child answers the questions of "hessian" (torch lives here).

Each answering function answers one kind (child/kinds.py: `@KIND.answerer`): it takes the namespace
(the handout's data and LinearModel with the student's definitions run on top) and the question's
typed inputs, and returns (status, fields) of plain JSON. Arrays and numbers are converted with exact type checks (values.py); the parent
checks them again.
"""

import sys

import numpy
import torch

from autograder.child.contract import Status, array_answer, number_answer, to_array, with_handout

from . import utils
from .handout import HANDOUT as handout
from .kinds import AUTOGRAD_HESSIAN, CONDITION_NUMBER, GRADIENT_DESCENT, HESSIAN, PREDICTED


def prepare(statements, cells, run_statements, child: bool = False):
    """The handout's provided namespace (data and LinearModel), with the student's definitions run on top."""
    torch.set_num_threads(1)  # one child per core; also makes every run bit-reproducible
    sys.modules["utils"] = utils
    namespace, _, errors = with_handout(handout, statements, cells, run_statements)
    return namespace, errors


def from_kernel(namespace: dict):
    """The self-check's notebook mode: the kernel's own namespace, made answerable, or the missing names."""
    missing = [n for n in handout.PROVIDED_NAMES if n not in namespace]
    if missing:
        return ", ".join(missing)
    return {**namespace, "__provided__": {name: namespace[name] for name in handout.PROVIDED_NAMES}}


def data(namespace, spec: dict) -> numpy.ndarray:
    """A fresh float64 copy of the data a question names: the handout's X or Xc, its T, or given numbers."""
    values = namespace["__provided__"][spec["data"]] if "data" in spec else spec["array"]
    return numpy.array(values, dtype=numpy.float64)  # a private copy: the handout's arrays stay intact


def model(namespace, inputs):
    """The handout's LinearModel with the question's parameters (float32, as the handout makes them)."""
    m = namespace["__provided__"]["LinearModel"](len(inputs.w))
    with torch.no_grad():
        m.w.copy_(torch.tensor(inputs.w, dtype=m.w.dtype))
        m.b.copy_(torch.tensor(inputs.b, dtype=m.b.dtype))
    return m


@HESSIAN.answerer
def ask_hessian(namespace, inputs):
    if "hessian" not in namespace:
        return Status.MISSING, {}
    return array_answer(namespace["hessian"](data(namespace, inputs.X)))


@AUTOGRAD_HESSIAN.answerer
def ask_autograd_hessian(namespace, inputs):
    if "autograd_hessian" not in namespace:
        return Status.MISSING, {}
    X, T = data(namespace, inputs.X), data(namespace, inputs.T)
    return array_answer(namespace["autograd_hessian"](model(namespace, inputs), X, T))


@CONDITION_NUMBER.answerer
def ask_condition_number(namespace, inputs):
    if "condition_number" not in namespace:
        return Status.MISSING, {}
    return number_answer(namespace["condition_number"](numpy.array(inputs.H, dtype=numpy.float64)))


@PREDICTED.answerer
def ask_predicted_condition_number(namespace, inputs):
    if "predicted_condition_number" not in namespace:
        return Status.MISSING, {}
    mu = numpy.array(inputs.mu, dtype=numpy.float64)
    return number_answer(namespace["predicted_condition_number"](mu, float(inputs.sigma)))


@GRADIENT_DESCENT.answerer
def ask_gradient_descent(namespace, inputs):
    if "gradient_descent" not in namespace:
        return Status.MISSING, {}
    m = model(namespace, inputs)
    X, T = data(namespace, inputs.X), data(namespace, inputs.T)
    values = namespace["gradient_descent"](m, X, T, float(inputs.lr), int(inputs.steps))
    curve, problem = to_array(values)  # a list of floats (or 0-dim tensors), as the handout asks
    if problem:
        return Status.BAD_VALUE, {"found": problem}
    return Status.OK, {"value": curve, "w": m.w.detach().double().tolist(), "b": float(m.b.detach())}

