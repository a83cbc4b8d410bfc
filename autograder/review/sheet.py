"""The review as a spreadsheet: `autograder review OUT --export FILE.csv` and `--import FILE.csv`.

Scores: the columns student,question,points,comment; `question` is a manual question's id (its points
and the TA's comment) or a check's number such as 1.1 (an override: its new points, and the reason
the student reads). A row with no points is left as it is (the export writes one per student and
manual question, blank until graded). Requests: the columns student,question,request. An import is
all or nothing: every bad row is named with its line, and then nothing is imported.
"""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.errors import UsageError
from autograder.review.changes import Course, Invalid

SCORES = ["student", "question", "points", "comment"]
REQUESTS = ["student", "question", "request"]


def export(course: Course, path: Path) -> int:
    """Every manual question of every student (blank when not graded yet) and every override; the rows written."""
    stored = {(s.student, s.question): s for s in course.desk.scores()}
    rows = []
    for student in sorted(course.records):
        for question in course.manual:
            s = stored.get((student, question))
            rows.append([student, question, f"{s.points:g}" if s else "", s.comment if s else ""])
        rows += [[student, s.question, f"{s.points:g}", s.comment] for (who, _), s in sorted(stored.items())
                 if who == student and s.kind == "override"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(SCORES)
        writer.writerows(rows)
    return len(rows)


def import_(course: Course, path: Path, who: str) -> str:
    """Read the sheet into the store in one transaction; UsageError naming every bad row (nothing imported)."""
    table = read_sheet(path)
    header = [h.strip().lower() for h in table[0]] if table else []
    if header not in (SCORES, REQUESTS):
        raise UsageError(f"--import {path}: its first line must be {','.join(SCORES)} (scores) or "
                         f"{','.join(REQUESTS)} (regrade requests), got {','.join(header) or 'nothing'}")
    problems, done, seen = [], 0, {}
    with course.desk.transaction():
        for line, row in enumerate(table[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            try:
                done += apply(course, header, row, who, seen, line)
            except Invalid as exc:
                problems.append(f"--import {path} line {line}: {exc}")
        if problems:
            raise UsageError("\n".join([*problems, f"--import {path}: nothing was imported; fix the line(s) above "
                                                   "and import it again"]))
    kind = "regrade requests" if header == REQUESTS else "scores"
    return f"Imported {done} {kind} from {path}"


def read_sheet(path: Path) -> list[list[str]]:
    """The rows of a CSV in whatever encoding a spreadsheet saved it (UTF-8, UTF-16, Windows' cp1252)."""
    import io

    from autograder.grading import encoding

    try:
        decoded = encoding.decode(path.read_bytes())
        if decoded is None:
            raise ValueError("it is not text")
        return list(csv.reader(io.StringIO(decoded.text.lstrip("\ufeff"), newline="")))
    except (OSError, ValueError, csv.Error) as exc:
        raise UsageError(f"--import {path}: cannot be read ({exc}): save it as CSV with the columns "
                         f"{','.join(SCORES)}") from None


def apply(course: Course, header: list[str], row: list[str], who: str, seen: dict, line: int) -> int:
    """One row into the open transaction: 1 when it changed something, 0 for a blank score."""
    if len(row) != len(header):
        raise Invalid(f"{len(row)} cells, the header has {len(header)}")
    values = dict(zip(header, (cell.strip() for cell in row)))
    key = (values["student"], values["question"])
    if key in seen:
        raise Invalid(f"{values['student']} and {values['question']} again (line {seen[key]} has them): keep one row")
    seen[key] = line
    if header == REQUESTS:
        course.request(values["student"], values["question"], values["request"], who)
        return 1
    if not values["points"]:
        course.student(values["student"])
        course.question(values["question"])
        return 0
    if course.question(values["question"]) == "manual":
        course.grade(values["student"], values["question"], values["points"], values["comment"], who)
    else:
        course.override(values["student"], values["question"], values["points"], values["comment"], who)
    return 1
