"""The student bundle: nothing in it to copy, and its self-check speaks exactly as the grader's public checks."""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import numpy as np
import pytest

import catalog
import inprocess
from autograder.grading import checks, expectations
from autograder.feedback import sentences as feedback
from autograder import rubric
from autograder.sandbox import kit
from conftest import HANG_SECONDS, NN2, REFERENCE_NOTEBOOK, ROOT, edited

FORMULA = re.compile(r"\*\*|sum\(|abs\(|norm\(|sqrt\(|@|sign\(|maximum\(|\.grad\(|\*")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student")
    zip_path = folder / "neural_networks_2_student.zip"
    run = subprocess.run([sys.executable, "-m", "autograder", "build", "student", "--homework", "nn2",
                          "--out", str(zip_path)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    unpacked = folder / "unpacked"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(unpacked)
    return unpacked


def in_bundle(bundle: Path, *args: str, lacks: str = "", site: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run the bundle's own package as a student would, with no installed autograder to fall back on.
    `lacks` simulates a system without the POSIX layers (AUTOGRADER_HOST_LACKS, "all": as on Windows)."""
    boot = ("import sys, json; sys.path[:0] = [sys.argv[1], *json.loads(sys.argv[2])]; "
            "from autograder.cli import main; raise SystemExit(main(sys.argv[3:]))")
    env = {**os.environ, "AUTOGRADER_HOST_LACKS": lacks}
    return subprocess.run([sys.executable, "-I", "-S", "-c", boot, str(bundle), json.dumps(site or kit.site_dirs()),
                           *args], cwd=bundle, capture_output=True, text=True, timeout=HANG_SECONDS, env=env)


def distinctive_lines(path: Path, exclude: str = "") -> set[str]:
    """Lines of a source that compute a formula (norms, sums, products), not found in `exclude` (the handout)."""
    source = path.read_text()
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            docstrings.update(l.strip() for l in node.value.value.splitlines())
    lines = set()
    for line in source.splitlines():
        s = line.split("#")[0].strip()
        if len(s) >= 12 and not s.startswith(("import ", "from ", "def ", "class ", "return [", '"""', "@")) \
                and s not in docstrings and s not in exclude and FORMULA.search(s):
            lines.add(s)
    return lines


def bundle_texts(bundle: Path) -> dict[Path, str]:
    return {p: p.read_text(errors="replace") for p in bundle.rglob("*") if p.is_file() and p.suffix != ".npz"}


def grader_only_lines(hw) -> set[str]:
    """Formula lines of the check files' @grader_only functions: their expected values and named mistakes."""
    from autograder.student.bundle import is_grader_only

    lines = set()
    for path in hw.checks_folder.glob("*.py"):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if is_grader_only(node):
                body = "\n".join(source.splitlines()[node.body[0].lineno - 1: node.end_lineno])
                lines |= {l.split("#")[0].strip() for l in body.splitlines()
                          if FORMULA.search(l) and len(l.split("#")[0].strip()) >= 12}
    return lines


def test_the_bundle_holds_no_solution_no_oracle_no_mistakes_and_no_seed(bundle):
    texts = bundle_texts(bundle)
    handout_text = "\n".join(src for _, src in NN2.handout.cells())
    secrets = {
        "reference solution": distinctive_lines(NN2.reference, exclude=handout_text),
        "oracle": distinctive_lines(NN2.folder / "oracle.py"),
        "grader-only functions of the checks": grader_only_lines(NN2),
    }
    assert all(len(lines) >= 5 for lines in secrets.values())
    for what, lines in secrets.items():
        for path, text in texts.items():
            leaked = [l for l in lines if l in text]
            assert not leaked, f"{path.name} contains the {what}: {leaked[:3]}"
    names = {p.name for p in bundle.rglob("*")}
    assert not names & {"oracle.py", "mutants.py", "equivalence.py", "solution.py", "solution.ipynb", "secret_seed",
                        "grade.py", "rubric.toml", "gradescope", "batch.py"}
    assert {p.name for p in (bundle / "autograder" / "homeworks").iterdir() if p.is_dir()} == {"nn2"}
    local_seed = rubric.load(NN2).seed_file
    if local_seed.exists():
        seed = local_seed.read_text().strip()
        assert not any(seed in text for text in texts.values())


@pytest.mark.parametrize("version", ["3.10", "3.12", "3.13"])
def test_the_bundle_code_compiles_with_the_pythons_students_have(version, bundle):
    found = sorted(Path("/root/.pyenv/versions").glob(f"{version}.*/bin/python{version}"))
    if not found:
        pytest.skip(f"no Python {version} on this machine")
    for path in bundle.rglob("*.py"):
        run = subprocess.run([str(found[-1]), "-m", "py_compile", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr


def public_of(hw):
    r = rubric.load(hw)
    asked, _ = inprocess.asked(hw, seed=False)
    kinds = hw.gradings()
    return r, [q for q in asked if kinds[q.kind].value]


def test_the_stored_public_expectations_are_the_oracles_values(bundle):
    r, public = public_of(NN2)
    numbers = json.loads((bundle / "autograder" / "homeworks" / "nn2" / "data" / "public_expected.json").read_text())
    stored, computed = expectations.Stored(NN2, r, numbers), expectations.Computed(NN2, r)
    assert {q.id for q in public} == set(stored.stored)
    for q in public:
        assert np.array_equal(stored.value(q), computed.value(q))
        if q.kind == "reg":
            assert (stored.gradient(q) == computed.gradient(q)).all()
        if q.repeat_of:
            continue
        # Each mistake's number opens the same sentence the grader gives for it, and the right value none.
        for _, value in computed.alternatives(q):
            if np.isfinite(value) and not np.isclose(value, computed.value(q), rtol=1e-3):
                assert stored.mistakes(q, value * (1 + 3e-5)) == computed.mistakes(q, value)[:1], q.id
        assert stored.mistakes(q, computed.value(q)) == []


def test_no_named_mistake_can_be_read_in_the_bundle(bundle):
    r, public = public_of(NN2)
    computed = expectations.Computed(NN2, r)
    sentences = {s for q in public for s, _ in computed.alternatives(q)}
    assert len(sentences) >= 20
    texts = bundle_texts(bundle)
    for sentence in sentences:
        for fragment in (sentence, sentence[:40]):
            leaked = [p.name for p, text in texts.items() if fragment in text]
            assert not leaked, f"{fragment!r} is readable in {leaked}"


def test_the_grading_verb_is_not_in_the_bundle(bundle):
    run = in_bundle(bundle, "grade", "neural_networks_2.ipynb")
    assert run.returncode == 2 and "not available here" in run.stderr


@pytest.mark.slow
def test_the_reference_passes_and_the_handout_fails_the_same_way_with_and_without_the_posix_layers(bundle):
    """As on Windows (AUTOGRADER_HOST_LACKS=all: no resource, pwd or fcntl for this package, no sessions,
    the channel on the child's stdout, reader threads instead of select()): the same outcomes, word for word."""
    shutil.copy(REFERENCE_NOTEBOOK, bundle / "solution_copy.ipynb")
    r = rubric.load(NN2)
    public = r.public_points()
    seen = {}
    for lacks in ("", "all"):
        run = in_bundle(bundle, "check", "solution_copy.ipynb", "--json", f"reference{lacks}.json", lacks=lacks)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Every public check passes." in run.stdout and "Traceback" not in run.stderr
        assert f"{public:g} / {public:g}" in run.stdout and f"Hidden checks ({r.total - public:g} points" in run.stdout
        run = in_bundle(bundle, "check", "neural_networks_2.ipynb", "--json", f"handout{lacks}.json", lacks=lacks)
        assert run.returncode == 1
        outcomes = json.loads((bundle / f"handout{lacks}.json").read_text())
        assert outcomes and all("not implemented yet" in o["output"] for o in outcomes.values())
        seen[lacks] = [json.loads((bundle / f"{name}{lacks}.json").read_text()) for name in ("reference", "handout")]
    assert seen[""] == seen["all"]


@pytest.mark.slow
def test_a_child_that_reserves_3_gb_at_start_up_still_answers_in_the_self_check(bundle, tmp_path):
    """A CUDA build of torch maps about 3 GB of address space when it loads. The self-check sets no
    address-space limit; the grader's 1400 MB still holds (the same definition fails there)."""
    from autograder.grading import grade

    answers = {"Mix": "import mmap\n\nclass Reserve:  # runs while the notebook loads\n"
                      "    space = mmap.mmap(-1, 3 * 1024 ** 3)\n\n" + catalog.reference_answers()["Mix"]}
    (bundle / "reserve.ipynb").write_text(catalog.notebook_text(answers))
    run = in_bundle(bundle, "check", "reserve.ipynb", "--json", "reserve.json")
    outcomes = json.loads((bundle / "reserve.json").read_text())
    mix = [o for o in outcomes.values() if o["number"].startswith("1.")]
    assert mix and all(o["passed"] for o in mix), run.stdout
    assert "MemoryError" not in run.stdout and "Reserve" not in run.stdout
    graded = grade.main(submission=bundle / "reserve.ipynb", results_path=tmp_path / "r.json", homework=NN2)
    assert "MemoryError" in graded.data["output"] or "Cannot allocate memory" in graded.data["output"]


@pytest.mark.slow
def test_a_computer_whose_torch_cannot_load_is_told_so_with_exit_2_and_the_fix(bundle, tmp_path):
    """What a CUDA torch under an address-space limit printed ("failed to map segment"), from a torch
    that cannot load: the computer's problem, said as such, never the notebook's."""
    fake = tmp_path / "broken" / "site-packages"
    (fake / "torch").mkdir(parents=True)
    (fake / "torch" / "__init__.py").write_text(
        'raise ImportError("libtorch_cpu.so: failed to map segment from shared object")\n')
    shutil.copy(REFERENCE_NOTEBOOK, bundle / "solution_copy.ipynb")
    run = in_bundle(bundle, "check", "solution_copy.ipynb", site=[str(fake), *kit.site_dirs()])
    assert run.returncode == 2, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert lines[0].startswith("autograder: the self-check could not start torch on this computer (ImportError: "
                               "libtorch_cpu.so: failed to map segment from shared object)")
    assert "pip install torch --index-url https://download.pytorch.org/whl/cpu" in lines[0]
    assert "could not be loaded" not in run.stdout + run.stderr


@pytest.mark.parametrize("case", ["not json", "empty", "other homework", "missing"])
def test_bad_input_to_the_bundle_is_one_line_and_exit_2(bundle, case):
    files = {"not json": b"{ this is not json", "empty": b"",
             "other homework": (HESSIAN.reference.with_suffix(".ipynb")).read_bytes()}
    name = f"case_{case.replace(' ', '_')}.ipynb"
    if case in files:
        (bundle / name).write_bytes(files[case])
    run = in_bundle(bundle, "check", name)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"autograder: ") and name in lines[0], run.stderr
    if case == "other homework":
        assert "defines none of Mix, Grad, FrobClassifier, MixClassifier" in lines[0]


def test_no_module_of_the_bundle_imports_at_its_top_what_windows_lacks(bundle, hessian_bundle):
    """Checked by parsing: an import at a module's top level (not in a function) of a module Windows has not."""
    from autograder.child.simulated import POSIX_ONLY

    for folder in (bundle, hessian_bundle):
        modules = list((folder / "autograder").rglob("*.py"))
        assert len(modules) > 20
        for path in modules:
            tree = ast.parse(path.read_text())
            for node in tree.body:
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
                bad = [n for n in names if n.split(".")[0] in POSIX_ONLY]
                assert not bad, f"{path.relative_to(folder)} imports {bad} at its top level"


@pytest.mark.slow
def test_a_wrong_mix_leaves_the_mix_training_not_checked_here_never_passed(bundle, grade_once, catalog_notebook):
    """The bundle has no ||W||_Mix of its own: with a wrong Mix it says so, where it once passed on the
    accuracy bands alone (whatever the grader then found); the summary counts it apart, as not passed."""
    notebook = catalog_notebook(next(e for e in catalog.entries("wrong") if e.path.stem == "mix_missing_square"))
    shutil.copy(notebook, bundle / notebook.name)
    run = in_bundle(bundle, "check", notebook.name, "--json", "missing_square.json")
    assert run.returncode == 1
    mine = json.loads((bundle / "missing_square.json").read_text())
    graded = {t["number"]: t for t in grade_once(notebook).data["tests"]}
    training = mine["mixc_training"]
    assert training["status"] == "not checked" and not training["passed"]
    assert training["output"].startswith("Not checked here: fix Mix first. The grader checks ||W||_Mix")
    r = rubric.load(NN2)
    points = r.check("mixc_training").points
    assert f"Not checked here: 1 check ({points:g} points), counted as not passed: [{training['number']}]." in run.stdout
    for check_id, outcome in mine.items():
        if outcome["status"] != "not checked":
            assert outcome["passed"] == (graded[outcome["number"]]["status"] == "passed"), check_id


def reference_cells(hw=NN2) -> list[str]:
    """The solved notebook's code cells as a kernel runs them, without its self-check cell."""
    nb = nbformat.read(hw.reference.with_suffix(".ipynb"), as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and "selfcheck" not in c.source]


@pytest.mark.slow
def test_the_notebook_cell_checks_the_cells_the_kernel_ran_in_children(capsys):
    """In IPython, `In` holds every cell the kernel ran: they are checked in children, trainings side by
    side, each verdict printed as it comes and the trainings' progress redrawn in place."""
    from autograder.student import check as selfcheck

    namespace = {"In": ["", *reference_cells(), "from autograder import selfcheck\nselfcheck.check()"]}
    assert selfcheck.check(namespace) is True
    out = capsys.readouterr().out
    assert "Every public check passes." in out
    assert re.search(r"\r  training [^\r]*FrobClassifier: [0-9,]+ of 10,000 steps", out)
    verdicts = re.findall(r"^  passed   \[([0-9.]+)\]", out.replace("\r", "\n"), flags=re.M)
    public = [c for c in rubric.load(NN2).checks if c.is_public]
    cheap = [c.number for c in public if "_training" not in c.id]
    assert verdicts[:len(cheap)] == cheap  # in the rubric's order, before any training's (each as it ends)
    assert sorted(verdicts[len(cheap):]) == sorted(c.number for c in public if "_training" in c.id)


@pytest.mark.slow
def test_check_with_a_part_name_runs_that_parts_public_checks_only(capsys):
    from autograder.student import check as selfcheck

    namespace = {"In": ["", *reference_cells()]}
    assert selfcheck.check("Mix", namespace) is True
    out = capsys.readouterr().out
    mix = [c.number for c in rubric.load(NN2).checks if c.part == "Mix" and c.is_public]
    assert re.findall(r"^  passed   \[([0-9.]+)\]", out, flags=re.M) == mix
    assert selfcheck.check("Mixx", namespace) is False
    assert "Mixx: no such part of Neural Networks 2; the parts are: Mix, Grad, FrobClassifier, MixClassifier." \
        in capsys.readouterr().out


@pytest.mark.slow
def test_outside_ipython_the_notebook_cell_checks_the_kernels_own_definitions(capsys):
    """Without a cell history (plain Python), the namespace's own definitions answer, in this process."""
    namespace: dict = {}
    sys.path.insert(0, str(NN2.reference.parent))
    try:
        for source in reference_cells():
            if "fit(" in source and "def " not in source:
                continue
            if "ensemble" in source:  # the baselines cell: its definition, not its three fits
                source = "def pretty" + source.split("def pretty", 1)[1]
            exec(source, namespace)
    finally:
        sys.path.remove(str(NN2.reference.parent))
    from autograder.student import check as selfcheck

    assert selfcheck.check(namespace) is True
    assert "Every public check passes." in capsys.readouterr().out


@pytest.mark.slow
def test_a_bundle_built_with_the_instructors_rubric_checks_with_its_points_limits_and_lambdas(tmp_path):
    """The README's way: copy the rubric, edit it, pass it to both builds; the self-check then agrees with
    Gradescope. Here MixClassifier's lambda is changed, so the reference's own penalty must fail."""
    text = NN2.rubric_path.read_text()
    edits = [("mix_lambda = 0.025", "mix_lambda = 0.03"), ("call_seconds = 30", "call_seconds = 20")]
    for old, new in edits:
        text = edited(text, old, new)
    rows = text.split("[[check]]")
    for i, row in enumerate(rows):
        if 'id = "grad_single_rows"' in row:
            rows[i] = edited(row, 'visibility = "visible"', 'visibility = "after_due_date"')
    custom = tmp_path / "my_rubric.toml"
    custom.write_text("[[check]]".join(rows))
    mine = rubric.load(NN2, custom)
    zip_path = tmp_path / "bundle.zip"
    run = subprocess.run([sys.executable, "-m", "autograder", "build", "student", "--out", str(zip_path),
                          "--rubric", str(custom)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(unpacked)
    shipped = rubric.load(NN2, unpacked / "autograder" / "homeworks" / "nn2" / "rubric.json")
    assert shipped.checks == mine.checks and shipped.tables.penalty.mix_lambda == 0.03
    assert shipped.call_seconds == 20
    numbers = json.loads((unpacked / "autograder" / "homeworks" / "nn2" / "data" / "public_expected.json").read_text())
    assert numbers == json.loads(json.dumps(expectations.public_numbers(NN2, mine)))
    shutil.copy(REFERENCE_NOTEBOOK, unpacked / "solution_copy.ipynb")
    run = in_bundle(unpacked, "check", "solution_copy.ipynb", "--json", "out.json")
    assert run.returncode == 1
    outcomes = json.loads((unpacked / "out.json").read_text())
    factor = f"Your value is {feedback.number(0.025 / 0.03)} times the expected one on every network asked"
    assert not outcomes["mixc_reg_value"]["passed"] and factor in outcomes["mixc_reg_value"]["output"]
    assert "grad_single_rows" not in outcomes  # hidden by this rubric: not a public check any more
    public = sum(c.points for c in mine.checks if c.is_public)
    assert f"(public checks; {mine.total:g} points in all)" in run.stdout
    assert f"Hidden checks ({mine.total - public:g} points" in run.stdout


# ----------------------------------------------------------------------------- every homework's bundle

HESSIAN = __import__("autograder.homework", fromlist=["load"]).load("hessian")


@pytest.fixture(scope="module")
def hessian_bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hessian-student")
    run = subprocess.run([sys.executable, "-m", "autograder", "build", "student", "--homework", "hessian",
                          "--out", str(folder / "hessian_student.zip")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(folder / "hessian_student.zip") as z:
        z.extractall(folder / "unpacked")
    return folder / "unpacked"


def test_the_hessian_bundle_holds_its_pack_only_and_no_secret(hessian_bundle):
    texts = bundle_texts(hessian_bundle)
    handout_text = "\n".join(src for _, src in HESSIAN.handout.cells())
    secrets = {"reference solution": distinctive_lines(HESSIAN.reference, exclude=handout_text),
               "oracle": distinctive_lines(HESSIAN.folder / "oracle.py"),
               "grader-only functions of the checks": grader_only_lines(HESSIAN)}
    assert all(len(lines) >= 5 for lines in secrets.values())
    for what, lines in secrets.items():
        for path, text in texts.items():
            assert not [l for l in lines if l in text], f"{path.name} contains the {what}"
    assert {p.name for p in (hessian_bundle / "autograder" / "homeworks").iterdir() if p.is_dir()} == {"hessian"}
    r, public = public_of(HESSIAN)
    sentences = {s for q in public for s, _ in expectations.Computed(HESSIAN, r).alternatives(q)}
    assert len(sentences) >= 15 and not [s for s in sentences for t in texts.values() if s[:40] in t]


@pytest.mark.slow
def test_the_hessian_self_check_passes_the_reference_and_gives_the_graders_public_messages(
        hessian_bundle, grade_once, catalog_notebook):
    shutil.copy(HESSIAN.reference.with_suffix(".ipynb"), hessian_bundle / "solution_copy.ipynb")
    run = in_bundle(hessian_bundle, "check", "solution_copy.ipynb")
    assert run.returncode == 0 and "Every public check passes." in run.stdout, run.stdout + run.stderr
    run = in_bundle(hessian_bundle, "check", "hessian.ipynb", "--json", "handout.json")
    assert run.returncode == 1 and all("not implemented yet" in o["output"]
                                       for o in json.loads((hessian_bundle / "handout.json").read_text()).values())
    for name in ("hessian_covariance", "descent_values_after_update", "predicted_ratio_of_norms"):
        notebook = catalog_notebook(next(e for e in catalog.entries("wrong", HESSIAN) if e.path.stem == name))
        shutil.copy(notebook, hessian_bundle / notebook.name)
        run = in_bundle(hessian_bundle, "check", notebook.name, "--json", f"{name}.json")
        mine = json.loads((hessian_bundle / f"{name}.json").read_text())
        graded = {t["number"]: t for t in grade_once(notebook, hw=HESSIAN).data["tests"] if t["visibility"] == "visible"}
        for outcome in mine.values():
            theirs = graded[outcome["number"]]
            assert outcome["passed"] == (theirs["status"] == "passed")
            assert outcome["output"] == theirs["output"], name


def test_a_bundle_built_with_hints_fix_opens_the_same_words_as_the_grader(tmp_path):
    """[feedback] hints reaches the bundle: its sealed sentences are written at the rubric's level."""
    text = NN2.rubric_path.read_text()
    custom = tmp_path / "fix.toml"
    custom.write_text(edited(text, 'hints = "name"', 'hints = "fix"'))
    zip_path = tmp_path / "bundle.zip"
    run = subprocess.run([sys.executable, "-m", "autograder", "build", "student", "--out", str(zip_path),
                          "--rubric", str(custom)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(zip_path) as z:
        numbers = json.loads(z.read("autograder/homeworks/nn2/data/public_expected.json"))
        shipped = json.loads(z.read("autograder/homeworks/nn2/rubric.json"))
    assert shipped["feedback"] == {"hints": "fix"}
    mine = rubric.load(NN2, custom)
    stored, computed = expectations.Stored(NN2, mine, numbers), expectations.Computed(NN2, mine)
    question = next(q for q in public_of(NN2)[1] if q.id == "mix/initial")
    (sentence, value), *_ = computed.alternatives(question)
    assert "dim=0 of the weight" in sentence  # the fix, after the name
    assert stored.mistakes(question, value) == [sentence]


@pytest.mark.slow
def test_the_self_check_names_a_look_alike_letter_as_the_grader_does(tmp_path):
    import io

    from autograder.student import check as selfcheck

    alike = "M\N{CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I}x"
    answers = catalog.reference_answers()
    answers["Mix"] = edited(answers["Mix"], "def Mix(nn):", f"def {alike}(nn):")
    path = tmp_path / "lookalike.ipynb"
    path.write_text(catalog.notebook_text(answers))
    cell = next(i for i, c in enumerate(nbformat.read(path, as_version=4).cells, start=1) if f"def {alike}" in c.source)
    out = io.StringIO()
    assert selfcheck.main(notebook=path, parts=["Mix"], out=out) == 1
    assert (f"No `Mix` was found in your notebook. `{alike}` in cell {cell} is not `Mix`: its second letter is U+0456 "
            "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, not i; type the name on your keyboard.") in out.getvalue()
