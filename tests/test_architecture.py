"""The architecture, kept by import-linter's contracts (pyproject.toml), not by a checker of our own: packs
import only the pack API, the engine's layers import downwards only, and no package has an import cycle."""

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import autograder

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {c["id"]: c for c in CONFIG["contracts"]}
# What a pack may import: the two halves of the API, and its own modules.
API = {"autograder.pack", "autograder.child.contract"}


def lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--no-cache", "--no-logo", str(root / "pyproject.toml")], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120)


def engine_modules() -> set[str]:
    """Every module and package of the engine one level down, and every module of autograder.child."""
    top = {f"autograder.{m.name}" for m in pkgutil.iter_modules(autograder.__path__)}
    child = {f"autograder.child.{m.name}" for m in pkgutil.iter_modules([str(ROOT / "autograder" / "child")])}
    return (top | child) - {"autograder.child", "autograder.homeworks"} - API


def test_every_contract_is_kept():
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in run.stdout


def test_a_pack_is_forbidden_every_engine_module_but_the_api():
    # A module added to the engine later is forbidden to packs as soon as it exists, or this test says so.
    forbidden = set(CONTRACTS["packs-use-the-api"]["forbidden_modules"])
    assert forbidden == engine_modules()


def test_the_layers_name_every_part_of_the_engine():
    named = {name.strip() for layer in CONTRACTS["layers"]["layers"] for name in layer.replace(":", "|").split("|")}
    top = {f"autograder.{m.name}" for m in pkgutil.iter_modules(autograder.__path__)}
    assert named == top - {"autograder.pack", "autograder.homeworks", "autograder.__main__"}


# Each breach is a line added to one file of a copy of the package; the contract it breaks must say so.
BREACHES = [
    ("autograder/homeworks/nn2/checks/common.py", "from autograder.grading import checks", "packs-use-the-api"),
    ("autograder/homeworks/hessian/child/answers.py", "import autograder.child.values", "packs-use-the-api"),
    ("autograder/sandbox/wall.py", "from autograder.grading import grade", "layers"),
    ("autograder/grading/cells.py", "from autograder.pack import check", "api-is-a-facade"),
    ("autograder/grading/checks.py", "from autograder.grading import grade", "no-cycles"),
]


@pytest.mark.parametrize("path, line, contract", BREACHES, ids=[b[2] + ":" + b[0] for b in BREACHES])
def test_an_import_against_a_contract_breaks_it(tmp_path, path, line, contract):
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "autograder", copy / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    with open(copy / path, "a") as f:
        f.write(f"\n{line}  # a breach\n")
    run = lint(copy)
    assert run.returncode == 1, run.stdout + run.stderr
    said = " ".join(run.stdout.split())  # rich folds long lines
    assert f"{CONTRACTS[contract]['name']} BROKEN" in said, run.stdout

