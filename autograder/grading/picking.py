"""Which file of an upload is graded: its only notebook (or .py file), or the one with the handout's name.

Students upload a folder's worth of files, or a zip of it: their notebook beside a draft, a copy, the
handout's utils.py. Grading the wrong one would give or take points for work that is not the
homework, so nothing is guessed: of several candidates, the one named as the handout's notebook is
graded (a rule the student can see), and with none or several so named the student is told which
files were found and what to upload instead. A notebook wins over .py files (the homework is a
notebook; a .py beside it is a helper).

A zip given to `autograder grade` is unpacked by the Gradescope run's safe extractor (no path leaves
its folder, no links, size caps) into a private temporary folder (0700, by mkdtemp), removed after grading.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from autograder.grading import archives, uploads
from autograder.errors import SubmissionError

SHOWN = 8  # file names listed in a message at most


@dataclass(frozen=True)
class Found:
    """A file of an upload, as the student knows it: its path in the upload, or in the zip it came from."""

    path: Path
    name: str
    archive: str = ""  # the zip's name, for a file unpacked from one


def loose(folder: Path, files: Iterable[Path]) -> list[Found]:
    return [Found(f, f.relative_to(folder).as_posix()) for f in files]


def unpacked(archive: Path, dest: Path) -> list[Found] | None:
    """The files of a zip, unpacked into `dest`; None when it cannot be (not a zip, too big, too many files)."""


    if not archives.extract(archive, dest):
        return None
    return [Found(f, f.relative_to(dest).as_posix(), archive.name) for f in archives.candidates(dest)]


def choose(found: list[Found], preferred: str | Iterable[str] = ()) -> tuple[Path | None, list[str]]:
    """The file to grade and a note saying which it was; or None and the sentence (no final period) saying
    why none was chosen; or None and no sentence when nothing was uploaded that could be graded, outside a zip."""
    names, pool = handout_names(preferred), gradable(found)
    if not pool:
        zips = sorted({f.archive for f in found if f.archive})
        return None, [nothing_in_zip(zips, [f.name for f in found if f.archive], names)] if zips else []
    named = [f for f in pool if uploads.stem(f.path) in names]
    picked = pool[0] if len(pool) == 1 else named[0] if len(named) == 1 else None
    if picked is None:
        return None, [several(pool, named, names)]
    return picked.path, graded_note(picked, found, by_name=len(pool) > 1)


def gradable(found: list[Found]) -> list[Found]:
    """The files that could be the homework, by name: its notebooks, else its .py files but the handout's utils.py."""
    notebooks = sorted((f for f in found if uploads.kind(f.path) == "notebook"), key=lambda f: f.name)
    scripts = sorted((f for f in found if uploads.kind(f.path) == "python" and f.path.name.lower() != "utils.py"),
                     key=lambda f: f.name)
    return notebooks or scripts


def handout_names(preferred: str | Iterable[str]) -> list[str]:
    return [n for n in ([preferred] if isinstance(preferred, str) else preferred) if n]


def graded_note(picked: Found, found: list[Found], by_name: bool) -> list[str]:
    kind = "notebook" if uploads.kind(picked.path) == "notebook" else "Python file"
    others = sorted(f.name for f in found if f != picked)
    if picked.archive:
        text = f"The {kind} {picked.name} in your zip {picked.archive} was graded"
    elif others:
        text = f"Your upload has {len(found)} files; the {kind} {picked.name} was graded"
    else:
        return []
    text += ", as it has the handout's name" if by_name else ""
    also = "also in the zip" if picked.archive else "also uploaded"
    return [text + (f" ({also}: {listed(others)})." if others else ".")]


def several(pool: list[Found], named: list[Found], names: list[str]) -> str:
    """"The zip a.zip holds 2 notebooks (a.ipynb, b.ipynb) and none is named hw.ipynb: zip only your ..." """
    kind, suffix = ("notebook", ".ipynb") if uploads.kind(pool[0].path) == "notebook" else ("Python file", ".py")
    archives = {f.archive for f in pool}
    zipped = len(archives) == 1 and "" not in archives
    holder = f"The zip {pool[0].archive}" if zipped else "Your upload"
    handout = " or ".join(f"{n}{suffix}" for n in names) or f"as the handout's {kind}"
    which = f"none is named {handout}" if not named else f"{len(named)} are named {handout}"
    fix = (f"zip only your homework {kind}, or upload the {kind} itself" if zipped else
           f"upload only your homework {kind}")
    return f"{holder} holds {len(pool)} {kind}s ({listed([f.name for f in pool])}) and {which}: {fix}"


def nothing_in_zip(archives: list[str], held: list[str], names: list[str]) -> str:
    contents = f"it holds: {listed(sorted(held))}" if held else "it is empty"
    notebook = f", {names[0]}.ipynb," if len(names) == 1 else ""
    return (f"The zip {', '.join(archives)} holds no notebook (.ipynb) or Python file (.py) ({contents}): "
            f"zip your homework notebook{notebook} or upload it itself")


def listed(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (", ..." if len(names) > SHOWN else "")


class Upload:
    """The file `autograder grade` was given; a zip is unpacked into a private temporary folder on entering
    (removed on leaving) and graded as the one file in it that `choose` picks."""

    def __init__(self, path: Path):
        self.path = path
        self.zipped = uploads.kind(path) == "zip"
        self.scratch: Path | None = None
        self.found: list[Found] | None = None

    def __enter__(self) -> Upload:
        if self.zipped:
            self.scratch = Path(tempfile.mkdtemp(prefix="autograder-zip-"))  # 0700: student files stay private
            self.found = unpacked(self.path, self.scratch / "unpacked")
        return self

    def __exit__(self, *exc) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def candidates(self) -> list[Path]:
        """The files whose answers tell the homework."""
        return [f.path for f in gradable(self.found or [])] if self.zipped else [self.path]

    def pick(self, preferred: str | Iterable[str] = ()) -> tuple[Path, list[str]]:
        """The file to grade and the note saying which it was; SubmissionError when there is none to grade."""
        if not self.zipped:
            return self.path, []
        if self.found is None:


            raise SubmissionError(f"the zip {self.path.name} could not be unpacked (it is not a readable zip, or "
                                  f"unpacked it is over {archives.ZIP_MAX_BYTES >> 20} MB or {archives.ZIP_MAX_FILES} files): "
                                  "upload the notebook itself")
        picked, notes = choose(self.found, preferred)
        if picked is None:  # an empty zip has no files to say so
            raise SubmissionError(notes[0] if notes else nothing_in_zip([self.path.name], [], handout_names(preferred)))
        return picked, notes


def find_submission(folder: Path, scratch: Path, preferred: str | Iterable[str] = ()) -> tuple[Path | None, list[str]]:
    """The file to grade, whatever it is called, and a note on what else was uploaded; a zip is unpacked into
    `scratch` when nothing else can be graded. Of several candidates the one named `preferred` (the handout's
    notebook) is graded, and none is guessed otherwise: then None and the sentence saying why (choose)."""
    files = archives.candidates(folder)
    found = loose(folder, files)
    if not any(uploads.kind(f) in ("notebook", "python") for f in files):
        for archive in [f for f in files if uploads.kind(f) == "zip"]:
            inside = unpacked(archive, scratch / uploads.stem(archive))
            if inside is not None:  # the zip stands for its files; one that cannot be unpacked is named as it is
                found = [f for f in found if f.path != archive] + inside
    return choose(found, preferred)
