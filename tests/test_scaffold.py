"""A third homework in an afternoon: `autograder new pack ID --out DIR` writes an installable package with a
working pack, and after `pip install -e DIR` every verb works on it with --homework ID, unchanged.

The package is installed for real (pip install -e, no network: --no-deps --no-build-isolation) into a
throwaway venv that sees this project's .venv (a .pth file), so that the project's own environment is
left as it is and the other tests never see the new pack.
"""

import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder import scaffold
from autograder.sandbox import kit
from conftest import HANG_SECONDS

pytestmark = pytest.mark.slow
ID = "scaffolded"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """(the package folder, a command prefix running the autograder where it is installed)."""
    root = tmp_path_factory.mktemp("pack")
    folder = root / "pack"
    run = subprocess.run([sys.executable, "-m", "autograder", "new", "pack", ID, "--out", str(folder),
                          "--title", "Mean squared error"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip",
                    str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    base = [d for d in kit.site_dirs() if d.endswith("site-packages")][0]
    Path(site, "the_graders_environment.pth").write_text(f"import site; site.addsitedir({base!r})\n")
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "-e",
                              str(folder)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    return folder, [str(python), "-c", "import sys; from autograder.cli import main; sys.exit(main())"]


def autograder(pack, *args, cwd=None):
    return subprocess.run([*pack[1], *args], capture_output=True, text=True, cwd=cwd, timeout=HANG_SECONDS)


def test_the_scaffold_writes_a_package_whose_files_say_what_they_are(pack):
    folder, _ = pack
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "egg-info" not in str(p)}
    package = f"{ID}_pack"
    assert {"pyproject.toml", "README.md", f"{package}/__init__.py", f"{package}/rubric.toml", f"{package}/oracle.py",
            f"{package}/checks/check_mse.py", f"{package}/child/kinds.py", f"{package}/child/answers.py",
            f"{package}/child/handout.json", f"{package}/child/{ID}.ipynb", "notebooks/master.ipynb",
            "notebooks/solution.ipynb", "notebooks/solution.py", "catalog/correct/loop.py",
            "catalog/wrong/summed.py"} <= files
    assert len(files) == len(scaffold.planned(scaffold.names(ID, None))) + 4  # and the four the handout build writes
    assert 'homework = "scaffolded"' in (folder / package / "rubric.toml").read_text()


def test_after_pip_install_grade_gives_full_marks_and_the_handout_0(pack, tmp_path):
    folder, _ = pack
    total = tomllib.loads((folder / f"{ID}_pack" / "rubric.toml").read_text())["total"]
    run = autograder(pack, "grade", str(folder / "notebooks" / "solution.ipynb"), "--homework", ID,
                     "--results", str(tmp_path / "r.json"))
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "r.json").read_text())["score"] == total
    run = autograder(pack, "grade", str(folder / f"{ID}_pack" / "child" / f"{ID}.ipynb"), "--homework", ID,
                     "--results", str(tmp_path / "h.json"))
    data = json.loads((tmp_path / "h.json").read_text())
    assert run.returncode == 0 and data["score"] == 0
    assert all("not implemented yet" in t["output"] for t in data["tests"])


def test_its_catalog_holds_a_correct_and_a_wrong_submission_the_grader_tells_apart(pack, tmp_path):
    folder, _ = pack
    total = tomllib.loads((folder / f"{ID}_pack" / "rubric.toml").read_text())["total"]
    for kind, name in (("correct", "loop"), ("wrong", "summed")):
        source = folder / "catalog" / kind / f"{name}.py"
        run = autograder(pack, "grade", str(source), "--homework", ID, "--results", str(tmp_path / f"{name}.json"))
        data = json.loads((tmp_path / f"{name}.json").read_text())
        assert run.returncode == 0
        if kind == "correct":
            assert data["score"] == total
        else:
            hint = next(l.split(":", 1)[1].strip() for l in source.read_text().splitlines() if l.startswith("# hint:"))
            assert data["score"] < total and any(hint in t["output"] for t in data["tests"])


def test_build_gradescope_ships_the_pack_but_never_its_answers_or_catalog(pack, tmp_path):
    run = autograder(pack, "build", "gradescope", "--homework", ID, "--out", str(tmp_path / "gs.zip"))
    assert run.returncode == 0, run.stderr
    names = zipfile.ZipFile(tmp_path / "gs.zip").namelist()
    assert f"autograder/homeworks/{ID}/checks/check_mse.py" in names and "rubric.toml" in names
    assert not [n for n in names if n.startswith(f"autograder/homeworks/{ID}/") and
                ("notebooks" in n or "catalog" in n or n.endswith("solution.py"))]


def test_the_student_bundle_of_the_pack_passes_its_solution(pack, tmp_path):
    folder, _ = pack
    run = autograder(pack, "build", "student", "--homework", ID, "--out", str(tmp_path / "st.zip"))
    assert run.returncode == 0, run.stderr
    unpacked = tmp_path / "student"
    zipfile.ZipFile(tmp_path / "st.zip").extractall(unpacked)
    assert not (unpacked / "autograder" / "homeworks" / ID / "oracle.py").exists()
    (unpacked / "mine.ipynb").write_bytes((folder / "notebooks" / "solution.ipynb").read_bytes())
    boot = ("import sys, json; sys.path[:0] = [sys.argv[1], *json.loads(sys.argv[2])]; "
            "from autograder.cli import main; raise SystemExit(main(sys.argv[3:]))")
    run = subprocess.run([sys.executable, "-I", "-S", "-c", boot, str(unpacked), json.dumps(kit.site_dirs()), "check",
                          "mine.ipynb"], cwd=unpacked, capture_output=True, text=True, timeout=HANG_SECONDS)
    assert run.returncode == 0 and "Every public check passes." in run.stdout, run.stdout + run.stderr


def test_batch_and_mutants_work_on_the_pack(pack, tmp_path):
    folder, _ = pack
    course = tmp_path / "course"
    course.mkdir()
    (course / "alice.ipynb").write_bytes((folder / "notebooks" / "solution.ipynb").read_bytes())
    (course / "bob.ipynb").write_bytes((folder / f"{ID}_pack" / "child" / f"{ID}.ipynb").read_bytes())
    run = autograder(pack, "batch", str(course), "--out", str(tmp_path / "out"), "--homework", ID)
    assert run.returncode == 0, run.stderr
    rows = (tmp_path / "out" / "grades.csv").read_text().splitlines()
    assert len(rows) == 3 and any(r.startswith("alice,") for r in rows)
    run = autograder(pack, "mutants", "--homework", ID, "--out", str(tmp_path / "mutants"), "--sample", "6")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "killed" in (tmp_path / "mutants" / "mutants.md").read_text()


def test_a_bad_pack_id_or_a_used_folder_is_refused_with_one_line(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("")
    for args, words in ((["nn2", "--out", str(tmp_path / "a")], "a homework of this id is installed"),
                        (["Bad-Id", "--out", str(tmp_path / "b")], "use lowercase letters"),
                        (["fine", "--out", str(tmp_path / "used")], "is not empty")):
        run = subprocess.run([sys.executable, "-m", "autograder", "new", "pack", *args], capture_output=True, text=True)
        assert run.returncode == 2 and words in run.stderr and "Traceback" not in run.stderr


def test_the_scaffolded_pack_imports_only_the_pack_api_by_the_engines_own_contract(pack, tmp_path):
    # The contract packs-use-the-api of pyproject.toml, applied to the course's package: a pack scaffolded now
    # keeps grading when the engine behind autograder.pack and autograder.child.contract moves.
    folder, _ = pack
    engine = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in engine["contracts"] if c["id"] == "packs-use-the-api")
    forbidden = ", ".join(f'"{m}"' for m in contract["forbidden_modules"])
    (tmp_path / "contracts.toml").write_text(
        f'[tool.importlinter]\nroot_packages = ["autograder", "{ID}_pack"]\n\n[[tool.importlinter.contracts]]\n'
        f'name = "the course pack uses the API"\ntype = "forbidden"\nsource_modules = ["{ID}_pack"]\n'
        f'forbidden_modules = [{forbidden}]\nallow_indirect_imports = true\n')
    run = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo",
                          str(tmp_path / "contracts.toml")], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0 and "1 kept, 0 broken" in run.stdout, run.stdout + run.stderr
