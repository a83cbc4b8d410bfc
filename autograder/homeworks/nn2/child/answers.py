"""The questions the grader asks of student code, answered inside the child process.

Each answer is plain JSON: a status, and numbers or lists of numbers. Values
are converted here with exact type checks (a float subclass or a tensor
subclass is not a number to us), and the parent checks them again.

Statuses: ok, missing (no such name), not_implemented, error (raised),
bad_value (returned something that is not a number of the right shape).
"""

import errno
import importlib
import importlib.machinery
import sys
import traceback
import types

import numpy
import torch

from autograder.scaffold import handout
from autograder.scaffold import stored

TARGETS = {"mix": "Mix", "grad": "Grad"}


class Deferred(types.ModuleType):
    """A module imported on first use: the handout imports sklearn.metrics for score(), which grading
    never calls, and importing it would cost each child 70 MB."""

    def __init__(self, name):
        super().__init__(name)
        # Tools that look modules up (torch's dynamo calls find_spec) need a spec; it loads nothing.
        self.__spec__ = importlib.machinery.ModuleSpec(name, None)

    def __getattr__(self, attr):
        if attr.startswith("__"):  # inspect and torch walk sys.modules asking for __file__: not a use
            raise AttributeError(attr)
        name = self.__name__
        for key in [k for k, v in sys.modules.items() if isinstance(v, Deferred)]:
            del sys.modules[key]
        real = importlib.import_module(name)
        try:
            return getattr(real, attr)
        except AttributeError:
            return importlib.import_module(f"{name}.{attr}")


def prepare(statements, cells, run_statements, child: bool = False):
    """The handout's provided namespace, with the student's definitions run on top of it.

    In the child (child=True) sklearn is deferred; in a process that may import sklearn's
    other modules later (the tests), it is not.
    """
    torch.set_num_threads(1)  # one child per core; also makes training bit-reproducible
    sys.modules["utils"] = stored  # utils.breast_cancer()'s arrays, without importing sklearn.datasets
    if child:
        for name in ("sklearn", "sklearn.metrics"):
            sys.modules.setdefault(name, Deferred(name))
    provided = {"__name__": "__handout__"}
    # The provided classes keep their own globals, so a student's `nn = ...` cannot reach them.
    exec(compile(handout.provided_source(), "<handout>", "exec"), provided)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    namespace.update({k: v for k, v in provided.items() if not k.startswith("__")})
    errors = run_statements(namespace, statements, cells)
    namespace["__provided__"] = {name: provided[name] for name in handout.PROVIDED_NAMES}
    namespace["__provided_class__"] = provided["NeuralNetworkClassifier"]
    return namespace, errors


def answer(namespace, question):
    kind = question["kind"]
    try:
        return ANSWERERS[kind](namespace, question)
    except NotImplementedError:
        return {"status": "not_implemented"}
    except BaseException as exc:  # student code may raise SystemExit, KeyboardInterrupt, anything
        return {"status": "error", "message": describe(exc)}


def describe(exc: BaseException) -> str:
    """The exception and the innermost line of the student's own code that it passed through."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<cell") or frame.filename.startswith("<lines"):
            where = f" ({frame.filename.strip('<>')}, line {frame.lineno}: {(frame.line or '').strip()})"
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:  # RLIMIT_FSIZE: Python ignores SIGXFSZ
        text += " (a file written was larger than the 8 MB limit)"
    return f"{type(exc).__name__}{': ' + text if text else ''}{where}"



def network(namespace, question):
    """A NeuralNetworkClassifier of the handout with the question's first-layer weights."""
    net = namespace["__provided_class__"]()
    set_weights(net, question)
    return net


def set_weights(net, question):
    layer = list(net.model)[0]
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(question["W"], dtype=torch.float32))
        layer.bias.copy_(torch.tensor(question["b"], dtype=torch.float32))


def to_number(value):
    """A float from the exact number types students return, or a description of what came back."""
    if type(value) in (float, int):
        return float(value), None
    if type(value) in (numpy.float64, numpy.float32, numpy.float16):
        return float(value), None
    if type(value) is numpy.ndarray and value.size == 1 and value.dtype.kind == "f":
        return float(value.reshape(())), None
    if type(value) in (torch.Tensor, torch.nn.Parameter) and value.numel() == 1 and value.is_floating_point():
        return float(value.detach().reshape(()).item()), None
    if value is None:
        return None, "None (is a `return` missing?)"
    shape = getattr(value, "shape", None)
    if shape is not None and type(shape) in (tuple, torch.Size):
        return None, f"a {type(value).__name__} of shape {tuple(shape)}"
    return None, f"a {type(value).__name__}"


def number_answer(value):
    number, problem = to_number(value)
    if problem:
        return {"status": "bad_value", "found": problem}
    return {"status": "ok", "value": number}


def ask_mix(namespace, question):
    if "Mix" not in namespace:
        return {"status": "missing"}
    return number_answer(namespace["Mix"](network(namespace, question)))


def inputs(namespace, question):
    spec = question["X"]
    if "data" in spec:
        X = namespace["__provided__"][spec["data"]]
        if "rows" in spec:
            X = X[spec["rows"]]
    else:
        X = numpy.array(spec["array"], dtype=numpy.float64)
    X = numpy.array(X, dtype=numpy.float64)  # a private copy: the grader's data stays intact
    return torch.tensor(X, dtype=torch.float32) if question["as"] == "tensor" else X


def ask_grad(namespace, question):
    if "Grad" not in namespace:
        return {"status": "missing"}
    net = network(namespace, question)
    X = inputs(namespace, question)
    before = X.clone() if isinstance(X, torch.Tensor) else X.copy()
    result = number_answer(namespace["Grad"](net, X))
    advice = []
    same = torch.equal(X, before) if isinstance(X, torch.Tensor) else numpy.array_equal(X, before)
    if not same:
        advice.append("input_modified")
    if any(p.grad is not None and bool(p.grad.abs().sum() > 0) for p in net.model.parameters()):
        advice.append("gradients_left")
    result["advice"] = advice
    return result


def classifier(namespace, question):
    cls = namespace.get(question["cls"])
    if cls is None:
        return None, {"status": "missing"}
    base = namespace["__provided_class__"]
    if not (isinstance(cls, type) and issubclass(cls, base)):
        return None, {"status": "bad_class"}
    if cls.reg is base.reg:
        return None, {"status": "not_implemented"}
    return cls(), None


def ask_reg(namespace, question):
    obj, problem = classifier(namespace, question)
    if problem:
        return problem
    set_weights(obj, question)
    layer = list(obj.model)[0]
    value = obj.reg()
    result = number_answer(value)
    if result["status"] != "ok":
        return result
    if not isinstance(value, torch.Tensor):
        result["no_gradient"] = f"returned a {type(value).__name__}, not a torch tensor"
    elif not value.requires_grad:
        result["no_gradient"] = "returned a tensor that is not connected to the weights"
    else:
        gW, gb = torch.autograd.grad(value.reshape(()), [layer.weight, layer.bias], allow_unused=True)
        if gW is None:
            result["no_gradient"] = "returned a tensor that does not depend on the first layer's weight"
        else:
            result["grad_W"] = gW.detach().double().tolist()
        result["grad_b_nonzero"] = gb is not None and bool(gb.abs().sum() > 0)
    return result


def ask_train(namespace, question):
    obj, problem = classifier(namespace, question)
    if problem:
        return problem
    base = namespace["__provided_class__"]
    provided = namespace["__provided__"]
    base.fit(obj, provided["Xtrain"], provided["Ttrain"])  # the handout's fit, never an override
    layer = list(obj.model)[0]
    answer = {
        "status": "ok",
        "W": layer.weight.detach().double().tolist(),
        "b": layer.bias.detach().double().tolist(),
    }
    if question.get("own_figures"):  # the self-check only: it has no Grad or Mix of its own
        answer["own"] = {"grad_xtest": own(namespace, "Grad", obj, provided["Xtest"]), "mix": own(namespace, "Mix", obj)}
    return answer


def own(namespace, name, *args):
    """The student's own function on the trained network, or None when it fails."""
    try:
        number, problem = to_number(namespace[name](*args))
        return None if problem else number
    except Exception:
        return None


ANSWERERS = {"mix": ask_mix, "grad": ask_grad, "reg": ask_reg, "train": ask_train}
