"""How the child answers the questions of "Neural Networks 2" (torch lives here).

Each answering function answers one kind (child/kinds.py: `@KIND.answerer`): it takes the namespace
(the handout's provided code with the student's definitions run on top) and the question's typed
inputs, and returns (status, fields) of plain JSON. Numbers are converted with exact type checks
(values.py); the parent checks them again.
"""

import inspect
import sys

import numpy
import torch

from autograder.child.contract import Deferred, Status, compiler, number_answer, progress, with_handout

from . import stored
from .handout import HANDOUT as handout
from .kinds import GRAD, MIX, REG, TRAIN


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
    namespace, provided, errors = with_handout(handout, statements, cells, run_statements)
    namespace["__provided_class__"] = provided["NeuralNetworkClassifier"]
    return namespace, errors


def from_kernel(namespace: dict):
    """The self-check's notebook mode: the kernel's own namespace, made answerable, or the missing names."""
    missing = [n for n in ("NeuralNetworkClassifier", "Xtrain", "Ttrain", "Xtest", "Ttest") if n not in namespace]
    if missing:
        return ", ".join(missing)
    kernel = dict(namespace)
    kernel["__provided_class__"] = namespace["NeuralNetworkClassifier"]
    kernel["__provided__"] = {name: namespace.get(name) for name in handout.PROVIDED_NAMES}
    return kernel


def network(namespace, inputs):
    """A NeuralNetworkClassifier of the handout with the question's first-layer weights."""
    net = namespace["__provided_class__"]()
    set_weights(net, inputs)
    return net


def set_weights(net, inputs):
    layer = list(net.model)[0]
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(inputs.W, dtype=torch.float32))
        layer.bias.copy_(torch.tensor(inputs.b, dtype=torch.float32))


@MIX.answerer
def ask_mix(namespace, inputs):
    if "Mix" not in namespace:
        return Status.MISSING, {}
    return number_answer(namespace["Mix"](network(namespace, inputs)))


def data(namespace, inputs):
    spec = inputs.X
    if "data" in spec:
        X = namespace["__provided__"][spec["data"]]
        if "rows" in spec:
            X = X[spec["rows"]]
    else:
        X = numpy.array(spec["array"], dtype=numpy.float64)
    X = numpy.array(X, dtype=numpy.float64)  # a private copy: the grader's data stays intact
    return torch.tensor(X, dtype=torch.float32) if inputs.tensor else X


@GRAD.answerer
def ask_grad(namespace, inputs):
    if "Grad" not in namespace:
        return Status.MISSING, {}
    net = network(namespace, inputs)
    X = data(namespace, inputs)
    before = X.clone() if isinstance(X, torch.Tensor) else X.copy()
    status, fields = number_answer(namespace["Grad"](net, X))
    advice = []
    same = torch.equal(X, before) if isinstance(X, torch.Tensor) else numpy.array_equal(X, before)
    if not same:
        advice.append("input_modified")
    if any(p.grad is not None and bool(p.grad.abs().sum() > 0) for p in net.model.parameters()):
        advice.append("gradients_left")
    return status, {**fields, "advice": advice}


def classifier(namespace, inputs):
    """An instance of the student's class, or the status that says why there is none."""
    cls = namespace.get(inputs.cls)
    if cls is None:
        return None, Status.MISSING
    base = namespace["__provided_class__"]
    if not (isinstance(cls, type) and issubclass(cls, base)):
        return None, Status.BAD_CLASS
    if cls.reg is base.reg:
        return None, Status.NOT_IMPLEMENTED
    return cls(), None


@REG.answerer
def ask_reg(namespace, inputs):
    obj, problem = classifier(namespace, inputs)
    if problem:
        return problem, {"found": "NeuralNetworkClassifier"} if problem is Status.BAD_CLASS else {}
    set_weights(obj, inputs)
    layer = list(obj.model)[0]
    value = obj.reg()
    status, result = number_answer(value)
    if status is not Status.OK:
        return status, result
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
    return status, result


@TRAIN.answerer
def ask_train(namespace, inputs):
    obj, problem = classifier(namespace, inputs)
    if problem:
        return problem, {"found": "NeuralNetworkClassifier"} if problem is Status.BAD_CLASS else {}
    base = namespace["__provided_class__"]
    provided = namespace["__provided__"]
    steps = inspect.signature(base.fit).parameters["nbit"].default
    done = [0]

    def step(module, args, output):  # one forward pass of the model per step of the handout's fit()
        done[0] += 1
        progress.report(done[0], steps)

    hook = obj.model.register_forward_hook(step) if progress.wanted() else None
    with compiler.not_imported():  # torch's compiler is not needed to train eagerly: 0.9 s saved
        base.fit(obj, provided["Xtrain"], provided["Ttrain"])  # the handout's fit, never an override
    if hook is not None:
        hook.remove()
    layer = list(obj.model)[0]
    return Status.OK, {"W": layer.weight.detach().double().tolist(), "b": layer.bias.detach().double().tolist()}

