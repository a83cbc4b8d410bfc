"""Zips a student or a course uploads: unpacked safely, their files listed as a student named them.

No path may leave the folder it is unpacked into, links are skipped, and an archive over the size or
file-count limits is refused whole (a course's download has limits of its own, course/downloads.py).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

SKIP_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
ZIP_MAX_BYTES = 50 * 1024 * 1024
ZIP_MAX_FILES = 500


def candidates(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).parts
        if path.is_file() and not path.is_symlink() and not any(p in SKIP_PARTS or p.startswith(".") for p in rel):
            found.append(path)
    return found


def member_name(member: zipfile.ZipInfo) -> str:
    """The entry's name as its author wrote it.

    Zips without the UTF-8 flag (bit 11), as many tools still write them, are decoded by
    zipfile as cp437; the bytes are usually UTF-8 (Moodle's "Chloé Müller"), so they are read
    again as UTF-8 when that works, and kept as cp437 otherwise.
    """
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return member.filename


def extract(archive: Path, dest: Path, max_bytes: int = ZIP_MAX_BYTES, max_files: int = ZIP_MAX_FILES) -> bool:
    """Unpack a zip, refusing paths that leave `dest`, links, and archives over the size limits.

    Folder entries are made too: in a course download an empty folder is a student who submitted nothing.
    """
    try:
        with zipfile.ZipFile(archive) as z:
            members = z.infolist()
            files = [m for m in members if not m.is_dir()]
            if len(files) > max_files or sum(m.file_size for m in files) > max_bytes:
                return False
            for m in members:
                target = (dest / member_name(m)).resolve()
                if not str(target).startswith(str(dest.resolve()) + os.sep) or (m.external_attr >> 16) & 0o170000 == 0o120000:
                    continue
                if m.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with z.open(m) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
        return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
