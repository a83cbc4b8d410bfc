"""A course's submissions, from whatever the TA downloaded: a folder, a Canvas or Moodle download, a Gradescope export.

Each form becomes the same list of entries: who the student is, and which file
to grade (or none). The form is detected, never asked for, and said.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder.errors import AutograderError
from autograder import homework
from autograder.grading import picking, uploads
from autograder.late import Times, parse_time
from autograder.grading.archives import extract
from autograder.grading.picking import find_submission

MOODLE_FOLDER = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_(?P<kind>\w+?)_?$")
# Canvas's "Download Submissions": lastnamefirstname[_LATE]_<user id>_<submission id>_<the student's file name>
CANVAS_FILE = re.compile(r"^(?P<name>[^_]+?)(?P<late>_LATE)?_(?P<id>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
# A course's download may be large; a single student's upload may not (gradescope.run's limits).
ARCHIVE_MAX_BYTES = 4 * 1024 ** 3
ARCHIVE_MAX_FILES = 200_000


@dataclass
class Entry:
    student: str  # the sheet's key: a file or folder name, a Gradescope SID, a Moodle participant id
    name: str = ""
    email: str = ""
    path: Path | None = None  # the file to grade; None: nothing gradable was submitted
    notes: list[str] = field(default_factory=list)  # on the upload, for the student (and the TA)
    reason: str = ""  # for the TA, when nothing could be graded or the file was not what it should be
    ta_notes: list[str] = field(default_factory=list)  # for the TA only: what the student need not be told
    times: Times = field(default_factory=Times)  # when it was submitted and due, as far as the input says
    moodle_folder: str = ""  # "Full Name_123_assignsubmission_file_": the prefix Moodle's feedback zip needs
    stray: str = ""  # why a file or folder of an LMS download is no student's: a row here, none in the LMS's files
    unpicked: str = ""  # for the student: several files were uploaded and none is the one to grade (picking.py)


def load(source: Path, work: Path) -> tuple[str, list[Entry]]:
    """(the detected form, its entries in a stable order)."""
    source = Path(source)
    if source.is_file() and zipfile.is_zipfile(source):
        root = unpack(source, work / "input")
    elif source.is_dir():
        root = source
    else:
        raise AutograderError(f"{source} is neither a folder nor a zip file")
    children = [c for c in root.iterdir() if not c.name.startswith((".", "__MACOSX"))]
    while len(children) == 1 and children[0].is_dir() and not MOODLE_FOLDER.match(children[0].name):
        root = children[0]  # the export's own top folder
        children = [c for c in root.iterdir() if not c.name.startswith((".", "__MACOSX"))]
    scratch = work / "unpacked"
    if (root / "submission_metadata.yml").exists():
        return "Gradescope export", gradescope_entries(root, scratch)
    if any(c.is_dir() and MOODLE_FOLDER.match(c.name) for c in children):
        return "Moodle assignment download", moodle_entries(root, scratch)
    if is_canvas(children):
        return "Canvas submissions download", canvas_entries(root, scratch)
    return "folder of submissions", folder_entries(root, scratch)


def unpack(archive: Path, dest: Path) -> Path:
    if not extract(archive, dest, ARCHIVE_MAX_BYTES, ARCHIVE_MAX_FILES):
        raise AutograderError(f"{archive} could not be unpacked (over {ARCHIVE_MAX_BYTES >> 30} GB or "
                              f"{ARCHIVE_MAX_FILES} files, or not a readable zip)")
    return dest


def pick(folder: Path, scratch: Path) -> tuple[Path | None, list[str]]:
    """The file to grade in one student's folder, as Gradescope's run picks it: of several, the one named as a
    handout's notebook (the homework is not known yet), never a guess; (None, [why]) otherwise."""
    scratch.mkdir(parents=True, exist_ok=True)
    return find_submission(folder, scratch, handout_notebooks())


def handout_notebooks() -> list[str]:
    return [homework.load(h).notebook for h in homework.ids()]


def folder_entries(root: Path, scratch: Path) -> list[Entry]:
    """One entry per student: files named after the student, or folders holding the student's files.

    Every file and folder gets a row: a notebook or .py is graded, a zip is unpacked (the
    notebook inside is graded), a folder gives the file Gradescope's run would pick; anything
    else is graded too and ends as `unreadable` with what it holds. Two files of one student
    (alice.ipynb, alice.py) are one entry: the notebook, with a note.
    """
    by_student: dict[str, list[Path]] = {}
    for child in sorted(root.iterdir()):
        if child.name.startswith((".", "__MACOSX")):
            continue
        key = child.name if child.is_dir() else uploads.stem(child)
        by_student.setdefault(key, []).append(child)
    return [folder_entry(student, found, scratch / safe_folder(student)) for student, found in by_student.items()]


RANK = {"notebook": 0, "python": 1, "zip": 2, None: 3}


def graded_first(found: list[Path], order=lambda p: p.name) -> list[Path]:
    """One student's files, the one to grade first: files before folders, then by kind (notebook, .py, zip),
    then by `order` (the name; in a Canvas download the latest upload)."""
    return sorted(found, key=lambda p: (p.is_dir(), RANK[uploads.kind(p)], order(p)))


def folder_entry(student: str, found: list[Path], scratch: Path, order=lambda p: p.name) -> Entry:
    found = graded_first(found, order)
    chosen, others = found[0], [p.name for p in found[1:]]
    notes = [f"Also found for this student, not graded: {', '.join(others)}."] if others else []
    if chosen.is_dir():
        return picked_entry(student, chosen, pick(chosen, scratch), notes)
    kind = uploads.kind(chosen)
    if kind == "zip":
        found = picking.unpacked(chosen, scratch / "unpacked")
        if found is None:  # graded as it is: it ends as unreadable, and says why
            return Entry(student, path=chosen, notes=notes, reason=f"{chosen.name} is not a readable zip")
        path, more = picking.choose(found, handout_notebooks())
        if path is None and picking.gradable(found):  # several: grading picks by the homework's name, or says why not
            return Entry(student, path=chosen, notes=notes)
        return picked_entry(student, chosen, (path, more), notes)
    # A notebook, a .py, or anything else: grading decides (an unknown file ends as unreadable).
    reason = "" if kind else f"{chosen.name} is not a .ipynb, .py or .zip file"
    return Entry(student, path=chosen, notes=notes, reason=reason)


def picked_entry(student: str, source: Path, picked: tuple[Path | None, list[str]], notes: list[str]) -> Entry:
    path, more, reason = settled(source, picked)
    return Entry(student, path=path, notes=notes + more, reason=reason, unpicked=unpicked(picked))


def unpicked(picked: tuple[Path | None, list[str]]) -> str:
    """The sentence the student reads when files were uploaded and none was picked (several, none named as the
    handout's notebook), or ''."""
    path, more = picked
    return more[0] if path is None and more else ""


def settled(source: Path, picked: tuple[Path | None, list[str]]) -> tuple[Path | None, list[str], str]:
    """(the file to grade, its notes, "") or (None, [], why nothing of `source` is: no candidate, or several
    and none named as a handout's notebook)."""
    path, more = picked
    if path:
        return path, more, ""
    return None, [], more[0] if more else f"{source.name} holds no notebook (.ipynb) or Python file (.py){contents(source)}"


def contents(folder: Path) -> str:
    if not folder.is_dir():
        return ""
    names = sorted(p.name for p in folder.rglob("*") if p.is_file())
    return f" (it holds: {', '.join(names[:6])}{', ...' if len(names) > 6 else ''})" if names else " (it is empty)"


def safe_folder(student: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in student) or "unnamed"


def gradescope_entries(root: Path, scratch: Path) -> list[Entry]:
    """One entry per submitter: every member of a group submission gets the group's file and scores."""
    import yaml

    metadata = yaml.safe_load((root / "submission_metadata.yml").read_text(encoding="utf-8")) or {}
    entries = []
    for folder_name, info in sorted(metadata.items()):
        submitters = (info or {}).get(":submitters") or [{}]
        folder = root / folder_name
        picked = pick(folder, scratch / folder_name) if folder.is_dir() else (None, [])
        path, notes, reason = settled(folder, picked)
        whys = unpicked(picked)
        group = [str(s.get(":name", "")) for s in submitters if s.get(":name")]
        for person in submitters:
            student = str(person.get(":sid") or person.get(":email") or folder_name)
            mine = list(notes)
            if len(submitters) > 1:
                mine.insert(0, f"Group submission of {' & '.join(group)}; every member gets these scores.")
            entries.append(Entry(student, str(person.get(":name", "")), str(person.get(":email") or ""), path,
                                 mine, reason, times=export_times(info or {}), unpicked=whys))
    return entries


def export_times(info: dict) -> Times:
    """An export's `:created_at:` (YAML reads it as a time; a naive one is UTC); its due date is the rubric's."""
    created = info.get(":created_at")
    if isinstance(created, datetime):
        created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
    else:
        created = parse_time(str(created)) if created else None
    return Times(created, source="submission_metadata.yml")


def moodle_entries(root: Path, scratch: Path) -> list[Entry]:
    """One entry per participant (their folders of one id joined); any other file or folder is a stray's row."""
    by_id: dict[str, Entry] = {}
    folders: dict[str, list[Path]] = {}
    strays = []
    for child in sorted(root.iterdir()):
        if child.name.startswith((".", "__MACOSX")):
            continue
        m = MOODLE_FOLDER.match(child.name)
        if not (m and child.is_dir()):
            strays.append(stray_entry(child, scratch, f"{child.name} is not a participant's folder (Full Name_id_"
                                      "assignsubmission_file_): it has no row in moodle_grades.csv and no file "
                                      "in moodle_feedback.zip"))
            continue
        by_id.setdefault(m["id"], Entry(m["id"], m["name"], moodle_folder=f"{m['name']}_{m['id']}_assignsubmission_file_"))
        folders.setdefault(m["id"], []).append(child)
    for pid, entry in by_id.items():
        whys = []
        for folder in folders[pid]:
            path, notes = pick(folder, scratch / folder.name)
            if path and not entry.path:
                entry.path, entry.notes = path, notes
            whys += notes if not path else []  # several files, none named as the handout's notebook
        if not entry.path:
            entry.unpicked = whys[0] if whys else ""
            entry.reason = entry.unpicked or "no notebook (.ipynb) or Python file (.py) in " + ", ".join(
                f"{f.name}{contents(f)}" for f in folders[pid])
    return [by_id[k] for k in sorted(by_id, key=int)] + strays


def stray_entry(other: Path, scratch: Path, why: str) -> Entry:
    """A file or folder of an LMS download that is no student's: a row of its own, graded as a folder's file
    would be, with `why` first in its reason; the LMS's grade sheet leaves it out (it would match nobody)."""
    entry = folder_entry(uploads.stem(other) if other.is_file() else other.name, [other],
                         scratch / safe_folder(other.name))
    entry.reason = f"{why}; {entry.reason}" if entry.reason else why
    entry.stray = why
    return entry


def is_canvas(children: list[Path]) -> bool:
    """Canvas names every file of its download; a plain folder that happens to hold one such name is not one."""
    files = [c for c in children if c.is_file()]
    named = [c for c in files if CANVAS_FILE.match(c.name)]
    return bool(named) and len(named) * 2 >= len(children)


def canvas_entries(root: Path, scratch: Path) -> list[Entry]:
    """One entry per Canvas user id, named as the file names it (lastnamefirstname), `_LATE_` kept.

    A student's several files are one entry (the notebook first, as in a folder, and of several the latest);
    a file not in Canvas's naming gets a row of its own, named by the file, with the reason."""
    by_id: dict[str, list[Path]] = {}
    others: list[Path] = []
    for child in sorted(root.iterdir()):
        if child.name.startswith((".", "__MACOSX")):
            continue
        m = CANVAS_FILE.match(child.name) if child.is_file() else None
        if m:
            by_id.setdefault(m["id"], []).append(child)
        else:
            others.append(child)
    entries = [canvas_student(user_id, by_id[user_id], scratch / safe_folder(user_id))
               for user_id in sorted(by_id, key=int)]
    return entries + [stray_entry(other, scratch, f"{other.name} is not named as Canvas names submissions "
                                  "(name_userid_subid_file): it has no row in canvas_grades.csv") for other in others]


def canvas_student(user_id: str, files: list[Path], scratch: Path) -> Entry:
    """One student's files; the latest upload is graded. Canvas names a file uploaded again `hw-1.ipynb`,
    `hw-2.ipynb` and gives it a larger id (the third field): those earlier uploads are named to the TA only."""
    marks = {f: CANVAS_FILE.match(f.name) for f in files}
    latest_first = lambda f: -int(marks[f]["sub"])
    graded = graded_first(files, latest_first)[0]
    earlier = [f for f in files if f != graded and upload_name(marks[f]["file"]) == upload_name(marks[graded]["file"])]
    entry = folder_entry(user_id, [f for f in files if f not in earlier], scratch, latest_first)
    entry.name = marks[graded]["name"]
    entry.times = Times(marked_late=any(m["late"] for m in marks.values()), source="Canvas's _LATE_ mark")
    if earlier:
        entry.ta_notes.append(f"Earlier uploads of {graded.name}, not graded (Canvas appends -1, -2 to a file "
                              f"uploaded again; the latest has the largest id): {', '.join(f.name for f in earlier)}.")
    return entry


def upload_name(file: str) -> tuple[str, str | None]:
    """A file's name as the student uploaded it, without the -1, -2 Canvas appends to a file uploaded again."""
    path = Path(file)
    return re.sub(r"-\d+$", "", uploads.stem(path)), uploads.kind(path)
