"""Canvas's side of a batch: the grade sheet its gradebook imports (Grades > Import).

Canvas matches a row by its `ID` (the Canvas user id its download names files with), else by
`SIS User ID` or `SIS Login ID`, and an assignment by its column's name (its export writes
"Name (assignment id)"). Without the TA's gradebook export, the sheet holds the five columns
Canvas requires and the assignment's; with it (`--canvas-gradebook`), every row and column of the
export is kept and only the assignment's column is filled: the rest imports as unchanged.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError
from autograder.paths import read_csv

FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_ROW = "Points Possible"


@dataclass(frozen=True)
class Gradebook:
    path: Path
    header: list[str]
    rows: list[list[str]]
    column: int  # the assignment's column


def read_gradebook(path: Path, assignment: str | None) -> Gradebook:
    """The TA's export, with the assignment's column found; UsageError naming the file and what to do."""
    table = read_csv(path, "--canvas-gradebook", "pass the CSV from Canvas's Grades > Export")
    if not table or table[0][:2] != FIXED[:2]:
        raise UsageError(f"--canvas-gradebook {path}: not a Canvas gradebook export (its first columns must be "
                         "Student, ID): pass the CSV from Canvas's Grades > Export")
    header = table[0]
    assignments = [h for h in header[len(FIXED):] if h.strip()]
    if not assignments:  # a gradebook exported before the course had any assignment
        raise UsageError(f"--canvas-gradebook {path} has no assignment column to fill (its columns are "
                         f"{', '.join(h for h in header if h.strip())}): create the assignment in Canvas and export "
                         "the gradebook again (Grades > Export), or leave out --canvas-gradebook")
    if not assignment:
        raise UsageError(f"--canvas-gradebook {path} needs --assignment NAME, the column to fill; its columns "
                         f"are: {', '.join(assignments[:12])}")
    matches = [i for i, h in enumerate(header) if i >= len(FIXED) and same_assignment(h, assignment)]
    if len(matches) != 1:
        what = "no column" if not matches else "several columns"
        raise UsageError(f"--assignment {assignment!r}: {what} of {path} named so; its columns are: "
                         f"{', '.join(assignments[:12])}")
    return Gradebook(path, header, [row + [""] * (len(header) - len(row)) for row in table[1:]], matches[0])


def same_assignment(column: str, name: str) -> bool:
    """Canvas writes "Homework 2 (123456)"; the TA may type "Homework 2" or the whole."""
    column, name = column.strip(), name.strip()
    return column == name or (column.startswith(name + " (") and column.endswith(")"))


def write(path: Path, records: list[dict], assignment: str, max_score: float,
          gradebook: Gradebook | None = None) -> list[str]:
    """canvas_grades.csv; returns the students graded here that the gradebook has no row for."""
    if gradebook is None:
        header, rows, column = FIXED + [assignment], [], len(FIXED)
        rows.append(["    " + POINTS_ROW, "", "", "", "", f"{max_score:g}"])
        for r in records:
            rows.append([r["name"] or r["student"], r["student"], "", "", "", ""])
    else:
        header, rows, column = gradebook.header, [list(r) for r in gradebook.rows], gradebook.column
    by_key = {}
    for i, row in enumerate(rows):
        for key in row[1:4]:  # ID, SIS User ID, SIS Login ID
            if key.strip():
                by_key.setdefault(key.strip(), i)
    missing = []
    for r in records:
        i = next((by_key[k] for k in (r["student"], r.get("email", "")) if k and k in by_key), None)
        if i is None:
            missing.append(r["student"])
        else:
            rows[i][column] = f"{r['total']:g}"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return missing
