"""`autograder build student`: the zip handed out to students, for one homework.

It holds the handout notebook, its data module (utils.py), and the self-check: the grader's
public checks and what they need to run, with the expected values of the public questions stored
as numbers and the named mistakes sealed (sealed.py). Which modules go in is derived, not listed:
whatever the self-check imports, closed over (bundled_modules). Left out on purpose: the oracle,
the grading verb, the Gradescope deployment, other homeworks, any secret seed, and the bodies
of the check files' @grader_only functions (their expected values and mistakes).
"""

from __future__ import annotations

import ast
import json
import zipfile
from pathlib import Path

from autograder.grading import expectations
from autograder import paths, rubric as rubric_module
from autograder.paths import write_into_zip as write

PACKAGE = Path(__file__).resolve().parent.parent
# Where the closure starts: the command line (its top level only: its other verbs are imported
# lazily, one each) and the self-check (all of it).
ROOTS = {"__init__.py": False, "__main__.py": False, "cli.py": False, "selfcheck.py": True, "student/check.py": True}
STRIPPED = "raise RuntimeError('not in the student bundle: the grader computes this')"
README = """\
# {title}: handout and self-check

Open `{notebook}.ipynb` in Jupyter, replace the `# TODO` bodies, and run the last cell: it runs the
public checks of the autograder on your answers and prints each verdict as soon as it is known,
then the trainings with a progress line, then what to fix. `selfcheck.check("{first_part}")` in a cell
checks one part only.

You need Python 3.10 to 3.13 with numpy, torch, nbformat and scikit-learn (the notebook itself
needs scikit-learn too):

    pip install numpy torch nbformat scikit-learn

Any build of torch works: pip's default (a CUDA build on Linux and Windows), the CPU build
(`pip install torch --index-url https://download.pytorch.org/whl/cpu`, smaller), conda's, or the
MPS build on a Mac. No GPU is used. From a terminal, in this folder:

    python -m autograder check {notebook}.ipynb            (add --part {first_part} for one part)

It exits with status 0 when every public check passes, 1 when one does not, and 2 when it could
not run (a file that is not this homework's notebook, or a torch that does not load on this
computer: the message says which, and what to install). The checks, tolerances and messages are
the ones Gradescope shows; hidden checks on inputs you have not seen are graded after you submit.
Where the self-check cannot decide a check without the grader's own formulas, it says "not
checked here" and what to fix first; such a check never counts as passed. The self-check needs
no network and holds no solution: its expected values are stored numbers for the public inputs.
Your code runs in separate processes, stopped when it takes longer than the grader allows.

Tried before release: Linux (x86_64) with Python 3.11 and torch 2.13.0 (CPU build) and 2.14.1 (pip's
default CUDA build), and Python 3.13 with torch 2.14.1; the code paths of Windows and macOS were run
on Linux with the Linux-only layers hidden. If it fails on your computer, the message says what failed; tell your course staff.
"""


def main(*, out: str | Path, homework, rubric_path: str | Path | None = None) -> Path:
    """The bundle for `rubric_path`: its points, tolerances, visibility and values, as Gradescope will grade."""
    rubric = rubric_module.load(homework, rubric_path)
    paths.refuse_inputs_as_outputs({"--out": Path(out)}, {"the rubric": rubric.path, "the homework's pack": homework.folder,
                                                         "the grader's package": PACKAGE})
    out = paths.output_file(out, "--out", f"{homework.notebook}_student.zip")
    numbers = expectations.public_numbers(homework, rubric)
    pack = f"autograder/homeworks/{homework.id}"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        write(z, f"{homework.notebook}.ipynb", homework.template.read_bytes())
        data_module = homework.folder / "child" / "utils.py"
        if data_module.exists():
            write(z, "utils.py", data_module.read_bytes())
        write(z, "README.md", README.format(title=homework.title, notebook=homework.notebook,
                                            first_part=next(iter(homework.parts))).encode())
        for path in bundled_files(homework):
            write(z, bundle_name(path, homework), contents(path, homework))
        write(z, f"{pack}/rubric.json", json.dumps(public_rubric(rubric), indent=1).encode())
        write(z, f"{pack}/data/{expectations.PUBLIC_FILE}", json.dumps(numbers, indent=0, sort_keys=True).encode())
    return out


def bundle_name(path: Path, homework) -> str:
    """Where a file goes in the bundle: the engine's under autograder/, the pack's under autograder/homeworks/<id>/
    (wherever the pack lives: a course's own package too)."""
    if path == homework.folder or homework.folder in path.parents:
        return f"autograder/homeworks/{homework.id}/{path.relative_to(homework.folder).as_posix()}"
    return f"autograder/{path.relative_to(PACKAGE).as_posix()}"


def bundled_files(homework) -> list[Path]:
    """The modules the self-check imports, the engine's and the homework's child code, and the homework's data."""
    folders = [PACKAGE / "child", homework.folder / "child", homework.checks_folder]
    files = set(bundled_modules(homework))
    for folder in folders:
        files |= {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    data = homework.folder / "data"
    files |= {p for p in data.glob("*") if p.is_file()} if data.is_dir() else set()
    files |= {homework.folder / "__init__.py", PACKAGE / "homeworks" / "__init__.py"}
    return sorted(files)


def bundled_modules(homework) -> list[Path]:
    """Every module of the package the roots import, closed over, without following what @grader_only
    functions import (the oracle) or what cli.py imports for its other verbs."""
    todo = [(PACKAGE / name, everything) for name, everything in ROOTS.items()]
    todo += [(p, True) for p in homework.checks_folder.glob("*.py")]
    seen: set[Path] = set()
    while todo:
        path, everything = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        todo += [(found, True) for found in imported(path, everything, homework.folder)]
    return sorted(seen)


def imported(path: Path, everything: bool, pack: Path | None = None) -> list[Path]:
    """The engine's and the pack's modules a module imports (relatively, or as `autograder.…`), at its top
    level or, with `everything`, anywhere; never what a @grader_only function imports."""
    tree = ast.parse(path.read_text())
    nodes = ast.walk(tree) if everything else iter(tree.body)
    skip = {id(n) for f in ast.walk(tree) if is_grader_only(f) for n in ast.walk(f)}
    found = []
    for node in nodes:
        if not isinstance(node, ast.ImportFrom) or id(node) in skip:
            continue
        if node.level:
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
        elif (node.module or "").split(".")[0] == "autograder":
            base, node_module = PACKAGE.parent, node.module
        else:
            continue
        module = node.module if node.level else node_module
        target = base.joinpath(*(module or "").split(".")) if module else base
        found += [target.with_suffix(".py"), target / "__init__.py"]
        found += [target / f"{alias.name}.py" for alias in node.names]
    inside = [PACKAGE, *([pack] if pack else [])]
    return [f for f in found if f.is_file() and any(folder in f.parents for folder in inside)]


def is_grader_only(node) -> bool:
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Name) and d.id == "grader_only" for d in node.decorator_list)


def contents(path: Path, homework) -> bytes:
    """A file as the bundle holds it: check files without the bodies of their @grader_only functions."""
    if path.suffix != ".py" or homework.checks_folder not in path.parents:
        return path.read_bytes()
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if is_grader_only(node):
            doc = ast.get_docstring(node)
            node.body = ([ast.Expr(ast.Constant(doc))] if doc else []) + ast.parse(STRIPPED).body
    return (ast.unparse(tree) + "\n").encode()


def public_rubric(rubric) -> dict:
    """The rubric as the self-check needs it (hidden checks keep their points, for the total)."""
    extra: dict = {}
    for table, values in rubric.extra.items():
        target = extra
        for name in table.split("."):
            target = target.setdefault(name, {})
        target.update({k: list(v) if isinstance(v, tuple) else v for k, v in values.items()})
    return {
        "homework": rubric.homework,
        "total": rubric.total,
        "parts": rubric.parts,
        "tolerance": {"rtol": rubric.rtol, "atol": rubric.atol, "grad_rtol": rubric.grad_rtol,
                      "grad_atol": rubric.grad_atol},
        "limits": {"load_seconds": rubric.load_seconds, "call_seconds": rubric.call_seconds,
                   "train_seconds": rubric.train_seconds, "memory_mb": rubric.memory_mb,
                   "processes": rubric.processes, "open_files": rubric.open_files,
                   "disk_mb": rubric.disk_mb, "total_seconds": rubric.total_seconds},
        "hidden": {"seed_file": "no_seed_in_the_student_bundle", "count": rubric.hidden_count},
        "feedback": {"hints": rubric.hints},
        **extra,
        "check": [{"id": c.id, "part": c.part, "number": c.number, "name": c.name, "points": c.points,
                   "visibility": c.visibility} for c in rubric.checks],
    }
