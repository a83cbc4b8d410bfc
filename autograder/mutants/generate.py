"""Wrong submissions made from the reference solution by one small AST edit each.

The idea is mutation testing: a grader that is any good fails (nearly) every mutant of the
reference, and a mutant it passes is either equivalent to the reference or a hole in the
checks. Only the four answers are edited: the functions `Mix` and `Grad` and the `reg` methods
of `FrobClassifier` and `MixClassifier`; the rest of the module is left as it is.

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

# Each answer and the definition path to the function that holds it.
ANSWERS = {
    "Mix": ("Mix",),
    "Grad": ("Grad",),
    "FrobClassifier": ("FrobClassifier", "reg"),
    "MixClassifier": ("MixClassifier", "reg"),
}
PENALTY_TARGETS = ("Mix", "FrobClassifier", "MixClassifier")  # answers whose value autograd differentiates
REG_TARGETS = ("FrobClassifier", "MixClassifier")
LAMBDAS = (0.005, 0.025)  # FrobClassifier's and MixClassifier's, for swapping
NORM_FUNCTIONS = ("Frob", "Mix")
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


def abs_to_square(node, ctx):
    # |w| -> w**2 turns the l1 norm of a row into its squared l2 norm (the Frobenius confusion).
    if _method(node, "abs") and not node.args:
        return [lambda n: ast.BinOp(n.func.value, ast.Pow(), ast.Constant(2))]
    return []


def _pow_with(node, exponent) -> bool:
    return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)
            and _number(node.right) and node.right.value == exponent)


def hidden_size(node, ctx):
    if isinstance(node, ast.Name) and node.id == "nh" and isinstance(node.ctx, ast.Load):
        return [lambda n: ast.Name("nx", ast.Load()), lambda n: ast.Constant(1)]
    if _pow_with(node, 0.5) and isinstance(node.left, ast.Name) and node.left.id == "nh":
        return [lambda n: n.left]  # sqrt(h) -> h
    return []


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


def swap_lambda(node, ctx):
    if ctx.target in REG_TARGETS and _number(node) and node.value in LAMBDAS:
        other = LAMBDAS[1 - LAMBDAS.index(node.value)]
        return [lambda n: ast.Constant(other)]
    return []


def swap_norm(node, ctx):
    """Frob(self) <-> Mix(self): the other class's norm."""
    if ctx.target in REG_TARGETS and _calls(node, *NORM_FUNCTIONS):
        other = NORM_FUNCTIONS[1 - NORM_FUNCTIONS.index(_dotted(node.func))]
        return [lambda n: ast.Call(ast.Name(other, ast.Load()), n.args, n.keywords)]
    return []


def return_zero(node, ctx):
    if ctx.target in REG_TARGETS and isinstance(node, ast.Return):
        return [lambda n: ast.Return(ast.Constant(0))]
    return []


def grad_of_mean(node, ctx):
    """autograd on f.mean() rather than f.sum(): every input gradient is divided by N."""
    if not (_method(node, "sum") and not node.args and not node.keywords):
        return []
    parent = ctx.parent(node)
    differentiated = ((_calls(parent, "torch.autograd.grad") and parent.args and parent.args[0] is node)
                      or (_method(parent, "backward") and parent.func.value is node))
    if not differentiated:
        return []

    def rewrite(n):
        n.func.attr = "mean"
        return n
    return [rewrite]


def norm_of_mean(node, ctx):
    """mean_n ||g_n|| -> ||mean_n g_n|| (and ||sum_n g_n||): the norm of the averaged gradient."""
    if not (_method(node, "mean") and not node.args and not node.keywords
            and _method(node.func.value, "norm") and _keyword(node.func.value, "dim")):
        return []
    return [lambda n, how=how: _fill(f"G.{how}(dim=0).norm()", G=n.func.value.func.value)
            for how in ("mean", "sum")]


def pooling(node, ctx):
    """f without the pooling: the hidden layer nn.model(X), which the caller then sums."""
    if _method(node, "predict"):
        return [lambda n: ast.Call(ast.Attribute(n.func.value, "model", ast.Load()), n.args, n.keywords)]
    return []


def global_data(node, ctx):
    """An argument read replaced by the handout's global data set of the same kind."""
    if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in ctx.params[1:]):
        return []
    # Only the reads of the caller's value, i.e. up to the statement that rebinds the name.
    if _statement_index(ctx, node) > _first_assignment(ctx.function, node.id):
        return []
    return [lambda n, g=g: ast.Name(g, ast.Load()) for g in ("Xtest", "Xtrain")]


def wrt_weight(node, ctx):
    """The gradient taken with respect to the first layer's weight instead of the input."""
    if _calls(node, "torch.autograd.grad") and len(node.args) >= 2:
        net = ctx.params[0]

        def rewrite(n):
            n.args[1] = _expr(f"list({net}.model)[0].weight")
            return n
        return [rewrite]
    return []


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


def _first_layer_weight(node) -> bool:
    """The expression list(<net>.model)[0].weight."""
    return (isinstance(node, ast.Attribute) and node.attr == "weight"
            and isinstance(node.value, ast.Subscript) and _calls(node.value.value, "list"))


def all_parameters(node, ctx):
    """The penalty over every parameter, the bias included, instead of the first layer's weight."""
    if _first_layer_weight(node):
        # The bias as one more input column: the augmented weight matrix [W | b].
        return [lambda n: _fill("torch.cat([W, B[:, None]], dim=1)", W=n,
                                B=ast.Attribute(copy.deepcopy(n.value), "bias", ast.Load()))]
    if ctx.target in REG_TARGETS and _calls(node, *NORM_FUNCTIONS) and len(node.args) == 1:
        form = {"Frob": "sum(((p ** 2).sum() for p in NET.model.parameters())) ** 0.5",
                "Mix": "sum(((p.abs().sum(dim=0) ** 2).sum() for p in NET.model.parameters())) ** 0.5"}
        return [lambda n: _fill(form[_dotted(n.func)], NET=n.args[0])]
    return []


def layer_index(node, ctx):
    """list(nn.model)[0] -> another entry of the Sequential (the ReLU, which has no weight)."""
    if (isinstance(node, ast.Subscript) and _calls(node.value, "list") and _number(node.slice)):
        return [lambda n, i=i: ast.Subscript(n.value, _num(i), ast.Load())
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
    return (_first_layer_weight(node) or _calls(node, *NORM_FUNCTIONS)
            or isinstance(ctx.parent(node), ast.Return))


def _scalar_sites(node, ctx) -> bool:
    """Sites holding one number, where .item() or float() is possible at all."""
    return _penalty_sites(node, ctx) and not _first_layer_weight(node)


def detach(node, ctx):
    if not _penalty_sites(node, ctx):
        return []
    rewrites = [lambda n: _fill("V.detach()", V=n)]
    if _first_layer_weight(node):
        rewrites.append(lambda n: ast.Attribute(n, "data", ast.Load()))
    return rewrites


def item(node, ctx):
    if not _scalar_sites(node, ctx):
        return []
    return [lambda n: _fill("V.item()", V=n), lambda n: _fill("float(V)", V=n)]


def numpy_roundtrip(node, ctx):
    if not _penalty_sites(node, ctx):
        return []
    return [lambda n: _fill("torch.tensor(V.detach().numpy())", V=n)]


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


def public_constants(node, ctx):
    """The whole body replaced by the handout's numbers: a constant, or the public values in turn
    (a call counter), which pass public checks without computing anything (hardcoded.py)."""
    values = ctx.constants.get(ctx.target, ())
    if node is not ctx.function or not values:
        return []
    weight = "" if ctx.target not in REG_TARGETS else " + 0 * list(self.model)[0].weight.sum()"
    owner = ctx.function.name if ctx.target not in REG_TARGETS else "type(self)"
    bodies = [f"return {v!r}{weight}" for v in values]
    bodies.append(f"{owner}.calls = getattr({owner}, 'calls', 0) + 1\n"
                  f"return {tuple(values)!r}[({owner}.calls - 1) % {len(values)}]{weight}")

    def rewrite(n, body):
        n.body = ast.parse(body).body
        return n
    return [lambda n, b=b: rewrite(n, b) for b in bodies]


# Most specific first: an edit two families can make is named after the first.
OPERATORS: list[tuple[str, Callable[[ast.AST, Context], Iterable[Rewrite]]]] = [
    ("public-constant", public_constants),
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
    ("mean-sum", mean_sum),
    ("swap-dim", swap_dim),
    ("norm-p", norm_p),
    ("drop-method", drop_method),
    ("flip-bool", flip_bool),
    ("swap-binop", swap_binop),
    ("drop-operand", drop_operand),
    ("constant", constant),
]
FAMILIES = tuple(name for name, _ in OPERATORS)


# ---------------------------------------------------------------- generation

def _answer(module: ast.Module, target: str) -> ast.FunctionDef | None:
    body = module.body
    found = None
    for name in ANSWERS[target]:
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


def generate(source: str, constants: dict[str, tuple[float, ...]] | None = None) -> list[Mutant]:
    """Every distinct, compilable one-edit mutant of the four answers in `source`, in a fixed order.

    `constants` (target -> the public checks' expected values) enables the public-constant family."""
    module = ast.parse(source)
    seen = {_canonical(ast.unparse(module)), ast.dump(module)}
    counts: Counter = Counter()
    mutants = []
    for target in ANSWERS:
        function = _answer(module, target)
        if function is None:
            continue
        nodes = list(_walk(function))
        parents = {id(child): parent for parent in nodes for child in ast.iter_child_nodes(parent)}
        ctx = Context(target, function, parents, constants or {})
        for family, operator in OPERATORS:
            for index, node in enumerate(nodes):
                for rewrite in operator(node, ctx):
                    mutated = copy.deepcopy(module)
                    answer = _answer(mutated, target)
                    site = list(_walk(answer))[index]
                    new = rewrite(copy.deepcopy(site))
                    if site is answer:  # the whole function rewritten
                        answer.body = new.body
                    else:
                        _replace(answer, site, new)
                    ast.fix_missing_locations(mutated)
                    text = ast.unparse(mutated)
                    try:
                        compile(text, f"<mutant {target}>", "exec")
                        key = _canonical(text)
                    except SyntaxError:
                        continue
                    if key in seen:
                        continue
                    seen.add(key)
                    counts[target, family] += 1
                    mutants.append(Mutant(
                        id=f"{target}/{family}/{counts[target, family]}",
                        target=target,
                        operator=family,
                        description=_describe(target, node, new, ctx),
                        source=text,
                    ))
    return mutants
