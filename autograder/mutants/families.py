"""The mutation families every pack may use, and the small AST tools to write its own: public, for packs.

An operator family is a function `family(node, ctx)` that looks at one node of an answer (in the
unmutated tree) and returns the rewrites that node admits, each a function from a deep copy of the
node to its replacement (generate.py applies them). A pack's mutants.py lists its OPERATORS: its
own families first (most specific), then GENERIC, the engine's, from the most specific (drop-square)
to the most generic (swap-binop, constant), so an edit several families can make is named after the
specific one. `public_values(homework, rubric)` gives the public checks' expected values a student
could copy from the handout (the "public-constant" families read them from ctx.constants).

Nothing here writes a loop, so no mutant can hang the grader.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from autograder.child.contract import Number

BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)

Rewrite = Callable[[ast.AST], ast.AST]


@dataclass(frozen=True)
class Site:
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

def walk(node) -> Iterator[ast.AST]:
    """Parents before children, in field order: the same sequence in any deep copy."""
    yield node
    for child in ast.iter_child_nodes(node):
        yield from walk(child)


def dotted(node) -> str | None:
    """`torch.autograd.grad` for the expression torch.autograd.grad, None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def is_method(node, *names) -> bool:
    """A call `x.name(...)` on some receiver x."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in names)


def calls(node, *names) -> bool:
    return isinstance(node, ast.Call) and dotted(node.func) in names


def number(node) -> bool:
    return (isinstance(node, ast.Constant) and type(node.value) in (int, float))


def expr(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def fill(template: str, **parts: ast.AST) -> ast.expr:
    """An expression from a template whose bare names in `parts` stand for subtrees."""
    tree = expr(template)

    class Fill(ast.NodeTransformer):
        def visit_Name(self, node):
            return copy.deepcopy(parts[node.id]) if node.id in parts else node

    return Fill().visit(tree)


def num(value) -> ast.expr:
    # A whole float becomes an int, so `x**1.0` and `x**1` are not two mutants; negatives are
    # written as -c, the way the parser reads them back.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(-value))
    return ast.Constant(value)


def set_keyword(call: ast.Call, name: str, value: ast.expr | None) -> ast.Call:
    call.keywords = [k for k in call.keywords if k.arg != name]
    if value is not None:
        call.keywords.append(ast.keyword(arg=name, value=value))
    return call


def keyword(call: ast.Call, *names):
    return next((k for k in call.keywords if k.arg in names), None)


def first_assignment(function: ast.FunctionDef, name: str) -> int:
    """Index of the first statement that rebinds `name` (len(body) if none)."""
    for i, stmt in enumerate(function.body):
        if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
            return i
    return len(function.body)


def statement_index(ctx: Site, node) -> int:
    while node is not None and ctx.parent(node) is not ctx.function:
        node = ctx.parent(node)
    return ctx.function.body.index(node) if node is not None else -1


# ---------------------------------------------------------------- operator families
# Each takes (node, ctx) and returns the rewrites that node admits.

def drop_abs(node, ctx):
    if is_method(node, "abs") and not node.args:
        return [lambda n: n.func.value]
    if calls(node, "abs", "torch.abs", "numpy.abs", "np.abs") and len(node.args) == 1:
        return [lambda n: n.args[0]]
    return []


def pow_with(node, exponent) -> bool:
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
            and number(node.right) and node.right.value == exponent)


def drop_root(node, ctx):
    if pow_with(node, 0.5):
        return [lambda n: n.left]
    if calls(node, "torch.sqrt", "numpy.sqrt", "np.sqrt", "math.sqrt") and len(node.args) == 1:
        return [lambda n: n.args[0]]
    if is_method(node, "sqrt") and not node.args:
        return [lambda n: n.func.value]
    return []


def drop_square(node, ctx):
    return [lambda n: n.left] if pow_with(node, 2) else []


def move_root(node, ctx):
    """(sum a**2)**.5 -> sum (a**2)**.5: the root taken inside the sum."""
    if pow_with(node, 0.5) and is_method(node.left, "sum"):
        return [lambda n: ast.Call(ast.Attribute(ast.BinOp(n.left.func.value, ast.Pow(), n.right), n.left.func.attr,
                                                 ast.Load()), n.left.args, n.left.keywords)]
    return []


def move_square(node, ctx):
    """(sum_j |w_ij|)**2 -> sum_j |w_ij|**2: the square taken inside the sum."""
    if pow_with(node, 2) and is_method(node.left, "sum"):
        return [lambda n: ast.Call(ast.Attribute(ast.BinOp(n.left.func.value, ast.Pow(), n.right), n.left.func.attr,
                                                 ast.Load()), n.left.args, n.left.keywords)]
    return []


def module_function(node) -> bool:
    """torch.sum(x), numpy.mean(x): a library function, not a method of the answer's tensor."""
    return (dotted(node.func) or "").startswith(("torch.", "numpy.", "np.", "math."))


def mean_sum(node, ctx):
    swap = {"mean": "sum", "sum": "mean"}
    if not is_method(node, *swap):
        return []

    def rewrite(n):
        n.func.attr = swap[n.func.attr]
        return n
    return [rewrite]


def swap_dim(node, ctx):
    """The reduction axis: 0 <-> 1, -1, or none (reduce everything)."""
    if not isinstance(node, ast.Call):
        return []
    kw = keyword(node, "dim", "axis")
    if kw is not None and number(kw.value):
        current, name = kw.value.value, kw.arg
        rewrites = [lambda n, d=d: set_keyword(n, name, num(d)) for d in (0, 1, -1) if d != current]
        return rewrites + [lambda n: set_keyword(n, name, None)]
    if (is_method(node, "sum", "mean") and not module_function(node)
            and len(node.args) == 1 and number(node.args[0])):
        current = node.args[0].value

        def positional(n, d):
            n.args = [] if d is None else [num(d)]
            return n
        return [lambda n, d=d: positional(n, d) for d in (0, 1, -1, None) if d != current]
    return []


def norm_p(node, ctx):
    """||.|| with another p, or squared."""
    if not (is_method(node, "norm") or calls(node, "torch.norm")):
        return []
    # p is the first positional argument of x.norm(...), the second of torch.norm(x, ...).
    slot = 1 if module_function(node) else 0

    def with_p(n, p):
        if len(n.args) > slot:
            n.args[slot] = p
        else:
            set_keyword(n, "p", p)
        return n
    ps = [ast.Constant(1), ast.Constant(3), expr("float('inf')")]
    return ([lambda n, p=p: with_p(n, copy.deepcopy(p)) for p in ps]
            + [lambda n: ast.BinOp(n, ast.Pow(), ast.Constant(2))])


def drop_method(node, ctx):
    """x.f(...) -> x for the calls the answers chain: reductions, norms, clone, requires_grad_."""
    if is_method(node, "sum", "mean", "norm", "clone", "requires_grad_") and not module_function(node):
        return [lambda n: n.func.value]
    return []


def drop_keyword(node, ctx):
    """f(..., k=v) -> f(...): a keyword argument left out (the point at which a function is evaluated, say)."""
    if isinstance(node, ast.Call) and node.keywords:
        return [lambda n, name=k.arg: set_keyword(n, name, None) for k in node.keywords if k.arg]
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
    if not number(node):
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
            out.append(lambda n, value=value: num(value))
    return out


# The engine's families, most specific first: the tail of every pack's OPERATORS.
GENERIC: list[tuple[str, Callable[[ast.AST, Site], Iterable[Rewrite]]]] = [
    ("mean-sum", mean_sum),
    ("swap-dim", swap_dim),
    ("norm-p", norm_p),
    ("drop-method", drop_method),
    ("drop-keyword", drop_keyword),
    ("flip-bool", flip_bool),
    ("swap-binop", swap_binop),
    ("drop-operand", drop_operand),
    ("constant", constant),
]


def public_values(homework, rubric) -> dict[str, tuple[float, ...]]:
    """answer -> the expected values of its public questions that are numbers, as a student could copy them
    from the handout (the repeats and advice-only questions left out)."""
    from autograder.grading import expectations, questions

    kinds = homework.gradings()
    asked, _ = questions.build(homework.checks(), kinds, rubric, questions.Asking(rubric, None))
    computed = expectations.Computed(homework, rubric)
    found: dict[str, tuple[float, ...]] = {}
    for answer in homework.answers:
        mine = [q for q in asked if q.part == answer.graded_in and not q.repeat_of and not q.advisory and not q.hidden
                and kinds[q.kind].value and isinstance(kinds[q.kind].fields.get("value"), Number)]
        if mine:
            found[answer.name] = tuple(dict.fromkeys(round(float(computed.value(q)), 6) for q in mine))
    return found


def replace_body(suffix: Callable[[Site], str] = lambda ctx: ""):
    """A "public-constant" family: the answer's whole body replaced by each of its public values
    (ctx.constants), and by all of them in turn (a call counter); `suffix(ctx)` is added to each return (a
    penalty must stay differentiable)."""
    def family(node, ctx):
        values = ctx.constants.get(ctx.target, ())
        if node is not ctx.function or not values:
            return []
        tail = suffix(ctx)
        owner = "type(self)" if ctx.params[:1] == ["self"] else ctx.function.name
        bodies = [f"return {v!r}{tail}" for v in values]
        bodies.append(f"{owner}.calls = getattr({owner}, 'calls', 0) + 1\n"
                      f"return {tuple(values)!r}[({owner}.calls - 1) % {len(values)}]{tail}")

        def rewrite(n, body):
            n.body = ast.parse(body).body
            return n
        return [lambda n, b=b: rewrite(n, b) for b in bodies]
    return family
