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
FILES = (
    "__init__.py",
    "probes.py",
    "sandbox/__init__.py",
    "sandbox/child.py",
    "sandbox/landlock.py",
    "scaffold/__init__.py",
    "scaffold/handout.py",
    "scaffold/stored.py",
    "scaffold/breast_cancer.npz",
)
BOOT = ("import sys, json; sys.path[:0] = [sys.argv[1], *json.loads(sys.argv[2])]; "
        "from autograder.sandbox.child import main; main(sys.argv[3], int(sys.argv[4]))")


def build(parent: str | None = None) -> Path:
    """A fresh, world-readable kit folder; the caller removes it."""
    kit = Path(tempfile.mkdtemp(prefix="nn2-kit-", dir=parent))
    for name in FILES:
        target = kit / "autograder" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE / name, target)
    for path in [kit, *kit.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return kit


def site_dirs() -> list[str]:
    """Where this process finds third-party packages: its site-packages folders (the venv's, in one)."""
    found = [p for p in sys.path if p.rstrip("/").endswith(("site-packages", "dist-packages"))]
    paths = sysconfig.get_paths()
    return list(dict.fromkeys(found or [paths["purelib"], paths["platlib"]]))
