"""The notebook's own code, from inside its kernel: what `selfcheck.check()` in a cell checks.

IPython keeps every cell the kernel ran, in order, in the list `In` of the notebook's globals. Run
again in a child, those cells define exactly what the kernel has (cells run twice, edited or run out
of order included), and the checks run as in the terminal: the two trainings side by side in
children of their own, with the grader's numerics, while the student's kernel is left alone. Where
there is no such history (plain Python), the kernel's own definitions answer, one after the other.
"""

from __future__ import annotations

from pathlib import Path

from autograder.grading import submission


def history(namespace: dict) -> list[tuple[str, str]] | None:
    """(label, source) of every cell the kernel ran, oldest first, or None outside IPython."""
    cells = namespace.get("In")
    if not isinstance(cells, list) or not all(isinstance(c, str) for c in cells):
        return None
    return [(f"In [{n}]", source) for n, source in enumerate(cells) if n and source.strip()]


def load(namespace: dict, handout) -> submission.Submission | None:
    """The kernel's cells read as a submission (definitions and constants kept), or None outside IPython."""
    cells = history(namespace)
    if cells is None:
        return None
    return submission.read_cells(Path("<notebook kernel>"), cells, handout, where="here")
