"""Moodle's side of a batch: its grading worksheet read (submission times) and written, and its feedback zip.

The worksheet is what Assignment > View all submissions > Grading action > "Download grading
worksheet" gives and "Upload grading worksheet" takes back: one row per participant, named
`Participant <id>`. The feedback zip is what "Upload multiple feedback files in a zip" takes:
each file's name starts with the participant's folder name of the download
(`Full Name_<id>_assignsubmission_file_`), which is how Moodle finds its student.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import datetime
from pathlib import Path

from autograder.errors import UsageError
from autograder.paths import read_csv
from autograder.late import Times

HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade", "Grade can be changed",
          "Last modified (submission)", "Last modified (grade)", "Feedback comments"]
SUBMITTED = "Last modified (submission)"


def read_worksheet(path: Path) -> dict[str, dict]:
    """participant id -> its worksheet row; UsageError naming the file when it is not a worksheet."""
    table = read_csv(path, "--moodle-worksheet", "pass the CSV from Moodle's Grading action > Download grading "
                     "worksheet")
    rows = [dict(zip(table[0], row)) for row in table[1:]] if table else []
    if not rows or "Identifier" not in rows[0] or SUBMITTED not in rows[0]:
        raise UsageError(f"--moodle-worksheet {path}: not a Moodle grading worksheet (it needs the columns "
                         f"Identifier and {SUBMITTED}): pass the CSV from Grading action > Download grading worksheet")
    return {row["Identifier"].removeprefix("Participant").strip(): row for row in rows}


def submission_time(text: str) -> datetime | None:
    """Moodle writes times in the site's language and zone ("Monday, 1 December 2026, 11:59 PM"); "-" is none."""
    from dateutil import parser

    text = (text or "").strip()
    if not text or text == "-":
        return None
    try:
        return parser.parse(text)
    except (ValueError, OverflowError):
        return None


def times_of(row: dict | None) -> tuple[Times, str]:
    """A participant's times from the worksheet, and a reason for the TA when they are not understood."""
    if row is None:
        return Times(source="Moodle's worksheet"), "not in the Moodle worksheet given: no submission time"
    submitted = submission_time(row.get(SUBMITTED, ""))
    if submitted is None and (row.get(SUBMITTED) or "-").strip() != "-":
        return Times(source="Moodle's worksheet"), f"the worksheet's time {row[SUBMITTED]!r} was not understood"
    return Times(submitted, source="Moodle's worksheet"), ""


def write_worksheet(path: Path, records: list[dict], max_score: float) -> None:
    """Moodle's grading worksheet, to upload back (Grading action > Upload grading worksheet)."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for r in records:
            writer.writerow([f"Participant {r['student']}", r["name"], r["email"], "Submitted for grading",
                             f"{r['total']:.2f}", f"{max_score:.2f}", "Yes", "", "",
                             f"Autograder: {r['status']}; see your feedback file."])


def write_feedback_zip(path: Path, records: list[dict], feedback: Path) -> int:
    """Each student's feedback file (the student's copy, feedback/<file>.md), named for Moodle's import."""
    written = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for r in records:
            source = feedback / f"{r['file']}.md"
            if r.get("moodle_folder") and source.is_file():
                z.writestr(f"{r['moodle_folder']}autograder_feedback.md", source.read_bytes())
                written += 1
    return written
