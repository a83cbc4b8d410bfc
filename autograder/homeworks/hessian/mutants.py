"""The mutation operators of "hessian": a few of its own, then the engine's (mutants/families.py).

Its own: the operands of a matrix product swapped (X X^T for X^T X), an index of a sorted
eigenvalue list taken from the other end, an in-place update's sign flipped (gradient ascent),
and the answers' bodies replaced by the public questions' expected values (a student copying the
notebook's printed figures).
"""

from __future__ import annotations

import ast
from typing import Callable, Iterable

from autograder.pack.mutation import GENERIC, Site, Rewrite, drop_root, drop_square, number, replace_body


def swap_matmul(node, ctx):
    """A @ B -> B @ A: the samples-by-samples Gram matrix for the Hessian, and its kin."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        return [lambda n: ast.BinOp(n.right, ast.MatMult(), n.left)]
    return []


def other_end(node, ctx):
    """ev[-1] <-> ev[0]: the smallest eigenvalue for the largest, and the other way round."""
    if isinstance(node, ast.Subscript) and number(node.slice) and node.slice.value in (0, -1):
        return [lambda n: ast.Subscript(n.value, ast.Constant(-1 - n.slice.value) if n.slice.value == 0
                                        else ast.Constant(0), ast.Load())]
    if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.UnaryOp)
            and isinstance(node.slice.op, ast.USub) and number(node.slice.operand) and node.slice.operand.value == 1):
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


OPERATORS: list[tuple[str, Callable[[ast.AST, Site], Iterable[Rewrite]]]] = [
    ("public-constant", replace_body()),
    ("drop-root", drop_root),
    ("drop-square", drop_square),
    ("swap-matmul", swap_matmul),
    ("other-end", other_end),
    ("flip-update", flip_update),
    *GENERIC,
]
FAMILIES = tuple(name for name, _ in OPERATORS)
