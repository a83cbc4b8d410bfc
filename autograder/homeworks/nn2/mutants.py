"""The mutation operators of "Neural Networks 2": the answers to mutate and the families specific to them.

The engine's generator (autograder/mutants/generate.py) walks every node of every answer and
applies each family in OPERATORS order, from the most specific (drop-square) to the most
generic (swap-binop, constant), so an edit several families can make is named after the first.
"""

from __future__ import annotations

import ast
import copy
from typing import Callable, Iterable

from autograder.pack.mutation import (GENERIC, Site, Rewrite, calls, dotted, drop_abs, drop_root, drop_square, expr,
                                      fill, first_assignment, is_method, keyword, move_root, move_square, num, number,
                                      pow_with, replace_body, statement_index)
PENALTY_TARGETS = ("Mix", "FrobClassifier", "MixClassifier")  # answers whose value autograd differentiates
REG_TARGETS = ("FrobClassifier", "MixClassifier")
LAMBDAS = (0.005, 0.025)  # FrobClassifier's and MixClassifier's, for swapping
NORM_FUNCTIONS = ("Frob", "Mix")


def abs_to_square(node, ctx):
    # |w| -> w**2 turns the l1 norm of a row into its squared l2 norm (the Frobenius confusion).
    if is_method(node, "abs") and not node.args:
        return [lambda n: ast.BinOp(n.func.value, ast.Pow(), ast.Constant(2))]
    return []


def hidden_size(node, ctx):
    if isinstance(node, ast.Name) and node.id == "nh" and isinstance(node.ctx, ast.Load):
        return [lambda n: ast.Name("nx", ast.Load()), lambda n: ast.Constant(1)]
    if pow_with(node, 0.5) and isinstance(node.left, ast.Name) and node.left.id == "nh":
        return [lambda n: n.left]  # sqrt(h) -> h
    return []


def swap_lambda(node, ctx):
    if ctx.target in REG_TARGETS and number(node) and node.value in LAMBDAS:
        other = LAMBDAS[1 - LAMBDAS.index(node.value)]
        return [lambda n: ast.Constant(other)]
    return []


def swap_norm(node, ctx):
    """Frob(self) <-> Mix(self): the other class's norm."""
    if ctx.target in REG_TARGETS and calls(node, *NORM_FUNCTIONS):
        other = NORM_FUNCTIONS[1 - NORM_FUNCTIONS.index(dotted(node.func))]
        return [lambda n: ast.Call(ast.Name(other, ast.Load()), n.args, n.keywords)]
    return []


def return_zero(node, ctx):
    if ctx.target in REG_TARGETS and isinstance(node, ast.Return):
        return [lambda n: ast.Return(ast.Constant(0))]
    return []


def grad_of_mean(node, ctx):
    """autograd on f.mean() rather than f.sum(): every input gradient is divided by N."""
    if not (is_method(node, "sum") and not node.args and not node.keywords):
        return []
    parent = ctx.parent(node)
    differentiated = ((calls(parent, "torch.autograd.grad") and parent.args and parent.args[0] is node)
                      or (is_method(parent, "backward") and parent.func.value is node))
    if not differentiated:
        return []

    def rewrite(n):
        n.func.attr = "mean"
        return n
    return [rewrite]


def norm_of_mean(node, ctx):
    """mean_n ||g_n|| -> ||mean_n g_n|| (and ||sum_n g_n||): the norm of the averaged gradient."""
    if not (is_method(node, "mean") and not node.args and not node.keywords
            and is_method(node.func.value, "norm") and keyword(node.func.value, "dim")):
        return []
    return [lambda n, how=how: fill(f"G.{how}(dim=0).norm()", G=n.func.value.func.value)
            for how in ("mean", "sum")]


def pooling(node, ctx):
    """f without the pooling: the hidden layer nn.model(X), which the caller then sums."""
    if is_method(node, "predict"):
        return [lambda n: ast.Call(ast.Attribute(n.func.value, "model", ast.Load()), n.args, n.keywords)]
    return []


def global_data(node, ctx):
    """An argument read replaced by the handout's global data set of the same kind."""
    if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in ctx.params[1:]):
        return []
    # Only the reads of the caller's value, i.e. up to the statement that rebinds the name.
    if statement_index(ctx, node) > first_assignment(ctx.function, node.id):
        return []
    return [lambda n, g=g: ast.Name(g, ast.Load()) for g in ("Xtest", "Xtrain")]


def wrt_weight(node, ctx):
    """The gradient taken with respect to the first layer's weight instead of the input."""
    if calls(node, "torch.autograd.grad") and len(node.args) >= 2:
        net = ctx.params[0]

        def rewrite(n):
            n.args[1] = expr(f"list({net}.model)[0].weight")
            return n
        return [rewrite]
    return []


def _first_layer_weight(node) -> bool:
    """The expression list(<net>.model)[0].weight."""
    return (isinstance(node, ast.Attribute) and node.attr == "weight"
            and isinstance(node.value, ast.Subscript) and calls(node.value.value, "list"))


def all_parameters(node, ctx):
    """The penalty over every parameter, the bias included, instead of the first layer's weight."""
    if _first_layer_weight(node):
        # The bias as one more input column: the augmented weight matrix [W | b].
        return [lambda n: fill("torch.cat([W, B[:, None]], dim=1)", W=n,
                                B=ast.Attribute(copy.deepcopy(n.value), "bias", ast.Load()))]
    if ctx.target in REG_TARGETS and calls(node, *NORM_FUNCTIONS) and len(node.args) == 1:
        form = {"Frob": "sum(((p ** 2).sum() for p in NET.model.parameters())) ** 0.5",
                "Mix": "sum(((p.abs().sum(dim=0) ** 2).sum() for p in NET.model.parameters())) ** 0.5"}
        return [lambda n: fill(form[dotted(n.func)], NET=n.args[0])]
    return []


def layer_index(node, ctx):
    """list(nn.model)[0] -> another entry of the Sequential (the ReLU, which has no weight)."""
    if (isinstance(node, ast.Subscript) and calls(node.value, "list") and number(node.slice)):
        return [lambda n, i=i: ast.Subscript(n.value, num(i), ast.Load())
                for i in (1, -1) if i != node.slice.value]
    return []


def weight_to_bias(node, ctx):
    if isinstance(node, ast.Attribute) and node.attr == "weight":
        return [lambda n: ast.Attribute(n.value, "bias", ast.Load())]
    return []


def transpose(node, ctx):
    if isinstance(node, ast.Attribute) and node.attr == "weight":
        return [lambda n: ast.Attribute(n, "T", ast.Load())]
    return []


def _penalty_sites(node, ctx) -> bool:
    """Where a penalty's tensor can be cut off from autograd: the weight read, the norm calls,
    the returned value. Grad is excluded: its value is never differentiated, so there a cut
    would change nothing."""
    if ctx.target not in PENALTY_TARGETS:
        return False
    return (_first_layer_weight(node) or calls(node, *NORM_FUNCTIONS)
            or isinstance(ctx.parent(node), ast.Return))


def _scalar_sites(node, ctx) -> bool:
    """Sites holding one number, where .item() or float() is possible at all."""
    return _penalty_sites(node, ctx) and not _first_layer_weight(node)


def detach(node, ctx):
    if not _penalty_sites(node, ctx):
        return []
    rewrites = [lambda n: fill("V.detach()", V=n)]
    if _first_layer_weight(node):
        rewrites.append(lambda n: ast.Attribute(n, "data", ast.Load()))
    return rewrites


def item(node, ctx):
    if not _scalar_sites(node, ctx):
        return []
    return [lambda n: fill("V.item()", V=n), lambda n: fill("float(V)", V=n)]


def numpy_roundtrip(node, ctx):
    if not _penalty_sites(node, ctx):
        return []
    return [lambda n: fill("torch.tensor(V.detach().numpy())", V=n)]


# Most specific first: an edit two families can make is named after the first.
OPERATORS: list[tuple[str, Callable[[ast.AST, Site], Iterable[Rewrite]]]] = [
    # The handout's numbers returned as they are; a penalty keeps a path to the weight, so that it differentiates.
    ("public-constant", replace_body(lambda ctx: " + 0 * list(self.model)[0].weight.sum()" if ctx.target in REG_TARGETS
                                     else "")),
    ("drop-abs", drop_abs),
    ("abs-to-square", abs_to_square),
    ("hidden-size", hidden_size),
    ("drop-root", drop_root),
    ("drop-square", drop_square),
    ("swap-lambda", swap_lambda),
    ("swap-norm", swap_norm),
    ("return-zero", return_zero),
    ("grad-of-mean", grad_of_mean),
    ("norm-of-mean", norm_of_mean),
    ("pooling", pooling),
    ("global-data", global_data),
    ("wrt-weight", wrt_weight),
    ("move-root", move_root),
    ("move-square", move_square),
    ("all-parameters", all_parameters),
    ("layer-index", layer_index),
    ("weight-to-bias", weight_to_bias),
    ("transpose", transpose),
    ("detach", detach),
    ("item", item),
    ("numpy-roundtrip", numpy_roundtrip),
    *GENERIC,
]
FAMILIES = tuple(name for name, _ in OPERATORS)
