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

from autograder import paths, rubric as rubric_module
from autograder.paths import write_into_zip
from autograder.errors import AutograderError, UsageError

PACKAGE = Path(__file__).resolve().parent.parent
REPO = PACKAGE.parent
GRADESCOPE = Path(__file__).resolve().parent
SKIP = {"__pycache__"}


def package_files(homework) -> dict[str, Path]:
    """name in the zip -> file: the engine, and this homework's pack as autograder/homeworks/<id>/ wherever it
    lives (a course's own package too); no other pack, no secret seed, no compiled files, and never the
    pack's model answers or catalog."""
    files = {}
    for path in shipped(PACKAGE):
        parts = path.relative_to(PACKAGE).parts
        if not (parts[0] == "homeworks" and len(parts) > 2):
            files["autograder/" + path.relative_to(PACKAGE).as_posix()] = path
    never = [p for p in (homework.reference, homework.catalog) if p]
    for path in shipped(homework.folder):
        if not any(path == p or p in path.parents for p in never):
            files[f"autograder/homeworks/{homework.id}/" + path.relative_to(homework.folder).as_posix()] = path
    return files


def shipped(folder: Path) -> list[Path]:
    """The files of a folder that may ship: no caches, no compiled files, no secret seed."""
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and not SKIP & set(p.relative_to(folder).parts)
            and p.suffix != ".pyc" and p.name != "secret_seed"]


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
    paths.refuse_inputs_as_outputs({"--out": Path(out)}, {"the rubric": rubric.path, "the seed file": rubric.seed_file,
                                                         "the homework's pack": homework.folder, "the grader's package": PACKAGE})
    out = paths.output_file(out, "--out", "autograder.zip")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in ("setup.sh", "run_autograder"):
            write_into_zip(z, name, (GRADESCOPE / name).read_bytes(), executable=True)
        write_into_zip(z, "requirements.txt", (REPO / "requirements.txt").read_bytes())
        write_into_zip(z, "rubric.toml", rubric.path.read_bytes())
        write_into_zip(z, seed_name.as_posix(), (seed + "\n").encode())
        for name, path in package_files(homework).items():
            write_into_zip(z, name, path.read_bytes())
    say_manual(rubric)
    return out


def say_manual(rubric) -> None:
    """The rubric's manual questions are Gradescope's to grade: its own manual questions, beside this autograder."""
    if rubric.manual:
        listed = ", ".join(f"{m.id} ({m.points:g} P)" for m in rubric.manual)
        print(f"The rubric's {len(rubric.manual)} manual question(s), {listed}, are not in the zip: add them to the "
              f"assignment in Gradescope as questions graded by hand (its Edit Outline); the autograder scores the "
              f"{rubric.total:g} automatic points of the {rubric.course_total:g}.", flush=True)
