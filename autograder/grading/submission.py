"""Turn a student's notebook (or .py file) into the definitions the grader may run.

The notebook is never executed top to bottom: its training runs, prints and
plots would cost minutes and can do anything. We keep what defines the answers
(imports, functions, classes, plain constants) and drop the rest; everything the
handout provides is taken from the grader's own copy. Every decision that could
surprise a student becomes a note in the feedback.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
import symtable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading import cells
from autograder.feedback import misnamed


# Cell magics whose body is still Python: the magic line goes, the code stays.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}


@dataclass(frozen=True)
class Statement:
    """One top-level statement the child will execute, located in the student's notebook."""

    cell: str  # "cell 5" for notebooks, "line" context for .py files
    lineno: int
    source: str


@dataclass
class Submission:
    path: Path
    statements: list[Statement]
    defined: set[str]  # top-level names bound by the kept statements
    notes: list[str] = field(default_factory=list)
    cell_sources: dict[str, str] = field(default_factory=dict)  # for tracebacks in the child
    handout_names: set[str] = field(default_factory=set)  # the handout's own names found (always the grader's copy)

    def answers_anything(self, handout) -> bool:
        """Whether this is plausibly the homework's notebook: it defines (or nearly names) one of the
        answers, or holds the handout's own code. A notebook of another homework does neither."""
        return bool(self.handout_names) or any(
            name in self.defined or self.suggest(name) for name in handout.ANSWERS)

    def digest(self) -> str:
        """Identifies the loaded code: equal for submissions that differ only in what was dropped."""
        payload = json.dumps([[s.source] for s in self.statements]).encode()
        return hashlib.sha256(payload).hexdigest()

    def code(self) -> str:
        """The kept statements as one source text: what the child runs of the submission."""
        return "\n\n".join(s.source for s in self.statements)

    def closure_digest(self, name: str) -> str:
        """Identifies the code `name` depends on: the statements binding it and, transitively,
        those binding any name they read (a Mix that MixClassifier.reg calls, a helper, an import).

        Equal digests mean equal code for `name`, but not equal behaviour for code with side
        effects at definition time elsewhere; only trusted code may share trainings by it.
        """
        parsed = []
        for s in self.statements:
            try:
                tree = ast.parse(s.source)
            except SyntaxError:
                continue
            node = tree.body[0] if tree.body else None
            reads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            parsed.append((ast.dump(tree), set(bound_names(node)) if node else set(), reads))
        wanted, kept, changed = {name}, set(), True
        while changed:
            changed = False
            for i, (s, binds, reads) in enumerate(parsed):
                if i not in kept and binds & wanted:
                    kept.add(i)
                    wanted |= reads
                    changed = True
        # The syntax tree, not the text: comments and layout do not change what is trained.
        payload = json.dumps([name, [parsed[i][0] for i in sorted(kept)]]).encode()
        return hashlib.sha256(payload).hexdigest()

    def to_request(self) -> dict:
        return {
            "statements": [[s.cell, s.lineno, s.source] for s in self.statements],
            "cells": self.cell_sources,
        }

    def suggest(self, name: str) -> str | None:
        """A defined name the student may have meant for `name` (Mix -> mix, MixClasifier, Mіx with a Cyrillic і)."""
        return misnamed.meant_name(name, self.defined) or misnamed.lookalike(name, self.defined)

    def hints(self, names) -> dict[str, str | None]:
        """For each of `names` not defined, the sentence after "No `Mix` was found" (misnamed.hint), or None."""
        return {name: misnamed.hint(name, self.defined, self.cell_of) for name in names if name not in self.defined}

    def cell_of(self, name: str) -> str | None:
        """Where `name` is defined: "cell 5" (a notebook's) or "lines 1-40" (a .py file's)."""
        return next((s.cell for s in self.statements if name in bound_names(ast.parse(s.source).body[0])), None)


def load(path: str | Path, handout, where: str = "grader") -> Submission:
    """Read a .ipynb or .py submission against `handout` (the pack's child/handout.py); raise
    SubmissionError only when nothing can be read.

    The name decides first (any case, `.ipynb.txt` too); a file named otherwise is read as a
    notebook when its content is one. The message of a SubmissionError says what the file is instead.
    `where` is where the code will run: "grader", or "here" (the student's own computer, the self-check).
    """
    path = Path(path)
    code, notes = cells.read(path)
    sub = read_cells(path, code, handout, where)
    sub.notes[:0] = notes  # how the file was read comes first
    return sub


def read_cells(path: Path, code: list[tuple[str, str]], handout, where: str = "grader") -> Submission:
    """The submission made of (label, source) cells: a file's, or the cells a notebook's kernel ran."""
    return _Filter(handout, where).run(path, code)


def strip_magics(source: str) -> tuple[str | None, str | None]:
    """Blank IPython-only lines; return (python source, note) or (None, note) for a non-Python cell.

    A cell that is Python as it stands is kept as it stands: a line starting with % inside an
    open bracket (`print('%d'\n  %(x))`) is an operator, not a magic.
    """
    try:
        ast.parse(source)
        return source, None
    except SyntaxError:
        pass
    lines = source.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split()[0] if lines[first].strip() != "%%" else ""
        if magic not in PYTHON_CELL_MAGICS:
            return None, f"a %%{magic} cell is not Python and was skipped"
        lines[first] = ""
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        if (
            stripped.startswith(("%", "!"))
            or re.match(r"^[\w.]+\s*=\s*[!%]", stripped)
            or re.match(r"^[\w.]+\?\??$", stripped)
        ):
            # `pass` keeps an indented block non-empty and the line numbers intact.
            lines[i] = indent + "pass"
    return "\n".join(lines), None


def _canonical_definitions(handout) -> dict[str, str]:
    """name -> normalized AST of the handout's definition of each provided name."""
    canon: dict[str, str] = {}
    for kind, source in handout.cells():
        if kind != "code":
            continue
        for node in ast.parse(source).body:
            for name in bound_names(node):
                if name in handout.PROVIDED_NAMES:
                    canon.setdefault(name, ast.dump(node))
    return canon


def bound_names(node: ast.stmt) -> list[str]:
    """Top-level names a statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    names = []
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.append(sub.id)
    return names


def is_plain_value(node: ast.expr) -> bool:
    """True for values that cannot run anything heavy: no calls, loops or generators."""
    banned = (ast.Call, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
              ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
    return not any(isinstance(sub, banned) for sub in ast.walk(node))


def is_installed(module: str) -> bool:
    top = module.split(".")[0]
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def global_reads(source: str) -> set[str]:
    """The global names a statement reads: its own top-level reads and its functions' free globals (not
    their parameters or locals, so `def condition_number(H)` does not read a global `H`)."""
    table = symtable.symtable(source, "<cell>", "exec")
    found = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    stack = list(table.get_children())
    while stack:
        scope = stack.pop()
        found |= {s.get_name() for s in scope.get_symbols() if s.is_referenced() and s.is_global()}
        stack += scope.get_children()
    return found


class _Filter:
    """Decides statement by statement what the grader keeps, collecting notes on the way."""

    def __init__(self, handout, where: str = "grader"):
        self.handout = handout
        self.where = where
        self.canon = _canonical_definitions(handout)
        self.statements: list[Statement] = []
        self.notes: list[str] = []
        self.changed_provided: list[str] = []
        self.provided_seen: set[str] = set()
        self.dropped_bindings: dict[str, str] = {}  # name -> where its dropped assignment was
        self.cell_sources: dict[str, str] = {}

    def run(self, path: Path, code: list[tuple[str, str]]) -> Submission:
        for label, source in code:
            self.cell(label, source)
        self.drop_unused_imports()
        defined = {n for s in self.statements for n in bound_names(ast.parse(s.source).body[0])}
        self.note_dropped_but_used(defined)
        if self.changed_provided:
            names = ", ".join(sorted(set(self.changed_provided)))
            self.notes.append(
                f"Your notebook changes the handout's {names}; the grader always uses the handout's "
                "version of these, so your changes there are ignored."
            )
        return Submission(path, self.statements, defined, self.notes, self.cell_sources, self.provided_seen)

    def cell(self, label: str, source: str) -> None:
        python, note = strip_magics(source)
        if python is None:
            self.notes.append(f"{label}: {note}.")
            return
        try:
            tree = ast.parse(python)
        except SyntaxError as exc:
            self.notes.append(
                f"{label} has a syntax error (line {exc.lineno}: {exc.msg}) and was skipped; "
                "any answer defined in it could not be graded."
            )
            return
        self.cell_sources[label] = python
        for node in tree.body:
            self.statement(label, python, node)

    def statement(self, label: str, source: str, node: ast.stmt) -> None:
        names = bound_names(node)
        segment = ast.get_source_segment(source, node)
        lineno = node.lineno
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.decorator_list:
            # Decorators belong to the definition; get_source_segment starts at `def`.
            lineno = node.decorator_list[0].lineno
            segment = "\n".join(source.splitlines()[lineno - 1: node.end_lineno])
        provided = [n for n in names if n in self.handout.PROVIDED_NAMES]

        # 1. The handout's own names: always the grader's copy.
        if provided:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):  # `import utils` starts every handout
                self.provided_seen.update(provided)
            if any(self.canon.get(n) != ast.dump(node) for n in provided) and not isinstance(
                node, (ast.Import, ast.ImportFrom)
            ):
                self.changed_provided += provided
            return
        # 2. Imports: kept when the module exists here, so a stray `import tqdm` costs nothing.
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and (node.level or node.module == "__future__"):
                self.notes.append(f"{label}, line {node.lineno}: `{segment}` was skipped (not available to the grader).")
                return
            missing = [m for m in modules if not is_installed(m)]
            if missing:
                self.notes.append(self.missing_module(label, node.lineno, segment, missing[0].split(".")[0]))
                return
            self.keep(label, lineno, segment)
            return
        # 3. Definitions: the answers themselves.
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.keep(label, lineno, segment)
            return
        # 4. Constants (lam = 0.005) are kept; anything that calls code is run-time work.
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            if is_plain_value(node.value):
                self.keep(label, lineno, segment)
            else:
                for n in names:
                    self.dropped_bindings.setdefault(n, f"{label}, line {node.lineno}")
            return
        # 5. Everything else (training, printing, plotting, loops) is dropped.

    def missing_module(self, label: str, lineno: int, segment: str, module: str) -> str:
        """Where the module is missing, said truthfully: the grading machine, or this computer."""
        if self.where == "here":
            return (f"{label}, line {lineno}: `{segment}` was skipped: the module {module!r} is not installed on "
                    f"this computer (install it with pip, as for the notebook). Your answers should need only "
                    "numpy and torch.")
        return (f"{label}, line {lineno}: `{segment}` was skipped: the module {module!r} is not installed where "
                "your code is graded. Your answers should need only numpy and torch.")

    def drop_unused_imports(self) -> None:
        """An import no kept definition uses cannot matter, and may cost a child 100 MB (sklearn)."""
        parsed = [(s, ast.parse(s.source).body[0]) for s in self.statements]
        used = {sub.id for s, node in parsed if not isinstance(node, (ast.Import, ast.ImportFrom))
                for sub in ast.walk(node) if isinstance(sub, ast.Name)}
        self.statements = [s for s, node in parsed if not isinstance(node, (ast.Import, ast.ImportFrom))
                           or set(bound_names(node)) & used]

    def keep(self, label: str, lineno: int, segment: str) -> None:
        self.statements.append(Statement(label, lineno, segment))

    def note_dropped_but_used(self, defined: set[str]) -> None:
        """A kept function that reads a global the grader dropped would fail with NameError: say why."""
        used: set[str] = set()
        for s in self.statements:
            used |= global_reads(s.source)
        for name in sorted(used - defined):
            if name in self.dropped_bindings:
                self.notes.append(
                    f"{self.dropped_bindings[name]}: the global `{name}` is computed by a call, and the "
                    "grader runs only definitions and plain constants, so it does not exist when your "
                    f"functions are graded. Compute `{name}` inside the function that uses it."
                )
