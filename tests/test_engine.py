"""The engine on its own: what it knows of packs, what crosses the trust boundary, what a grading imports.

Fast: one grading of the hessian reference in a fresh process; everything else is in-process.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import catalog
import inprocess
from autograder.grading import checks, choose, questions
from autograder.course import downloads as course, report
from autograder import homework, rubric
from autograder.child.main import answer
from autograder.child import contract
from autograder.child.protocol import Question, Status
from autograder.errors import UsageError
from autograder.sandbox import kit
from conftest import HANG_SECONDS, NN2, REFERENCE_NOTEBOOK, ROOT, SHIPPED, SHIPPED_PACKS

PACKS = SHIPPED_PACKS


def test_both_packs_are_found_and_each_names_its_parts_kinds_and_checks():
    assert set(SHIPPED) == {"nn2", "hessian"} and set(SHIPPED) <= set(homework.ids())  # a course's own may be there too
    for hw in PACKS:
        r = rubric.load(hw)
        assert set(r.parts) == set(hw.parts) and set(hw.handout.ANSWERS) == set(hw.parts)
        assert set(hw.checks()) == {c.id for c in r.checks}
        asked, by_check = inprocess.asked(hw)
        assert {q.kind for q in asked} <= set(hw.gradings()) and set(by_check) == set(hw.checks())


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_a_notebook_is_detected_by_its_answers_and_other_files_are_refused(hw, tmp_path):
    assert choose.detect([hw.template]) is hw and choose.detect([hw.reference]) is hw
    other = tmp_path / "other.py"
    other.write_text("def train(model): pass\n")
    assert choose.detect([other]) is None and choose.detect([p.template for p in PACKS]) is None
    with pytest.raises(UsageError, match="pass --homework"):
        choose.choose(None, None, [other])


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_the_kit_holds_the_child_code_of_one_homework_and_nothing_of_the_grader(hw):
    folder = kit.build(hw.id)
    try:
        files = {p.relative_to(folder / "autograder").as_posix() for p in folder.rglob("*") if p.is_file()}
    finally:
        import shutil

        shutil.rmtree(folder)
    assert {f.split("/")[0] for f in files} == {"__init__.py", "child", "homeworks"}
    assert all(f.startswith(f"homeworks/{hw.id}/child/") or f.startswith("child/") or f.endswith("__init__.py")
               for f in files), files
    names = {Path(f).name for f in files}
    assert not names & {"oracle.py", "rubric.toml", "secret_seed", "checks.py", "grade.py", "expectations.py"}
    assert "child/main.py" in files and f"homeworks/{hw.id}/child/answers.py" in files


def test_unknown_kinds_raise_on_both_sides():
    hw = NN2
    r = rubric.load(hw)
    rogue = {**hw.checks()}
    first = r.checks[0].id
    rogue[first] = homework.CheckFn(first, None, "here", lambda asking: [Question("x/1", "Mix", "frob", {})])
    with pytest.raises(ValueError, match="unknown kind 'frob'"):
        questions.build(rogue, hw.gradings(), r, questions.Asking(r, None))
    with pytest.raises(KeyError):
        answer(contract.kinds_of(hw.module("child.kinds")), {}, {"id": "x/1", "kind": "frob", "inputs": {}})


def test_the_protocol_round_trips_statuses_and_repeats_keep_their_question():
    assert Status.of("ok") is Status.OK and Status.of("passed") is None
    q = Question("mix/initial", "Mix", "mix", {"W": [[1.0]]}, label="the net", hidden=False)
    again = q.again()
    assert again.id == "mix/initial/again" and again.repeat_of == q.id and again.wire()["inputs"] == q.inputs
    assert set(q.wire()) == {"id", "part", "kind", "long", "inputs"} and "net" not in repr(q)


@pytest.mark.parametrize("hw_id", ["hessian", pytest.param("nn2", marks=pytest.mark.slow)])
def test_a_grading_leaves_torch_and_the_student_code_out_of_the_grading_process(hw_id, tmp_path):
    """The parent cleans numbers; torch (and everything that runs student code) stays in the children."""
    hw = homework.load(hw_id)
    script = ("import sys, json; from autograder.grading import grade; "
              f"g = grade.main(submission={str(hw.reference.with_suffix('.ipynb'))!r}, "
              f"results_path={str(tmp_path / 'r.json')!r}, homework={hw_id!r}); "
              "print(json.dumps([g.score, sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'sklearn') "
              "or m.endswith('child.answers'))]))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=HANG_SECONDS)
    assert run.returncode == 0, run.stderr
    score, imported = json.loads(run.stdout.splitlines()[-1])
    assert score == rubric.load(hw).total and imported == []


def test_a_folder_course_and_its_sheet_without_grading(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ann.ipynb").write_bytes(REFERENCE_NOTEBOOK.read_bytes())
    (folder / "bo").mkdir()
    form, entries = course.load(folder, tmp_path / "work")
    assert form == "folder of submissions" and [e.student for e in entries] == ["ann", "bo"]
    assert entries[1].path is None and "holds no notebook" in entries[1].reason
    parts = list(rubric.load(NN2).parts)
    records = [{"student": "ann", "file": "ann", "name": "", "email": "", **{p: 1.0 for p in parts}, "total": 4.0,
                "status": "graded", "seconds": 1.0, "reason": ""},
               {"student": "bo", "file": "bo", "name": "", "email": "", **{p: 0.0 for p in parts}, "total": 0.0,
                "status": "no submission", "seconds": 0.0, "reason": "bo holds no notebook"}]
    report.write(tmp_path, records, form, 40.0, parts, NN2)
    with open(tmp_path / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["status"] for r in rows] == ["graded", "no submission"] and rows[1]["reason"] == "bo holds no notebook"
    assert "| no submission | 1 |" in (tmp_path / "summary.md").read_text()


def test_a_course_s_uploads_of_several_files_are_never_guessed_among(tmp_path):
    """Of several notebooks, one named as a handout's is graded; a zip without one goes whole to grading (which
    knows the homework's name, and says why when nothing can be picked); a folder without one gets the reason."""
    import zipfile

    folder, notebook = tmp_path / "in", REFERENCE_NOTEBOOK.read_bytes()
    for student, files in {"bo": ["a.ipynb", "b.ipynb"], "cy": ["draft.ipynb", f"{NN2.notebook}.ipynb"]}.items():
        (folder / student).mkdir(parents=True)
        for name in files:
            (folder / student / name).write_bytes(notebook)
    for student, files in {"ann": ["a.ipynb", "b.ipynb"], "dee": ["hw/mine.ipynb", "hw/utils.py"]}.items():
        with zipfile.ZipFile(folder / f"{student}.zip", "w") as z:
            for name in files:
                z.writestr(name, notebook)
    form, entries = course.load(folder, tmp_path / "work")
    ann, bo, cy, dee = entries
    assert (ann.path, ann.reason) == (folder / "ann.zip", "")
    handouts = " or ".join(f"{homework.load(h).notebook}.ipynb" for h in homework.ids())
    assert bo.path is None and bo.reason == (f"Your upload holds 2 notebooks (a.ipynb, b.ipynb) and none is named "
                                             f"{handouts}: upload only your homework notebook")
    assert cy.path.name == f"{NN2.notebook}.ipynb" and cy.notes == [
        f"Your upload has 2 files; the notebook {NN2.notebook}.ipynb was graded, as it has the handout's name "
        "(also uploaded: draft.ipynb)."]
    assert dee.path.name == "mine.ipynb" and dee.notes == [
        "The notebook hw/mine.ipynb in your zip dee.zip was graded (also in the zip: hw/utils.py)."]
    # bo's copy tells bo what was found and what to upload, not that nothing was found
    from autograder.course import batch

    told = batch.without_grading(bo, "none:bo", batch.Job(NN2, rubric.load(NN2), None, None, tmp_path))
    assert told.status == "unreadable" and told.data["output"] == bo.reason + "."
    assert "No notebook" not in json.dumps(told.data)


def test_catalog_headers_name_only_their_homeworks_parts():
    for hw in PACKS:
        for kind in ("correct", "wrong"):
            for entry in catalog.entries(kind, hw):
                assert entry.loses <= set(hw.parts)


def _code_words(path: Path) -> set[str]:
    """Identifiers and words of string constants in a module, docstrings left out (they may give examples)."""
    import ast
    import re
    tree = ast.parse(path.read_text())
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", node.value))
    return words


def test_the_engine_names_no_homework_and_none_of_its_parts():
    engine = [p for p in (ROOT / "autograder").rglob("*.py") if "homeworks" not in p.parts]
    for pack in PACKS:
        names = {pack.id, *pack.parts}
        for path in engine:
            found = _code_words(path) & names
            assert not found, f"{path.relative_to(ROOT)} names {sorted(found)} of the pack {pack.id}"
