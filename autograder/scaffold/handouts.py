"""`autograder build handout`: the handout, the clean solved notebook and the model answers, from one notebook.

An instructor writes one solved notebook (the pack's `master`, Homework.master) and marks in it:

* the solution of each answer, between `# BEGIN SOLUTION` and `# END SOLUTION` lines inside its definition
  (as Otter Assign and nbgrader do). The handout puts the TODO stub in its place:

      def Mix(nn):                                 def Mix(nn):
          # BEGIN SOLUTION                             # TODO: Replace by your code
          W = list(nn.model)[0].weight       ->        raise NotImplementedError
          return ...
          # END SOLUTION

  or, when `# HANDOUT: ` lines follow `# END SOLUTION`, those lines (a class whose method is the answer);
* the handout's own code the grader provides, with a cell tag: `provided` (the whole cell runs in every
  child: data, model classes) or `provided-definitions` (only its functions and classes: helpers).

From it this writes the handout notebook students get (the pack's child/<notebook>.ipynb), the
handout.json the grader and its children read (child/handout.py), the solved notebook without marks
(the reference notebook) and the model answers as a module (Homework.reference). A test fails when
any of them is out of date.
"""

from __future__ import annotations

import ast
import json

from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.child.handout import bound
from autograder.errors import UsageError

BEGIN, END, HANDOUT = "# BEGIN SOLUTION", "# END SOLUTION", "# HANDOUT: "
STUB = ["# TODO: Replace by your code", "raise NotImplementedError"]
TAGS = {"provided": "provided", "provided-definitions": "definitions"}


@dataclass
class Cell:
    kind: str  # "code" or "markdown"
    solved: str  # the source with the solution, marks removed
    handout: str  # the source students get
    role: str  # provided, definitions, answers or other (child/handout.py)
    answers: dict  # name -> (the definition as the handout has it, as the solution has it)


def split(source: str, where: str) -> tuple[str, str]:
    """(solved, handout) texts of one code cell's source: marks removed; solutions replaced by their stubs."""
    solved, handout, lines = [], [], source.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() != BEGIN:
            if line.strip() == END or line.lstrip().startswith(HANDOUT.strip()):
                raise UsageError(f"{where}: `{line.strip()}` without a `{BEGIN}` before it")
            solved.append(line)
            handout.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == END), None)
        if end is None:
            raise UsageError(f"{where}: `{BEGIN}` without an `{END}` after it")
        solved += lines[i + 1:end]
        stub = [l[len(indent):].removeprefix(HANDOUT) for l in takewhile_handout(lines[end + 1:])]
        handout += [indent + l for l in (stub or STUB)]
        i = end + 1 + len(stub)
    return "\n".join(solved), "\n".join(handout)


def takewhile_handout(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        if not line.lstrip().startswith(HANDOUT):
            break
        found.append(line)
    return found


def answers_of(solved: str, handout: str, source: str) -> dict[str, tuple[str, str]]:
    """name -> (handout definition, solved definition) of each top-level definition holding a solution mark."""
    marked = {n.name for n in ast.parse(source).body  # the marks are comments: the source parses as it is
              if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and BEGIN in segment(source, n)}
    found = {}
    handout_tree, solved_tree = ast.parse(handout), ast.parse(solved)
    for name in marked:
        h = next(n for n in handout_tree.body if getattr(n, "name", None) == name)
        s = next(n for n in solved_tree.body if getattr(n, "name", None) == name)
        found[name] = (segment(handout, h), segment(solved, s))
    return found


def segment(source: str, node) -> str:
    """A definition's text, its decorators included."""
    first = node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno
    return "\n".join(source.split("\n")[first - 1: node.end_lineno])


def read_master(path: Path) -> list[Cell]:
    nb = nbformat.read(path, as_version=4)
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            cells.append(Cell(cell.cell_type, cell.source, cell.source, "other", {}))
            continue
        solved, handout = split(cell.source, f"{path.name}, cell {number}")
        answers = answers_of(solved, handout, cell.source)
        tags = [TAGS[t] for t in cell.metadata.get("tags", []) if t in TAGS]
        role = "answers" if answers else tags[0] if tags else "other"
        cells.append(Cell("code", solved, handout, role, answers))
    return cells


def provided_names(cells: list[Cell], child: Path) -> list[str]:
    """What the handout provides: the names its provided code binds, but imported modules (numpy, torch),
    unless the module is the course's own, beside the pack's child code (child/utils.py)."""
    from autograder.child.handout import Handout

    handout = Handout({"title": "", "cells": [(c.kind, c.handout, c.role) for c in cells],
                       "answers": {n: h for c in cells for n, (h, _) in c.answers.items()}, "provided_names": []})
    names = []
    for node in ast.parse(handout.provided_source()).body:
        for name in sorted(bound(ast.unparse(node))):
            imported = isinstance(node, (ast.Import, ast.ImportFrom))
            if name not in names and not (imported and not (child / f"{module_of(node, name)}.py").exists()):
                names.append(name)
    return names


def module_of(node, name: str) -> str:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0]
    return next(a.name for a in node.names if (a.asname or a.name).split(".")[0] == name).split(".")[0]


def notebook(cells: list[Cell], which: str) -> str:
    """The handout or the solved notebook, as nbformat writes it, with no tags and no cell ids (stable files)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    for c in cells:
        source = c.handout if which == "handout" else c.solved
        cell = nbformat.v4.new_code_cell(source) if c.kind == "code" else nbformat.v4.new_markdown_cell(source)
        cell.pop("id", None)
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nbformat.writes(nb) + "\n"


def expected_files(homework) -> dict[Path, str]:
    """Every file written from the pack's master notebook, with its text."""
    if homework.master is None or not homework.master.exists():
        raise UsageError(f"the homework {homework.id} has no solved notebook to build its handout from "
                         "(Homework.master)")
    cells = read_master(homework.master)
    answers = {n: pair for c in cells for n, pair in c.answers.items()}
    order = [a.name for a in homework.answers]
    missing = [n for n in order if n not in answers]
    if missing:
        raise UsageError(f"{homework.master}: no `{BEGIN}` in the definition of {', '.join(missing)}")
    title = next((c.solved.splitlines()[0].lstrip("# ").strip() for c in cells if c.kind == "markdown"), homework.title)
    data = {"title": title, "cells": [[c.kind, c.handout, c.role] for c in cells],
            "answers": {n: answers[n][0] for n in order}, "provided_names": provided_names(cells, homework.folder / "child")}
    solution = "\n\n\n".join(answers[n][1] for n in order)
    header = (f"# The model answers of \"{homework.title}\", written by `autograder build handout` from\n"
              f"# {homework.master.name}: edit that notebook, not this file.\n\n\n")
    return {
        homework.template: notebook(cells, "handout"),
        homework.folder / "child" / "handout.json": json.dumps(data, indent=1) + "\n",
        homework.master.with_name("solution.ipynb"): notebook(cells, "solved"),
        homework.reference: header + solution + "\n",
    }


def main(*, homework) -> list[Path]:
    written = []
    for path, text in expected_files(homework).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
