"""`autograder new pack ID --out DIR`: a small installable package holding a working homework pack.

It writes the templates of this folder (*.tmpl, with the pack's id, title and package name filled
in) and a solved notebook, then builds the handout from that notebook (handouts.py): one answer
function, mse(y,t), with a public and a hidden check, its oracle, two named mistakes, a rubric,
mutation operators and their decider, and a catalog of one correct and one wrong submission. After
`pip install -e DIR`, every verb works on it with `--homework ID`, unchanged.
"""

from __future__ import annotations

import importlib
import keyword
import re
import sys
from pathlib import Path

import nbformat

from autograder.scaffold.cell import SELFCHECK, SELFCHECK_TASK
from autograder import paths
from autograder.errors import UsageError

TEMPLATES = Path(__file__).resolve().parent
ANSWER, KIND = "mse", "MSE"


def names(homework_id: str, title: str | None) -> dict[str, str]:
    return {"__ID__": homework_id, "__TITLE__": title or f"Homework {homework_id}", "__PACKAGE__": f"{homework_id}_pack",
            "__DIST__": f"{homework_id.replace('_', '-')}-pack", "__ANSWER__": ANSWER, "__KIND__": KIND}


def master(fill: dict[str, str]) -> str:
    """The solved notebook an instructor starts from: solution marks in the answer, the data cell tagged."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells = [
        ("markdown", f"# {fill['__TITLE__']} (10 P)\n\nHow far are predictions $y$ from targets $t$? The mean "
                     "squared error\n\n$$\\text{MSE}(y, t) = \\frac1N \\sum_{n=1}^N (y_n - t_n)^2 .$$", None),
        ("code", "import numpy\n\n# The notebook's predictions and targets.\ny = numpy.array([0.5, 1.5, 2.0, 3.5])\n"
                 "t = numpy.array([1.0, 1.0, 2.5, 3.0])", "provided"),
        ("markdown", f"## The mean squared error (10 P)\n\n* Implement `{ANSWER}(y,t)` that returns the mean squared "
                     "error of the arrays `y` and `t` (of one length) as a float.", None),
        ("code", f"def {ANSWER}(y,t):\n    # BEGIN SOLUTION\n    return float(((y - t)**2).mean())\n    # END SOLUTION",
         None),
        ("code", f"print('> {ANSWER}: %.4f' % {ANSWER}(y,t))", None),
        ("markdown", SELFCHECK_TASK, None),
        ("code", SELFCHECK, None),
    ]
    for kind, source, tag in cells:
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        cell.pop("id", None)
        if tag:
            cell.metadata["tags"] = [tag]
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nbformat.writes(nb) + "\n"


def planned(fill: dict[str, str]) -> dict[str, str]:
    """relative path -> text of every file the scaffold writes before its handout is built."""
    files = {}
    for template in sorted(TEMPLATES.rglob("*.tmpl")):
        relative = template.relative_to(TEMPLATES).as_posix().removesuffix(".tmpl")
        relative = re.sub(r"^pack/", f"{fill['__PACKAGE__']}/", relative)
        text = template.read_text(encoding="utf-8")
        for key, value in fill.items():
            relative, text = relative.replace(key, value), text.replace(key, value)
        files[relative] = text
    files["notebooks/master.ipynb"] = master(fill)
    return files


def check_id(homework_id: str) -> None:
    from autograder.homework import ids

    if not re.fullmatch(r"[a-z][a-z0-9_]*", homework_id) or keyword.iskeyword(homework_id):
        raise UsageError(f"pack id {homework_id!r}: use lowercase letters, digits and _, starting with a letter")
    if homework_id in ids():
        raise UsageError(f"pack id {homework_id}: a homework of this id is installed already; choose another")


def main(*, homework_id: str, out: str | Path, title: str | None = None) -> list[Path]:
    """Write the pack's package into `out` (a new or empty folder) and build its handout; the files written."""
    from autograder.scaffold import handouts

    check_id(homework_id)
    out = Path(out)
    paths.refuse_inputs_as_outputs({"--out": out}, {"the grader's package": Path(__file__).resolve().parent.parent})
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"--out {out}: {'is a file' if not out.is_dir() else 'is not empty'}: give a new folder")
    fill = names(homework_id, title)
    written = []
    for relative, text in planned(fill).items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    sys.path.insert(0, str(out.resolve()))
    try:  # the handout, from the solved notebook, with the package just written (not installed yet)
        package = importlib.import_module(fill["__PACKAGE__"])
        hw = package.HOMEWORK
        from dataclasses import replace

        written += handouts.main(homework=replace(hw, package=fill["__PACKAGE__"]))
    finally:
        sys.path.remove(str(out.resolve()))
        for name in [m for m in sys.modules if m.split(".")[0] == fill["__PACKAGE__"]]:
            del sys.modules[name]
    return written
