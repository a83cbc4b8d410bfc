"""Wrong submissions made from the reference solution by one small AST edit each.

The idea is mutation testing: a grader that is any good fails (nearly) every mutant of the
reference, and a mutant it passes is either equivalent to the reference or a hole in the
checks. Only the answers the homework names are edited (its mutants.py: ANSWERS), with the
families it lists (OPERATORS: the generic ones here and its own); the rest of the module is
left as it is.

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
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)

Rewrite = Callable[[ast.AST], ast.AST]


@dataclass(frozen=True)
class Mutant:
    id: str  # "<target>/<operator>/<n>", n counting from 1 in generation order
    target: str  # "Mix", "Grad", "FrobClassifier" or "MixClassifier"
    operator: str  # the family name
    description: str  # one line: what changed, before -> after
    source: str  # the whole module, with the one mutated definition


@dataclass(frozen=True)
class Context:
    target: str
    function: ast.FunctionDef
    parents: dict  # id(node) -> parent node, in the unmutated answer
    constants: dict = field(default_factory=dict)  # target -> the public expected values, for public-constant

    def parent(self, node):
        return self.parents.get(id(node))

    @property
    def params(self):
        return [a.arg for a in self.function.args.args]


# ---------------------------------------------------------------- small AST helpers

def _walk(node) -> Iterator[ast.AST]:
    """Parents before children, in field order: the same sequence in any deep copy."""
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _walk(child)


def _dotted(node) -> str | None:
    """`torch.autograd.grad` for the expression torch.autograd.grad, None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _method(node, *names) -> bool:
    """A call `x.name(...)` on some receiver x."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in names)


def _calls(node, *names) -> bool:
    return isinstance(node, ast.Call) and _dotted(node.func) in names


def _number(node) -> bool:
    return (isinstance(node, ast.Constant) and type(node.value) in (int, float))


def _expr(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def _fill(template: str, **parts: ast.AST) -> ast.expr:
    """An expression from a template whose bare names in `parts` stand for subtrees."""
    tree = _expr(template)

    class Fill(ast.NodeTransformer):
        def visit_Name(self, node):
            return copy.deepcopy(parts[node.id]) if node.id in parts else node

    return Fill().visit(tree)


def _num(value) -> ast.expr:
    # A whole float becomes an int, so `x**1.0` and `x**1` are not two mutants; negatives are
    # written as -c, the way the parser reads them back.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(-value))
    return ast.Constant(value)


def _set_keyword(call: ast.Call, name: str, value: ast.expr | None) -> ast.Call:
    call.keywords = [k for k in call.keywords if k.arg != name]
    if value is not None:
        call.keywords.append(ast.keyword(arg=name, value=value))
    return call


def _keyword(call: ast.Call, *names):
    return next((k for k in call.keywords if k.arg in names), None)


def _first_assignment(function: ast.FunctionDef, name: str) -> int:
    """Index of the first statement that rebinds `name` (len(body) if none)."""
    for i, stmt in enumerate(function.body):
        if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            return i
    return len(function.body)


def _statement_index(ctx: Context, node) -> int:
    while node is not None and ctx.parent(node) is not ctx.function:
        node = ctx.parent(node)
    return ctx.function.body.index(node) if node is not None else -1


# ---------------------------------------------------------------- operator families
# Each takes (node, ctx) and returns the rewrites that node admits.

def drop_abs(node, ctx):
    if _method(node, "abs") and not node.args:
        return [lambda n: n.func.value]
    if _calls(node, "abs", "torch.abs", "numpy.abs", "np.abs") and len(node.args) == 1:
        return [lambda n: n.args[0]]
    return []


def _pow_with(node, exponent) -> bool:
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
            and _number(node.right) and node.right.value == exponent)


def drop_root(node, ctx):
    if _pow_with(node, 0.5):
        return [lambda n: n.left]
    if _calls(node, "torch.sqrt", "numpy.sqrt", "np.sqrt", "math.sqrt") and len(node.args) == 1:
        return [lambda n: n.args[0]]
    if _method(node, "sqrt") and not node.args:
        return [lambda n: n.func.value]
    return []


def drop_square(node, ctx):
    return [lambda n: n.left] if _pow_with(node, 2) else []


def move_root(node, ctx):
    """(sum a**2)**.5 -> sum (a**2)**.5: the root taken inside the sum."""
    if _pow_with(node, 0.5) and _method(node.left, "sum"):
        return [lambda n: ast.Call(ast.Attribute(ast.BinOp(n.left.func.value, ast.Pow(), n.right), n.left.func.attr,
                                                 ast.Load()), n.left.args, n.left.keywords)]
    return []


def move_square(node, ctx):
    """(sum_j |w_ij|)**2 -> sum_j |w_ij|**2: the square taken inside the sum."""
    if _pow_with(node, 2) and _method(node.left, "sum"):
        return [lambda n: ast.Call(ast.Attribute(ast.BinOp(n.left.func.value, ast.Pow(), n.right), n.left.func.attr,
                                                 ast.Load()), n.left.args, n.left.keywords)]
    return []


def _module_function(node) -> bool:
    """torch.sum(x), numpy.mean(x): a library function, not a method of the answer's tensor."""
    return (_dotted(node.func) or "").startswith(("torch.", "numpy.", "np.", "math."))


def mean_sum(node, ctx):
    swap = {"mean": "sum", "sum": "mean"}
    if not _method(node, *swap):
        return []

    def rewrite(n):
        n.func.attr = swap[n.func.attr]
        return n
    return [rewrite]


def swap_dim(node, ctx):
    """The reduction axis: 0 <-> 1, -1, or none (reduce everything)."""
    if not isinstance(node, ast.Call):
        return []
    kw = _keyword(node, "dim", "axis")
    if kw is not None and _number(kw.value):
        current, name = kw.value.value, kw.arg
        rewrites = [lambda n, d=d: _set_keyword(n, name, _num(d)) for d in (0, 1, -1) if d != current]
        return rewrites + [lambda n: _set_keyword(n, name, None)]
    if (_method(node, "sum", "mean") and not _module_function(node)
            and len(node.args) == 1 and _number(node.args[0])):
        current = node.args[0].value

        def positional(n, d):
            n.args = [] if d is None else [_num(d)]
            return n
        return [lambda n, d=d: positional(n, d) for d in (0, 1, -1, None) if d != current]
    return []


def norm_p(node, ctx):
    """||.|| with another p, or squared."""
    if not (_method(node, "norm") or _calls(node, "torch.norm")):
        return []
    # p is the first positional argument of x.norm(...), the second of torch.norm(x, ...).
    slot = 1 if _module_function(node) else 0

    def with_p(n, p):
        if len(n.args) > slot:
            n.args[slot] = p
        else:
            _set_keyword(n, "p", p)
        return n
    ps = [ast.Constant(1), ast.Constant(3), _expr("float('inf')")]
    return ([lambda n, p=p: with_p(n, copy.deepcopy(p)) for p in ps]
            + [lambda n: ast.BinOp(n, ast.Pow(), ast.Constant(2))])


def drop_method(node, ctx):
    """x.f(...) -> x for the calls the answers chain: reductions, norms, clone, requires_grad_."""
    if _method(node, "sum", "mean", "norm", "clone", "requires_grad_") and not _module_function(node):
        return [lambda n: n.func.value]
    return []


def drop_keyword(node, ctx):
    """f(..., k=v) -> f(...): a keyword argument left out (the point at which a function is evaluated, say)."""
    if isinstance(node, ast.Call) and node.keywords:
        return [lambda n, name=k.arg: _set_keyword(n, name, None) for k in node.keywords if k.arg]
    return []


def flip_bool(node, ctx):
    if isinstance(node, ast.Constant) and type(node.value) is bool:
        return [lambda n: ast.Constant(not n.value)]
    return []


def swap_binop(node, ctx):
    if isinstance(node, ast.BinOp) and isinstance(node.op, BINOPS):
        def rewrite(n, op):
            n.op = op()
            return n
        return [lambda n, op=op: rewrite(n, op) for op in BINOPS if not isinstance(node.op, op)]
    return []


def drop_operand(node, ctx):
    if isinstance(node, ast.BinOp):
        return [lambda n: n.left, lambda n: n.right]
    return []


def constant(node, ctx):
    """A number changed: x2, /2, +1, -1, 0, 1, negated; an exponent also to 1, 2, 3 or .5."""
    if not _number(node):
        return []
    parent = ctx.parent(node)
    if isinstance(parent, (ast.keyword, ast.Subscript)):
        return []  # axes and layer indices: swap-dim and layer-index
    v = node.value
    values = [v * 2, v / 2, v + 1, v - 1, 0, 1, -v]
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Pow) and parent.right is node:
        values += [1, 2, 3, 0.5]
    out, seen = [], {v}
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(lambda n, value=value: _num(value))
    return out


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
    for parent in _walk(root):
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


def generate(source: str, operators: "Operators", constants: dict[str, tuple[float, ...]] | None = None) -> list[Mutant]:
    """Every distinct, compilable one-edit mutant of the answers in `source`, in a fixed order.

    `operators` is the homework's: its ANSWERS (target -> path of the function to mutate) and
    OPERATORS (family name, function), most specific first. `constants` (target -> the public
    checks' expected values) enables the families that return them."""
    module = ast.parse(source)
    seen = {_canonical(ast.unparse(module)), ast.dump(module)}
    counts: Counter = Counter()
    mutants = []
    for target, path in operators.ANSWERS.items():
        function = _answer(module, path)
        if function is None:
            continue
        nodes = list(_walk(function))
        parents = {id(child): parent for parent in nodes for child in ast.iter_child_nodes(parent)}
        ctx = Context(target, function, parents, constants or {})
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
    site = list(_walk(answer))[index]
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
