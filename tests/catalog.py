"""The test catalog: submissions written as the answers that differ from the reference.

A catalog file holds some of the four answers (and any helpers they need) and
a header of comments:

    # mistake: what is wrong, in one line        (wrong submissions)
    # style: how this correct one is written     (correct submissions)
    # loses: Mix, MixClassifier                  parts that must lose points
    # hint: text the feedback must contain       (optional, repeatable)
    # without: Mix                               answers to leave out entirely

`notebook()` builds a real handout notebook with those answers in their cells
and the reference's answers for the rest. Each homework has its catalog:
tests/submissions/<homework>/{correct,wrong}/.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import homework

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).parent / "submissions"
NN2 = homework.load("nn2")


@dataclass
class Entry:
    path: Path
    loses: set[str]
    homework: object = NN2
    hints: list[str] = field(default_factory=list)
    without: set[str] = field(default_factory=set)
    summary: str = ""

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"

    def __repr__(self) -> str:
        return self.name


def header(path: Path, hw=NN2) -> Entry:
    fields: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        m = re.match(r"#\s*(mistake|style|loses|hint|without):\s*(.*)", line)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
    split = lambda key: {p.strip() for v in fields.get(key, []) for p in v.split(",") if p.strip()}
    summary = (fields.get("mistake") or fields.get("style") or [""])[0]
    entry = Entry(path, split("loses"), hw, fields.get("hint", []), split("without"), summary)
    assert entry.summary, f"{path} needs a '# mistake:' or '# style:' line"
    assert entry.loses <= set(hw.parts), f"{path}: unknown part in loses"
    return entry


def entries(kind: str, hw=NN2) -> list[Entry]:
    return [header(p, hw) for p in sorted((hw.catalog / kind).glob("*.py"))]  # where the pack keeps its catalog


def answers_of(source: str, hw=NN2) -> dict[str, str]:
    """name -> source for each answer in `source`; helpers and imports travel with the next answer."""
    answers: dict[str, str] = {}
    pending: list[str] = []
    names = set(hw.handout.ANSWERS)
    for node in ast.parse(source).body:
        segment = ast.get_source_segment(source, node)
        if getattr(node, "decorator_list", None):
            lines = source.splitlines()
            segment = "\n".join(lines[node.decorator_list[0].lineno - 1: node.end_lineno])
        name = getattr(node, "name", None)
        if name in names:
            answers[name] = "\n\n".join([*pending, segment])
            pending = []
        else:
            pending.append(segment)
    if pending:  # helpers after the last answer, or a file with no answers at all
        key = next(iter(answers)) if answers else next(iter(hw.handout.ANSWERS))
        answers[key] = "\n\n".join([answers.get(key, ""), *pending]).strip()
    return answers


def reference_answers(hw=NN2) -> dict[str, str]:
    return answers_of(hw.reference.read_text(), hw)


def notebook_text(answers: dict[str, str], hw=NN2) -> str:
    nb = nbformat.v4.new_notebook()
    for kind, source in hw.handout.cells(answers):
        nb.cells.append(nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source))
    return nbformat.writes(nb)


def notebook(entry: Entry, out_dir: Path) -> Path:
    hw = entry.homework
    answers = dict(reference_answers(hw))
    for name in entry.without:
        answers[name] = ""
    answers.update(answers_of(entry.path.read_text(), hw))
    path = out_dir / f"{entry.path.stem}.ipynb"
    path.write_text(notebook_text(answers, hw))
    return path
