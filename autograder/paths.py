"""Paths a user passes on the command line, checked before any work is done.

A typo must never look like a real result: a missing submission is refused, not
graded 0, and an output that cannot be written is refused before a grading that
would otherwise be lost at the end. Each refusal is one line: the option, the
path, the problem and what to pass instead.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from autograder.errors import UsageError


def input_file(path: str | Path, what: str, hint: str = "") -> Path:
    """An existing, readable file; a folder is refused with `hint` (what to pass instead)."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{what} {path} is a folder: {hint or 'pass a file'}")
    if not path.exists():
        raise UsageError(f"{what} {path} does not exist: check the path")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{what} {path} cannot be read (permission denied)")
    return path


def input_folder(path: str | Path, what: str) -> Path:
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{what} {path} does not exist: check the path")
    if not path.is_dir():
        raise UsageError(f"{what} {path} is not a folder")
    return path


def output_file(path: str | Path, what: str, example: str = "results.json") -> Path:
    """A file we may create or replace: its folder exists (or can be made) and is writable."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{what} {path} is a folder: give a file name, such as {path / example}")
    if path.exists() and not path.is_file():  # a device, a pipe or a socket: replacing it would break the machine
        raise UsageError(f"{what} {path} is not a regular file (a device, pipe or socket): give a file name, such "
                         f"as {example}")
    _writable_folder(path.parent, what, path)
    return path


def output_folder(path: str | Path, what: str) -> Path:
    """A folder we may create and fill."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} {path} is a file, not a folder: give a folder name")
    _writable_folder(path, what, path)
    return path


def refuse_inputs_as_outputs(outputs: dict[str, Path | None], inputs: dict[str, Path | None]) -> None:
    """No path a verb writes is, or lies inside, one of its inputs, nor is written twice: refused before any work.

    `outputs` and `inputs` map what the user calls a path (`--results`, `the submission`) to it; None is absent.
    Links are followed, so a results file linked to the notebook is the notebook.
    """
    given = [(label, path) for label, path in outputs.items() if path is not None]
    for index, (label, path) in enumerate(given):
        for other, twin in given[:index]:
            if same_path(path, twin):
                raise UsageError(f"{label} {path} is also {other}: give each output a path of its own")
        for name, source in inputs.items():
            if source is None:
                continue
            if same_path(path, source):
                raise UsageError(f"{label} {path} is {name} {source} itself: writing there would overwrite it; "
                                 "give another path")
            if source.is_dir() and Path(os.path.realpath(path)).is_relative_to(os.path.realpath(source)):
                raise UsageError(f"{label} {path} lies inside {name} {source}: writing there would change it; "
                                 "give a path outside it")


def same_path(a: Path, b: Path) -> bool:
    """The same file or folder, through links (hard or symbolic), whether or not it exists yet."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def _writable_folder(folder: Path, what: str, given: Path) -> None:
    """Make `folder` (and its parents) and prove it writable by creating a file in it."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise UsageError(f"{what} {given}: {existing} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UsageError(f"{what} {given}: cannot write in {folder} ({exc.strerror or exc}): "
                         "choose a folder you can write to") from None


@contextlib.contextmanager
def private(folder: Path):
    """Everything written under `folder` meanwhile readable by this account only (umask 077), and whatever an
    earlier run left there made so too: a course's grades and feedback are nobody else's business."""
    old = os.umask(0o077)
    try:
        folder.chmod(0o700)
        yield folder
    finally:
        os.umask(old)
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o700 if path.is_dir() else 0o600)


def read_csv(path: Path, what: str, fix: str) -> list[list[str]]:
    """A CSV file an LMS exported (a BOM and all), as rows; UsageError naming `what` and the fix when unreadable."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"{what} {path}: cannot be read ({exc}): {fix}") from None


def write_into_zip(z, name: str, data: bytes, executable: bool = False) -> None:
    """One file into a zip, with a fixed date and mode: the same inputs make the same zip, byte for byte."""
    import zipfile

    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)
