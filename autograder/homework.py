"""Homework packs: what the engine needs to know of a homework, and finding the pack a notebook belongs to.

A pack is a folder autograder/homeworks/<id>/ whose __init__.py defines HOMEWORK (a Homework).
Its child/ folder holds the handout (child/handout.py: the cells, the answers' TODO bodies, the
names the handout provides) and how a child answers each kind of question (child/answers.py);
its checks/ folder holds the checks, each declaring the questions it asks, with the kinds of
those questions (their answer's fields, expected values and named mistakes) beside them;
rubric.toml holds its points and limits. The engine imports a pack only through this module.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Callable

from .errors import UsageError
from .pack import Answer, Homework, Words  # noqa: F401  (the contract lives in pack.py; found here)

PACKAGE = Path(__file__).resolve().parent
HOMEWORKS = PACKAGE / "homeworks"
REPO = PACKAGE.parent


def ids() -> list[str]:
    """The packs installed here (a Gradescope zip or a student bundle holds one)."""
    return sorted(m.name for m in pkgutil.iter_modules([str(HOMEWORKS)]) if m.ispkg
                  and (HOMEWORKS / m.name / "__init__.py").is_file())


@lru_cache(maxsize=None)
def load(homework_id: str) -> Homework:
    if homework_id not in ids():
        raise UsageError(f"--homework {homework_id}: no such homework; the homeworks here are: {', '.join(ids())}")
    return importlib.import_module(f"{__package__}.homeworks.{homework_id}").HOMEWORK


def defined_names(path: Path) -> set[str]:
    """Top-level function and class names of a notebook or .py file, without running or importing it."""
    from . import cells, submission

    try:
        found = cells.code_cells(path)
    except Exception:  # unreadable: no names; grading will say what the file is
        return set()
    names = set()
    for _, source in found:
        try:
            tree = ast.parse(submission.strip_magics(source)[0] or "")
        except SyntaxError:
            continue
        names |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return names


def detect(paths: list[Path]) -> Homework | None:
    """The one pack whose answer names the files define, or None when none or several fit."""
    found = set()
    for path in paths:
        names = defined_names(path)
        found |= {h for h in ids() if names & set(load(h).handout.ANSWERS)}
    return load(found.pop()) if len(found) == 1 else None


def choose(homework_id: str | None, rubric_path: str | Path | None, paths: list[Path], say=print) -> Homework:
    """The homework a verb works on: --homework, else the rubric's `homework`, else the only one
    installed, else the one the submissions clearly belong to (said, so the user sees it)."""
    if homework_id:
        return load(homework_id)
    named = rubric_homework(Path(rubric_path)) if rubric_path else None
    if named:
        return load(named)
    if len(ids()) == 1:
        return load(ids()[0])
    if not paths:
        raise UsageError(f"several homeworks are installed: pass --homework ({', '.join(ids())})")
    found = detect(paths)
    if found is None:
        unnamed = f"the rubric {rubric_path} names no homework, and " if rubric_path else ""
        raise UsageError(f"{unnamed}cannot tell which homework {'these files are' if len(paths) != 1 else 'this file is'} "
                         f"for: pass --homework ({', '.join(ids())})")
    say(f"homework: {found.id} ({found.title}), from the answers the submission defines")
    return found


def rubric_homework(path: Path) -> str | None:
    """The `homework = "..."` line of a rubric file, read before the rubric itself is validated."""
    from . import rubric

    try:
        return rubric.read(path).get("homework")
    except Exception:  # rubric.load will say what is wrong with it
        return None
