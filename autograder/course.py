"""A course's submissions, from whatever the TA downloaded: a folder, a Gradescope export, a Moodle zip.

Each form becomes the same list of entries: who the student is, and which file
to grade (or none). The form is detected, never asked for, and said.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AutograderError
from .gradescope.run import extract, find_submission

MOODLE_FOLDER = re.compile(r"^(?P<name>.+)_(?P<id>\d+)_assignsubmission_(?P<kind>\w+?)_?$")
# A course's download may be large; a single student's upload may not (gradescope.run's limits).
ARCHIVE_MAX_BYTES = 4 * 1024 ** 3
ARCHIVE_MAX_FILES = 200_000


@dataclass
class Entry:
    student: str  # the sheet's key: a file or folder name, a Gradescope SID, a Moodle participant id
    name: str = ""
    email: str = ""
    path: Path | None = None  # the file to grade; None: nothing gradable was submitted
    notes: list[str] = field(default_factory=list)


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
    return "folder of submissions", folder_entries(root, scratch)


def unpack(archive: Path, dest: Path) -> Path:
    if not extract(archive, dest, ARCHIVE_MAX_BYTES, ARCHIVE_MAX_FILES):
        raise AutograderError(f"{archive} could not be unpacked (over {ARCHIVE_MAX_BYTES >> 30} GB or "
                              f"{ARCHIVE_MAX_FILES} files, or not a readable zip)")
    return dest


def pick(folder: Path, scratch: Path) -> tuple[Path | None, list[str]]:
    """The file to grade in one student's folder, as Gradescope's run picks it."""
    scratch.mkdir(parents=True, exist_ok=True)
    return find_submission(folder, scratch)


def folder_entries(root: Path, scratch: Path) -> list[Entry]:
    entries = []
    for child in sorted(root.iterdir()):
        if child.name.startswith((".", "__MACOSX")):
            continue
        if child.is_file():
            if child.suffix in (".ipynb", ".py"):
                entries.append(Entry(child.stem, path=child))
            continue
        path, notes = pick(child, scratch / child.name)
        entries.append(Entry(child.name, path=path, notes=notes))
    return entries


def gradescope_entries(root: Path, scratch: Path) -> list[Entry]:
    import yaml

    metadata = yaml.safe_load((root / "submission_metadata.yml").read_text(encoding="utf-8")) or {}
    entries = []
    for folder_name, info in sorted(metadata.items()):
        submitters = (info or {}).get(":submitters") or []
        first = submitters[0] if submitters else {}
        student = str(first.get(":sid") or first.get(":email") or folder_name)
        folder = root / folder_name
        path, notes = pick(folder, scratch / folder_name) if folder.is_dir() else (None, [])
        entries.append(Entry(student, " & ".join(str(s.get(":name", "")) for s in submitters),
                             str(first.get(":email") or ""), path, notes))
    return entries


def moodle_entries(root: Path, scratch: Path) -> list[Entry]:
    by_id: dict[str, Entry] = {}
    folders: dict[str, list[Path]] = {}
    for child in sorted(root.iterdir()):
        m = MOODLE_FOLDER.match(child.name)
        if not (m and child.is_dir()):
            continue
        by_id.setdefault(m["id"], Entry(m["id"], m["name"]))
        folders.setdefault(m["id"], []).append(child)
    for pid, entry in by_id.items():
        for folder in folders[pid]:
            path, notes = pick(folder, scratch / folder.name)
            if path and not entry.path:
                entry.path, entry.notes = path, notes
    return [by_id[k] for k in sorted(by_id, key=int)]
