"""A homework's handout, as the grader and its children need it, read from the pack's child/handout.json.

`autograder build handout` writes handout.json (and the handout notebook beside it) from the
instructor's solved notebook (handouts.py). Its cells come with their role:
  "provided"     the handout's code, run in full in every child before the student's definitions
                 (data, the model class): its names are always the grader's copy;
  "definitions"  a cell whose function and class definitions are provided (helpers), and whose other
                 statements (trainings, prints) are not;
  "answers"      a cell holding answers (their TODO stubs), and maybe provided definitions too;
  "other"        everything else (markdown, runs, the self-check).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path


class Handout:
    """The cells of the handout, the answers' TODO stubs, and the names the handout provides."""

    def __init__(self, data: dict):
        self.title: str = data["title"]
        self.cell_list: list[tuple[str, str, str]] = [tuple(c) for c in data["cells"]]  # (kind, source, role)
        self.ANSWERS: dict[str, str] = dict(data["answers"])  # name -> its TODO stub, in the order of the sheet
        self.PROVIDED_NAMES: tuple[str, ...] = tuple(data["provided_names"])

    @classmethod
    def beside(cls, module_file: str) -> "Handout":
        """The handout.json in the folder of `module_file` (a pack's child/handout.py)."""
        path = Path(module_file).resolve().parent / "handout.json"
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def cells(self, answers: dict[str, str] | None = None) -> list[tuple[str, str]]:
        """(kind, source) of every cell; `answers` (name -> source) replaces those answers' TODO stubs."""
        out = []
        for kind, source, role in self.cell_list:
            if role == "answers":
                for name, text in (answers or {}).items():
                    if name in self.ANSWERS:
                        source = source.replace(self.ANSWERS[name], text)
            out.append((kind, source))
        return out

    def provided_source(self) -> str:
        """The provided code a child runs: "provided" cells in full, and the definitions of the others."""
        keep = []
        for kind, source, role in self.cell_list:
            if role == "provided":
                keep.append(source)
            elif role in ("definitions", "answers"):
                keep += [ast.get_source_segment(source, node) for node in ast.parse(source).body
                         if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name not in self.ANSWERS]
        return "\n\n".join(keep)

    def defining(self, name: str) -> str:
        """The source of the code cell that binds `name` at its top level (the data cell, the model's)."""
        for kind, source, _ in self.cell_list:
            if kind == "code" and name in bound(source):
                return source
        raise KeyError(f"no cell of the handout defines {name!r}")


def bound(source: str) -> set[str]:
    """Names a cell binds at its top level."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names
