"""A question in one place (docs/packs.md): docs/examples/hessian-gradient/ adds a sixth question to a copy of
the Hessian pack, a course's own pack on the Python path, with one new check file, its rubric rows and its
cell in the solved notebook; the handout is rebuilt from that notebook and the grader grades it."""

import json
import re
import shutil
import subprocess
import sys
import tomllib

import nbformat
import pytest

from conftest import ROOT, edited

EXAMPLE = ROOT / "docs" / "examples" / "hessian-gradient"
PACK = "hessian_plus"


def course_pack(site):
    """The Hessian pack copied as the course pack `hessian_plus`, registered by an entry point, the example added."""
    pack, sources = site / PACK, site / "sources"
    shutil.copytree(ROOT / "autograder" / "homeworks" / "hessian", pack, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "reference" / "hessian", sources)
    init = pack / "__init__.py"
    text = edited(init.read_text(), 'id="hessian"', f'id="{PACK}"')
    text = edited(text, '**checkout_sources("hessian"),',
                  f'master=Path({str(sources / "master.ipynb")!r}), solution=Path({str(sources / "solution.py")!r}),')
    init.write_text(edited(text, "from autograder.pack import", "from pathlib import Path\nfrom autograder.pack import"))
    meta = site / f"{PACK}-1.0.dist-info"
    meta.mkdir()
    (meta / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {PACK}\nVersion: 1.0\n")
    (meta / "entry_points.txt").write_text(f"[autograder.homeworks]\n{PACK} = {PACK}\n")
    # The example: its one file, its rubric rows, its solved cell.
    shutil.copy(EXAMPLE / "check_gradient.py", pack / "checks" / "check_gradient.py")
    rubric, rows = (pack / "rubric.toml").read_text(), (EXAMPLE / "rubric-rows.toml").read_text()
    points = tomllib.loads(rows)["parts"]["gradient"]
    total = tomllib.loads(rubric)["total"]
    rubric = edited(edited(edited(rubric, 'homework = "hessian"', f'homework = "{PACK}"'), f"total = {total}", f"total = {total + points}"), "[parts]\n",
                    f"[parts]\ngradient = {points}\n")
    (pack / "rubric.toml").write_text(rubric + "\n" + rows.split("[[check]]", 1)[1].join(["[[check]]", ""]))
    master = nbformat.read(sources / "master.ipynb", as_version=4)
    master.cells.append(nbformat.v4.new_code_cell((EXAMPLE / "solved-cell.py").read_text()))
    nbformat.write(master, sources / "master.ipynb")
    return pack, sources, total + points


def autograder(site, *args, ok=True):
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(site)}
    run = subprocess.run([sys.executable, "-m", "autograder", *args], cwd=site, env=env, capture_output=True,
                         text=True, timeout=900)
    assert (run.returncode == 0) == ok, run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = tmp_path_factory.mktemp("course")
    pack, sources, total = course_pack(site)
    autograder(site, "build", "handout", "--homework", PACK)
    return site, pack, sources, total


def test_the_declaration_is_the_whole_question_beside_its_rubric_rows(site):
    _, pack, sources, _ = site
    handout = json.loads((pack / "child" / "handout.json").read_text())
    assert list(handout["answers"])[-1] == "gradient"  # the task comes from the check file, not __init__.py
    assert "raise NotImplementedError" in handout["answers"]["gradient"]
    assert "def gradient(" in (sources / "solution.py").read_text()
    assert not (pack / "child" / "answers.py").read_text().count("gradient(")  # no child code of the pack


@pytest.mark.slow
def test_the_solved_notebook_gets_every_point_and_a_sum_for_the_mean_loses_the_question(site, tmp_path):
    site, pack, sources, total = site
    results = tmp_path / "right.json"
    autograder(site, "grade", str(sources / "solution.ipynb"), "--homework", PACK, "--results", str(results))
    right = json.loads(results.read_text())
    assert right["score"] == total
    assert {t["name"] for t in right["tests"] if "gradient on" in t["name"]} == {
        "gradient on the notebook's raw and centered data", "gradient on hidden random data and parameters"}
    nb = nbformat.read(sources / "solution.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "def gradient(" in c.source)
    cell.source = edited(cell.source, " / len(X)", "")
    nbformat.write(nb, tmp_path / "sum.ipynb")
    wrong_results = tmp_path / "sum.json"
    autograder(site, "grade", str(tmp_path / "sum.ipynb"), "--homework", PACK, "--results", str(wrong_results))
    wrong = json.loads(wrong_results.read_text())
    points = tomllib.loads((pack / "rubric.toml").read_text())["parts"]["gradient"]
    assert wrong["score"] == total - points
    public = next(t for t in wrong["tests"] if t["name"].startswith("gradient on the notebook"))
    assert "That is the sum over the samples: N times the gradient." in public["output"]
    assert re.search(r"gradient\(X,T,w,b\)", public["output"]), public["output"]
