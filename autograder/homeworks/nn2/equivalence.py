"""Does a mutant still compute what the reference computes? Decided by running both, honestly.

Each source runs in a fresh namespace of the handout's provided cells, and both are asked the
same questions on the same cases: `n_networks` first-layer weights W (100, 30) and biases b
(100,) drawn from numpy's Generator with `seed` (the handout's initial network first, then
several scales, sparse matrices, all-negative rows and columns, dead neurons), each with one or
two inputs X for Grad (N from 1 to 100 rows of fresh data, copies of data rows, the global
Xtest array itself, torch tensors). The questions:

* Mix(net) and Grad(net, X) values;
* FrobClassifier().reg() and MixClassifier().reg() values, with the case's weights set;
* the gradient of each reg() value with respect to the first layer's weight and bias, by
  torch.autograd.grad(allow_unused=True). A None gradient, a non-tensor value or a tensor that
  does not require grad is "no gradient": equal to "no gradient" only. The bias gradient is the
  exception: None (no penalty reads the bias) counts as zeros, as it does for the grader, which
  only asks whether that gradient is nonzero.

Two answers are the same when both are numbers (or arrays) of one shape with
|a - b| <= 1e-9 * max(1, |b|) in every element (NaN matching NaN), or when both raised an
exception of the same type. The first difference decides, and is reported.

Float64 all the way, so that rounding cannot pass for a difference nor hide one: the default
dtype is float64 while a source runs (restored in a finally), the networks are converted with
.double(), the pooling vector s too, and each source (the handout's too) is exec'ed after an AST
rewrite `_Float64` that turns the float32 spellings into float64 ones: torch.float32,
torch.float, numpy.float32 / np.float32 -> float64, torch.FloatTensor -> torch.DoubleTensor and
a no-argument .float() call -> .double(). This runs only sources derived from our own
reference, in-process; it is not a sandbox for student code.
"""

from __future__ import annotations

import ast
import functools
import sys
import warnings
from dataclasses import dataclass

import numpy as np
import torch

from .child import stored
from .child.handout import HANDOUT as handout

RTOL = 1e-9
XTEST = "Xtest"  # an input standing for the namespace's own global Xtest array, by identity


@dataclass(frozen=True, eq=False)
class Case:
    index: int
    W: np.ndarray  # (100, 30), float64
    b: np.ndarray  # (100,), float64
    inputs: tuple  # Grad's X: numpy arrays, float64 tensors, or XTEST


# An observation: (question, outcome). Outcomes are ("ok",), ("value", ndarray),
# ("raises", exception type name), ("no gradient",) or ("not a number", type name).
Observation = tuple


# ---------------------------------------------------------------- the float64 rewrite

class _Float64(ast.NodeTransformer):
    RENAMES = {"torch.float32": "float64", "torch.float": "float64", "numpy.float32": "float64",
               "np.float32": "float64", "torch.FloatTensor": "DoubleTensor"}

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and f"{node.value.id}.{node.attr}" in self.RENAMES:
            return ast.Attribute(node.value, self.RENAMES[f"{node.value.id}.{node.attr}"], node.ctx)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        if (isinstance(node.func, ast.Attribute) and node.func.attr == "float"
                and not node.args and not node.keywords
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id in ("torch", "numpy", "np"))):
            node.func = ast.Attribute(node.func.value, "double", ast.Load())
        return node


def in_float64(source: str) -> str:
    tree = _Float64().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree))


@functools.lru_cache(maxsize=None)
def _provided_code(float64: bool):
    source = handout.provided_source()
    return compile(in_float64(source) if float64 else source, "<handout>", "exec")


def _provided(float64: bool = True) -> dict:
    """The handout's provided definitions, executed afresh."""
    saved = sys.modules.get("utils")
    sys.modules["utils"] = stored  # utils.breast_cancer() without sklearn.datasets, as the grader does
    try:
        provided = {"__name__": "__handout__"}
        exec(_provided_code(float64), provided)
    finally:
        if saved is None:
            sys.modules.pop("utils", None)
        else:
            sys.modules["utils"] = saved
    return provided


def namespace(source: str) -> tuple[dict, Observation]:
    """A fresh handout namespace with `source` (rewritten to float64) run on top of it."""
    provided = _provided()
    space = {"__name__": "__main__", "__builtins__": __builtins__}
    space.update({k: v for k, v in provided.items() if not k.startswith("__")})
    space["__provided_class__"] = provided["NeuralNetworkClassifier"]
    try:
        exec(compile(in_float64(source), "<source>", "exec"), space)
    except Exception as exc:
        return space, ("running the module", ("raises", type(exc).__name__))
    return space, ("running the module", ("ok",))


# ---------------------------------------------------------------- the cases

@functools.lru_cache(maxsize=None)
def _initial_weights():
    """The handout's NeuralNetworkClassifier() weights, made as the handout makes them (float32)."""
    saved = torch.get_default_dtype()
    with torch.random.fork_rng(devices=[]):
        try:
            torch.set_default_dtype(torch.float32)
            provided = _provided(float64=False)
            layer = list(provided["NeuralNetworkClassifier"]().model)[0]
        finally:
            torch.set_default_dtype(saved)
    return (layer.weight.detach().double().numpy().copy(), layer.bias.detach().double().numpy().copy())


def _weights(rng: np.random.Generator, i: int):
    h, d = 100, 30
    scale = float(rng.choice([0.01, 0.1, 1.0, 10.0]))
    W = rng.normal(0, scale, (h, d))
    b = rng.normal(0, scale, h)
    kind = i % 6
    if kind == 1:  # sparse
        W *= rng.random((h, d)) < 0.15
    elif kind == 2:  # all-negative rows (hidden neurons) and columns (inputs)
        rows = rng.random(h) < 0.3
        W[rows] = -np.abs(W[rows])
        cols = rng.random(d) < 0.3
        W[:, cols] = -np.abs(W[:, cols])
    elif kind == 3:  # dead neurons: zero rows and very negative biases
        W[rng.random(h) < 0.2] = 0
        b[rng.random(h) < 0.5] = -100 * scale
    elif kind == 4:  # all positive
        W = np.abs(W)
    elif kind == 5:  # few distinct values, ties in sums and maxima
        W = rng.integers(-2, 3, (h, d)).astype(float) * scale
    return W, b


def _inputs(rng: np.random.Generator, i: int, Xtrain: np.ndarray, Xtest: np.ndarray) -> tuple:
    n = (1, 2, 7, 30, 100)[i % 5]
    fresh = rng.normal(rng.normal(0, 1), float(rng.choice([0.5, 1.0, 3.0])), (n, 30))
    second = i % 4
    if second == 0:
        return fresh, XTEST
    if second == 1:  # rows of the data, but not the global array: a Grad reading a global differs
        return fresh, Xtrain[rng.choice(len(Xtrain), size=min(100, n + 20), replace=False)].copy()
    if second == 2:
        return (torch.tensor(fresh, dtype=torch.float64),)
    return (fresh,)


@functools.lru_cache(maxsize=None)
def make_cases(n_networks: int = 50, seed: int = 0) -> tuple[Case, ...]:
    rng = np.random.default_rng(seed)
    Xtrain, _, Xtest, _ = stored.breast_cancer()
    cases = []
    for i in range(n_networks):
        W, b = _initial_weights() if i == 0 else _weights(rng, i)
        cases.append(Case(i, W, b, _inputs(rng, i, Xtrain, Xtest)))
    return tuple(cases)


# ---------------------------------------------------------------- asking the questions

def _outcome(value) -> tuple:
    if isinstance(value, torch.Tensor):
        return ("value", value.detach().to(torch.float64).numpy().copy()) if value.is_floating_point() \
            or value.dtype in (torch.int64, torch.int32, torch.bool) else ("not a number", str(value.dtype))
    if isinstance(value, (bool, int, float, np.number, np.ndarray)):
        try:
            return ("value", np.asarray(value, dtype=np.float64))
        except (TypeError, ValueError):
            return ("not a number", type(value).__name__)
    return ("not a number", type(value).__name__)


def _ask(question):
    try:
        return _outcome(question())
    except Exception as exc:
        return ("raises", type(exc).__name__)


def _network(cls):
    """One instance per class and source, in float64. Building one costs a manual_seed (which
    records a stack trace) and a fresh init; the cases only need new weights, see _load."""
    net = cls()
    net.model.double()
    net.s = net.s.double()
    return net


def _load(net, case: Case):
    layer = list(net.model)[0]
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(case.W))
        layer.bias.copy_(torch.from_numpy(case.b))
    return layer


def _fresh(x, space):
    if isinstance(x, str):
        return space[x]  # the global itself, so that a Grad reading the global agrees here
    return x.clone() if isinstance(x, torch.Tensor) else x.copy()


def _penalty(net, case):
    """reg()'s value and its gradients w.r.t. the first layer's weight and bias."""
    try:
        layer = _load(net, case)
        value = net.reg()
    except Exception as exc:
        failed = ("raises", type(exc).__name__)
        return failed, failed, failed
    if not (isinstance(value, torch.Tensor) and value.requires_grad):
        return _outcome(value), ("no gradient",), ("no gradient",)
    try:
        grads = torch.autograd.grad(value, (layer.weight, layer.bias), allow_unused=True)
    except Exception as exc:
        failed = ("raises", type(exc).__name__)
        return _outcome(value), failed, failed
    gW, gb = grads
    # The bias is not part of either penalty: the grader only asks whether its gradient is
    # nonzero, so an unused bias (None) and a zero gradient are the same answer.
    gb = torch.zeros_like(layer.bias) if gb is None else gb
    return _outcome(value), ("no gradient",) if gW is None else _outcome(gW), _outcome(gb)


def _instances(space) -> dict:
    """The provided network (for Mix and Grad) and an instance of each classifier, or the
    exception its construction raised."""
    made = {}
    for name in ("__provided_class__", "FrobClassifier", "MixClassifier"):
        try:
            made[name] = _network(space[name])
        except Exception as exc:
            made[name] = exc
    return made


def _questions(space, made, case):
    """(question, outcome) for one case."""
    i = case.index
    net = made["__provided_class__"]
    _load(net, case)
    yield f"Mix on network {i}", _ask(lambda: space["Mix"](net))
    for x in case.inputs:
        label = "Xtest" if isinstance(x, str) else f"X of {len(x)} rows"
        yield f"Grad on network {i} with {label}", _ask(lambda: space["Grad"](net, _fresh(x, space)))
    for name in ("FrobClassifier", "MixClassifier"):
        if isinstance(made[name], Exception):
            failed = ("raises", type(made[name]).__name__)
            value = dweight = dbias = failed
        else:
            value, dweight, dbias = _penalty(made[name], case)
        yield f"{name}.reg() on network {i}", value
        yield f"{name}.reg()'s gradient w.r.t. the weight on network {i}", dweight
        yield f"{name}.reg()'s gradient w.r.t. the bias on network {i}", dbias


def behaviour(source: str, cases) -> list[Observation]:
    """Everything the comparison looks at, for one source on the given cases, in a fixed order."""
    saved = torch.get_default_dtype()
    observations = []
    with torch.random.fork_rng(devices=[]), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            torch.set_default_dtype(torch.float64)
            space, ran = namespace(source)
            observations.append(ran)
            if ran[1][0] != "ok":
                return observations
            made = _instances(space)
            for case in cases:
                observations.extend(_questions(space, made, case))
        finally:
            torch.set_default_dtype(saved)
    return observations


# ---------------------------------------------------------------- comparing

def _close(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise |x - y| <= RTOL * max(1, |y|); equal infinities and NaN against NaN agree."""
    with np.errstate(invalid="ignore", over="ignore"):
        return (x == y) | (np.abs(x - y) <= RTOL * np.maximum(1.0, np.abs(y))) | (np.isnan(x) & np.isnan(y))


def _same(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] != "value":
        return a == b
    return a[1].shape == b[1].shape and bool(_close(a[1], b[1]).all())


def _show(outcome: tuple) -> str:
    kind = outcome[0]
    if kind == "value":
        v = outcome[1]
        return f"{float(v):.6g}" if v.size == 1 and v.ndim == 0 else f"an array of shape {v.shape}"
    if kind == "raises":
        return f"raises {outcome[1]}"
    if kind == "not a number":
        return f"a {outcome[1]}"
    return kind


@functools.lru_cache(maxsize=8)
def _reference_behaviour(reference_source: str, n_networks: int, seed: int):
    return behaviour(reference_source, make_cases(n_networks, seed))


def equivalent(mutant_source: str, reference_source: str, n_networks: int = 50,
               seed: int = 0) -> tuple[bool, str]:
    """(True, "") if the mutant answers every question as the reference does, else (False, why)."""
    expected = _reference_behaviour(reference_source, n_networks, seed)
    found = behaviour(mutant_source, make_cases(n_networks, seed))
    for (question, got), (_, want) in zip(found, expected):
        if not _same(got, want):
            # Values first, then arrays where they first part.
            if got[0] == want[0] == "value" and got[1].shape == want[1].shape and got[1].ndim:
                k = int(np.argmax(~_close(got[1], want[1]).reshape(-1)))
                flat_got, flat_want = got[1].reshape(-1)[k], want[1].reshape(-1)[k]
                return False, f"{question} differs at element {k}: {flat_got:.6g} vs {flat_want:.6g}"
            return False, f"{question} differs: {_show(got)} vs {_show(want)}"
    if len(found) != len(expected):
        return False, f"{len(found)} answers vs {len(expected)}"
    return True, ""
