"""The mutation operators of "hessian": the five answers, the generic families, and a few of its own.

Its own: the operands of a matrix product swapped (X X^T for X^T X), an index of a sorted
eigenvalue list taken from the other end, an in-place update's sign flipped (gradient ascent),
and the answers' bodies replaced by the public questions' expected values (a student copying the
notebook's printed figures).
"""

from __future__ import annotations

import ast
from typing import Callable, Iterable

from ...mutants.generate import (Context, Rewrite, _number, constant, drop_keyword, drop_method, drop_operand, drop_root,
                                 drop_square, flip_bool, mean_sum, swap_binop, swap_dim)

ANSWERS = {name: (name,) for name in
           ("hessian", "autograd_hessian", "condition_number", "predicted_condition_number", "gradient_descent")}
NUMBER_ANSWERS = ("condition_number", "predicted_condition_number")


def swap_matmul(node, ctx):
    """A @ B -> B @ A: the samples-by-samples Gram matrix for the Hessian, and its kin."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        return [lambda n: ast.BinOp(n.right, ast.MatMult(), n.left)]
    return []


def other_end(node, ctx):
    """ev[-1] <-> ev[0]: the smallest eigenvalue for the largest, and the other way round."""
    if isinstance(node, ast.Subscript) and _number(node.slice) and node.slice.value in (0, -1):
        return [lambda n: ast.Subscript(n.value, ast.Constant(-1 - n.slice.value) if n.slice.value == 0
                                        else ast.Constant(0), ast.Load())]
    if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.UnaryOp)
            and isinstance(node.slice.op, ast.USub) and _number(node.slice.operand) and node.slice.operand.value == 1):
        return [lambda n: ast.Subscript(n.value, ast.Constant(0), ast.Load())]
    return []


def flip_update(node, ctx):
    """w -= lr*g -> w += lr*g: gradient ascent."""
    if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
        def rewrite(n):
            n.op = ast.Add() if isinstance(n.op, ast.Sub) else ast.Sub()
            return n
        return [rewrite]
    return []


def public_constants(node, ctx):
    """The whole body replaced by a public question's expected value (the numbers only)."""
    values = ctx.constants.get(ctx.target, ())
    if node is not ctx.function or not values:
        return []

    def rewrite(n, value):
        n.body = ast.parse(f"return {value!r}").body
        return n
    return [lambda n, v=v: rewrite(n, v) for v in values]


OPERATORS: list[tuple[str, Callable[[ast.AST, Context], Iterable[Rewrite]]]] = [
    ("public-constant", public_constants),
    ("drop-root", drop_root),
    ("drop-square", drop_square),
    ("swap-matmul", swap_matmul),
    ("other-end", other_end),
    ("flip-update", flip_update),
    ("mean-sum", mean_sum),
    ("swap-dim", swap_dim),
    ("drop-method", drop_method),
    ("drop-keyword", drop_keyword),
    ("flip-bool", flip_bool),
    ("swap-binop", swap_binop),
    ("drop-operand", drop_operand),
    ("constant", constant),
]
FAMILIES = tuple(name for name, _ in OPERATORS)


def constants(rubric) -> dict[str, tuple[float, ...]]:
    """The public expected values of the answers that return a number, as the notebook prints them."""
    from ... import checks, expectations, questions
    from ...homework import load

    hw = load("hessian")
    asked, _ = questions.build(checks.registry(hw), checks.kinds(hw), rubric, questions.Asking(rubric, None))
    computed = expectations.Computed(hw, rubric)
    return {part: tuple(round(float(computed.value(q)), 6) for q in asked if q.part == part and not q.repeat_of)
            for part in NUMBER_ANSWERS}
