"""`autograder build gradescope`: the zip an instructor uploads as the assignment's autograder.

Layout (Gradescope unzips it into /autograder/source):
    setup.sh, run_autograder     at the root, as Gradescope expects
    requirements.txt             the pinned runtime dependencies
    rubric.toml                  the instructor's rubric (it names its homework)
    <seed file>                  the secret seed of the hidden checks, new for every build
    autograder/                  the engine and this homework's pack only (no local secret seed)
"""

from __future__ import annotations

import secrets
import zipfile
from pathlib import Path

from .. import paths, rubric as rubric_module
from ..errors import AutograderError, UsageError

PACKAGE = Path(__file__).resolve().parent.parent
REPO = PACKAGE.parent
GRADESCOPE = Path(__file__).resolve().parent
SKIP = {"__pycache__"}


def package_files(homework) -> list[Path]:
    """The engine and this homework's pack: no other pack, no secret seed, no compiled files."""
    files = []
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if not path.is_file() or any(part in SKIP for part in parts) or path.suffix == ".pyc":
            continue
        if path.name == "secret_seed" or (parts[0] == "homeworks" and len(parts) > 2 and parts[1] != homework.id):
            continue
        files.append(path)
    return files


def main(*, out: str | Path, homework, rubric_path: str | Path | None = None, seed: str | None = None) -> Path:
    rubric = rubric_module.load(homework, rubric_path)
    seed_name = rubric.seed_file.relative_to(rubric.path.parent) if rubric.seed_file.is_relative_to(rubric.path.parent) else None
    if seed_name is None or ".." in seed_name.parts:
        raise AutograderError(f"{rubric.path}: hidden.seed_file must be a path inside the rubric's folder for a build")
    if seed is not None:
        try:
            int(seed, 16)
        except ValueError:
            raise UsageError(f"--seed {seed}: must be a hexadecimal number") from None
    seed = seed or secrets.token_hex(16)
    out = paths.output_file(out, "--out", "autograder.zip")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in ("setup.sh", "run_autograder"):
            write(z, name, (GRADESCOPE / name).read_bytes(), executable=True)
        write(z, "requirements.txt", (REPO / "requirements.txt").read_bytes())
        write(z, "rubric.toml", rubric.path.read_bytes())
        write(z, seed_name.as_posix(), (seed + "\n").encode())
        for path in package_files(homework):
            write(z, "autograder/" + path.relative_to(PACKAGE).as_posix(), path.read_bytes())
    return out


def write(z: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.external_attr = (0o755 if executable else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)
