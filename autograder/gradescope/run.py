"""What run_autograder does in the container: find the upload, grade it, always leave a results.json.

A results.json that exists before grading is deleted unread: it may come from
anywhere. Student code runs as the unprivileged account setup.sh created; the
grader (root) alone writes the results folder.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import traceback
import zipfile
from pathlib import Path
from typing import Iterable

from .. import grade, late, markdown, picking, uploads
from ..homework import choose
from ..errors import AutograderError
from ..results import results, write_atomically
from ..sandbox.accounts import Pool

SKIP_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
ZIP_MAX_BYTES = 50 * 1024 * 1024
ZIP_MAX_FILES = 500
NOTHING_FOUND = ("Your upload holds no Jupyter notebook (.ipynb) or Python file (.py). Upload your homework "
                 "notebook, {notebook}.ipynb (in Jupyter: File > Download), and submit again.")


ACCOUNTS_FILE = "student_accounts"  # written by setup.sh: the pool of accounts student code runs as


def main(*, root: Path, run_as: str | None = None) -> int:
    """Grade the upload in root/submission into root/results/results.json; student code runs as an account of
    `run_as` (USER,USER,...; None: no user switch)."""
    results_path = root / "results" / "results.json"
    results_path.unlink(missing_ok=True)  # never trusted, never kept
    scratch = Path(tempfile.mkdtemp(prefix="upload-"))
    try:
        metadata = read_metadata(root / "submission_metadata.json")
        if metadata:
            print(f"submission {metadata.get('id', '?')} by {', '.join(u.get('name', '?') for u in metadata.get('users', []))}")
        rubric_path = root / "source" / "rubric.toml"
        hw = choose(None, rubric_path, [])  # the rubric's homework; a zip holds only that one
        picked, notes = find_submission(root / "submission", scratch, hw.notebook)
        if picked is None:  # nothing gradable, or several files and none with the handout's name
            write_message(f"{notes[0]}." if notes else NOTHING_FOUND.format(notebook=hw.notebook), results_path)
            return 0
        print(f"grading {picked.name} ({hw.title})")
        graded = grade.main(submission=picked, results_path=results_path, rubric_path=rubric_path,
                            run_as=Pool.parse(run_as, "the student accounts") if run_as else None, notes=notes, venue="gradescope", homework=hw, say=print,
                            times=late.from_gradescope(metadata) if metadata else None)
        if graded.lateness and graded.lateness.late:
            print(graded.lateness.note)
        for trace in graded.grader_errors:
            print(trace)  # the run's stdout is shown to instructors, not to students
    except AutograderError as exc:  # the deployment's fault (its rubric), refused before grading
        print(f"autograder: {exc}")
        write_message("The autograder is misconfigured, so this upload was not graded and no points were given. "
                      "Your instructor can see what happened.", results_path)
    except BaseException:
        print(traceback.format_exc())
        write_message("The autograder failed while grading this upload; no points were given. "
                      "Your instructor can see what happened.", results_path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def accounts(root: Path, run_as: str | None) -> str | None:
    """What run_autograder runs student code as: --run-as, else the pool setup.sh made, else
    AUTOGRADER_STUDENT_USER's one account; None when not root (trying the zip as an ordinary user: Landlock alone
    holds student code)."""
    if os.geteuid() != 0:
        return None
    made = root / "source" / ACCOUNTS_FILE
    return run_as or (made.read_text().strip() if made.is_file() else "") \
        or os.environ.get("AUTOGRADER_STUDENT_USER", "autograder-student")


def write_message(message: str, results_path: Path) -> None:
    """A results.json of no tests, 0 points and `message`, in Gradescope's Markdown."""
    write_atomically(markdown.results(results([], message, 0.0)), results_path)


def read_metadata(path: Path) -> dict:
    """Gradescope's submission_metadata.json, or {} when it is absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def find_submission(folder: Path, scratch: Path, preferred: str | Iterable[str] = ()) -> tuple[Path | None, list[str]]:
    """The file to grade, whatever it is called, and a note on what else was uploaded; a zip is unpacked into
    `scratch` when nothing else can be graded. Of several candidates the one named `preferred` (the handout's
    notebook) is graded, and none is guessed otherwise: then None and the sentence saying why (picking.choose)."""
    files = candidates(folder)
    found = picking.loose(folder, files)
    if not any(uploads.kind(f) in ("notebook", "python") for f in files):
        for archive in [f for f in files if uploads.kind(f) == "zip"]:
            inside = picking.unpacked(archive, scratch / uploads.stem(archive))
            if inside is not None:  # the zip stands for its files; one that cannot be unpacked is named as it is
                found = [f for f in found if f.path != archive] + inside
    return picking.choose(found, preferred)


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
