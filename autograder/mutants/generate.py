"""Wrong submissions made from the reference solution by one small AST edit each.

The idea is mutation testing: a grader that is any good fails (nearly) every mutant of the
reference, and a mutant it passes is either equivalent to the reference or a hole in the
checks. Only the answers the homework declares (Homework.answers, homework.py) are edited, with the
families its mutants.py lists (OPERATORS: its own, then families.GENERIC); the rest of the module
is left as it is.

An operator family is a function `operator(node, ctx)` that looks at one node of an answer (in
the unmutated tree) and returns the rewrites that node admits, each a function from a deep copy
of the node to its replacement. `generate` walks every node of every answer in a fixed
pre-order, applies each rewrite to a fresh copy of the module at the same position, and keeps
the result if it compiles and is new: mutants are deduplicated by the AST dump of the reparsed
text, the reference itself excluded. Families run from the most specific (drop-square) to the
most generic (swap-binop, constant), so an edit several families can make is named after the
specific one. Nothing here writes a loop, so no mutant can hang the grader.
"""

from __future__ import annotations

import ast
import copy
from collections import Counter
from dataclasses import dataclass

from autograder.mutants.families import Site, Rewrite, walk

@dataclass(frozen=True)
class Mutant:
    id: str  # "<target>/<operator>/<n>", n counting from 1 in generation order
    target: str  # "Mix", "Grad", "FrobClassifier" or "MixClassifier"
    operator: str  # the family name
    description: str  # one line: what changed, before -> after
    source: str  # the whole module, with the one mutated definition



# ---------------------------------------------------------------- generation

def _answer(module: ast.Module, path: tuple[str, ...]) -> ast.FunctionDef | None:
    """The function at `path` (("MixClassifier", "reg") is a method) of a module, or None."""
    body = module.body
    found = None
    for name in path:
        found = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name), None)
        if found is None:
            return None
        body = found.body
    return found if isinstance(found, ast.FunctionDef) else None


def _replace(root: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in walk(root):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(item is old for item in value):
                value[[i for i, item in enumerate(value) if item is old][0]] = new
                return
    raise ValueError("node not found under its answer")


def _describe(target, node, new, ctx) -> str:
    if node is ctx.function:
        return f"{target}: the whole body -> " + "; ".join(ast.unparse(stmt) for stmt in new.body)
    before, after = ast.unparse(node), ast.unparse(new)
    text = f"{target}: {before} -> {after}"
    # A lone number or name says little; name the expression it sits in.
    if isinstance(node, (ast.Constant, ast.Name)) and isinstance(ctx.parent(node), ast.expr):
        text += f" in {ast.unparse(ctx.parent(node))}"
    return text


def _canonical(text: str) -> str:
    return ast.dump(ast.parse(text))


def generate(source: str, operators, answers, constants: dict[str, tuple[float, ...]] | None = None) -> list[Mutant]:
    """Every distinct, compilable one-edit mutant of the answers in `source`, in a fixed order.

    `operators` is the homework's mutants module: its OPERATORS (family name, function), most specific
    first; `answers` its Homework.answers (each names the function to mutate). `constants` (answer ->
    the public checks' expected values, families.public_values) enables the families that return them."""
    module = ast.parse(source)
    seen = {_canonical(ast.unparse(module)), ast.dump(module)}
    counts: Counter = Counter()
    mutants = []
    for target, path in ((a.name, a.path) for a in answers):
        function = _answer(module, path)
        if function is None:
            continue
        nodes = list(walk(function))
        parents = {id(child): parent for parent in nodes for child in ast.iter_child_nodes(parent)}
        ctx = Site(target, function, parents, constants or {})
        for family, operator in operators.OPERATORS:
            for index, node in enumerate(nodes):
                for rewrite in operator(node, ctx):
                    mutant = _mutant(module, path, index, rewrite, seen)
                    if mutant is None:
                        continue
                    text, new = mutant
                    counts[target, family] += 1
                    mutants.append(Mutant(f"{target}/{family}/{counts[target, family]}", target, family,
                                          _describe(target, node, new, ctx), text))
    return mutants


def _mutant(module: ast.Module, path, index: int, rewrite: Rewrite, seen: set) -> tuple[str, ast.AST] | None:
    """(the module's text, the new node) with one node of the answer rewritten, or None when it does not
    compile or was seen before."""
    mutated = copy.deepcopy(module)
    answer = _answer(mutated, path)
    site = list(walk(answer))[index]
    new = rewrite(copy.deepcopy(site))
    if site is answer:  # the whole function rewritten
        answer.body = new.body
    else:
        _replace(answer, site, new)
    ast.fix_missing_locations(mutated)
    text = ast.unparse(mutated)
    try:
        compile(text, "<mutant>", "exec")
        key = _canonical(text)
    except SyntaxError:
        return None
    if key in seen:
        return None
    seen.add(key)
    return text, new
