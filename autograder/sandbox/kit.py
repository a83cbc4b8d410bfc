"""The child's code, copied to a folder the student's process may read, and nothing else of the grader.

The child starts with `python -I -S` and a sys.path of exactly: this kit, the
standard library and the interpreter's site-packages folders (read without
their .pth files, so an installed or editable `autograder` is not importable).
Student code can therefore import numpy and torch, but not the oracle, the
checks, the hints or the rubric.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
# Two folders, copied whole: the engine's child code and the homework's. The packages above them
# get empty __init__.py files, so that importing them runs nothing of the parent's side.
ENGINE_CHILD = "child"
STUBS = ("__init__.py", "homeworks/__init__.py")
BOOT = ("import sys, json; sys.path[:0] = [sys.argv[1], *json.loads(sys.argv[2])]; "
        "from autograder.child.main import main; main(sys.argv[3], sys.argv[4])")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def build(homework: str, parent: str | None = None) -> Path:
    """A fresh, world-readable kit folder for `homework`'s children; the caller removes it. A pack's child
    folder goes to autograder/homeworks/<id>/child wherever the pack lives (a course's own package too)."""
    from autograder.homework import load

    kit = Path(tempfile.mkdtemp(prefix="autograder-kit-", dir=parent))
    root = kit / "autograder"
    shutil.copytree(PACKAGE / ENGINE_CHILD, root / ENGINE_CHILD, ignore=IGNORE)
    shutil.copytree(load(homework).folder / "child", root / "homeworks" / homework / "child", ignore=IGNORE)
    for stub in (*STUBS, f"homeworks/{homework}/__init__.py"):
        (root / stub).write_text("")
    for path in [kit, *kit.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return kit


def site_dirs() -> list[str]:
    """Where this process finds third-party packages: its site-packages folders (the venv's, in one)."""
    found = [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    paths = sysconfig.get_paths()
    return list(dict.fromkeys(found or [paths["purelib"], paths["platlib"]]))
