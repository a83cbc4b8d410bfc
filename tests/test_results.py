"""results.json and the CLI: the Gradescope format, the per-part table, and a file even when the grader fails."""

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import zipfile

import pytest

from autograder.course import downloads as course, report
from autograder.grading import grade, questions, results, table
from autograder import homework, rubric
from autograder.feedback import markdown
from autograder.grading import expectations
from conftest import HANG_SECONDS, NN2, REFERENCE_NOTEBOOK, ROOT, TOTAL, validate_results


def test_an_entry_fails_with_zero_points_when_the_check_failed():
    meta = {"weight": 2.5, "number": "3.4", "visibility": "visible", "tags": ["FrobClassifier"]}
    passed = results.entry("training", meta, True, "")
    failed = results.entry("training", meta, False, "why")
    assert (passed["score"], passed["status"]) == (2.5, "passed")
    assert (failed["score"], failed["status"], failed["output"]) == (0.0, "failed", "why")
    data = results.results([passed, failed], "summary", 1.234)
    assert data["score"] == 2.5 and data["execution_time"] == 1.23
    validate_results(data)


def test_the_results_file_is_replaced_atomically(tmp_path):
    path = tmp_path / "out" / "results.json"
    results.write_atomically({"a": 1}, path)
    results.write_atomically({"a": 2}, path)
    assert json.loads(path.read_text()) == {"a": 2}
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]


@pytest.mark.slow
def test_a_failure_inside_one_check_is_a_grader_fault_scoring_only_that_check(monkeypatch, tmp_path):
    def broken(*args):
        raise ZeroDivisionError("grader bug")

    monkeypatch.setattr(expectations.Computed, "figures", broken)  # (part, answer) -> raises
    graded = grade.main(submission=REFERENCE_NOTEBOOK, results_path=tmp_path / "r.json")
    validate_results(json.loads((tmp_path / "r.json").read_text()))
    failed = [t for t in graded.data["tests"] if t["status"] == "failed"]
    assert {t["number"] for t in failed} == {c.number for c in rubric.load(NN2).checks if c.id.endswith("_training")}
    assert all(t["output"].startswith("The grader could not run this check") for t in failed)
    assert "grader bug" not in json.dumps(graded.data)  # tracebacks go to the instructor, not the student
    assert len(graded.grader_errors) == 2 and "ZeroDivisionError" in graded.grader_errors[0]


def test_a_crash_of_the_grader_still_writes_a_valid_results_file(monkeypatch, tmp_path):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(questions, "build", broken)
    path = tmp_path / "results.json"
    graded = grade.main(submission=REFERENCE_NOTEBOOK, results_path=path)
    data = json.loads(path.read_text())
    validate_results(data)
    assert data["score"] == 0 and "The grader failed" in data["output"] and graded.status == "grader error"
    assert "notified" not in data["output"] and "The reason is in the grader's error output." in data["output"]
    assert len(data["tests"]) == len(rubric.load(NN2).checks)
    assert "boom" in graded.grader_errors[0] and "boom" not in json.dumps(data)


@pytest.mark.parametrize("content, what", [
    (b"this is not json", "The upload is not a Jupyter notebook: it is not valid JSON (line 1, column 1"),
    (b"%PDF-1.5\n", "The upload is not a Jupyter notebook: it starts with '%PDF' and holds a PDF document."),
    (b"", "The upload is not a Jupyter notebook: it holds nothing (the file is empty)."),
])
def test_an_unreadable_submission_is_unreadable_with_0_and_what_the_file_is(tmp_path, content, what):
    bad = tmp_path / "homework.ipynb"
    bad.write_bytes(content)
    local = grade.main(submission=bad, results_path=tmp_path / "r.json", homework="nn2")
    validate_results(local.data)
    assert (local.score, local.status) == (0, "unreadable") and local.data["output"].startswith(what)
    assert "Upload the .ipynb" not in local.data["output"]  # off Gradescope there is nowhere to upload
    assert all(t["output"] == grade.NOT_READ for t in local.data["tests"])
    on_gradescope = grade.main(submission=bad, results_path=tmp_path / "g.json", venue="gradescope", homework="nn2")
    assert on_gradescope.data["output_format"] == "md"
    assert markdown.to_plain(on_gradescope.data["output"]).endswith("Upload the .ipynb file saved by Jupyter (File > Download) "
                                                 "and submit again.")


@pytest.mark.parametrize("upload, status", [("a PDF", grade.UNREADABLE), ("hessian", grade.WRONG_HOMEWORK)])
def test_a_check_not_graded_sends_the_reader_to_the_notes_wherever_they_are_shown(tmp_path, upload, status):
    """Gradescope shows the notes on the whole submission above the checks, the CLI's table and the Markdown
    copies below them: a check that was not graded points to the notes and names no place."""
    path = tmp_path / "hw.ipynb"
    path.write_bytes(b"%PDF-1.5\n" if upload == "a PDF" else homework.load(upload).template.read_bytes())
    graded = grade.main(submission=path, results_path=tmp_path / "r.json", homework="nn2")
    assert graded.status == status and graded.data["output"]
    for where in (table.render(graded), report.feedback_markdown(course.Entry("ann"), graded.data, status)):
        assert graded.data["output"] in where
    for t in graded.data["tests"]:
        assert "the submission's notes say" in t["output"]
        assert not re.search(r"\b(top|bottom|above|below)\b", t["output"]), t["output"]


def cli(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=HANG_SECONDS, env=env)


@pytest.mark.slow
def test_the_machine_s_pytest_settings_never_reach_the_checks(tmp_path):
    """A user's PYTEST_ADDOPTS (a junit file nobody may write, stop at the first failure) and plugins: the
    grading is the same, and no grader error."""
    env = {**os.environ, "PYTEST_ADDOPTS": f"--junitxml={tmp_path}/no/such/folder/x.xml -x --maxfail=1",
           "PYTEST_PLUGINS": "no_such_plugin_module"}
    (tmp_path / "no").write_text("a file, so that no folder can be made below it")
    run = cli("grade", str(NN2.template), "--results", "r.json", "--meta", "m.json", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    meta = json.loads((tmp_path / "m.json").read_text())
    assert (meta["status"], meta["grader_errors"]) == ("graded", 0)
    data = json.loads((tmp_path / "r.json").read_text())
    assert len(data["tests"]) == len(rubric.load(NN2).checks) and "not implemented yet" in data["tests"][0]["output"]


@pytest.mark.slow
def test_the_cli_grades_the_reference_prints_the_table_and_writes_results_json(tmp_path):
    run = cli("grade", str(REFERENCE_NOTEBOOK), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any(l.split() == ["Mix", "12.5", "/", "12.5"] for l in lines)
    assert any(l.split() == ["Total", "40", "/", "40"] for l in lines)
    validate_results(json.loads((tmp_path / "results.json").read_text()))


def test_the_cli_exits_0_for_a_zero_score_and_2_for_a_broken_rubric(tmp_path):
    bad = tmp_path / "empty.py"
    bad.write_text("")
    run = cli("grade", str(bad), "--results", "out.json", "--homework", "nn2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert any(l.split() == ["Total", "0", "/", f"{TOTAL:g}"] for l in run.stdout.splitlines())
    rubric_file = tmp_path / "rubric.toml"
    rubric_file.write_text("total = 40\n")
    run = cli("grade", str(bad), "--rubric", str(rubric_file), cwd=tmp_path)
    assert run.returncode == 2 and "names no homework" in run.stderr and "--homework" in run.stderr
    run = cli("grade", str(bad), "--rubric", str(rubric_file), "--homework", "nn2", cwd=tmp_path)
    assert run.returncode == 2 and "missing table [parts]" in run.stderr


def zipped(path, files: dict):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("files, what", [
    ({"a.ipynb": REFERENCE_NOTEBOOK.read_bytes(), "b.ipynb": NN2.template.read_bytes()},
     f"The zip upload.zip holds 2 notebooks (a.ipynb, b.ipynb) and none is named {NN2.notebook}.ipynb: zip only "
     "your homework notebook, or upload the notebook itself."),
    ({"hw/neural_networks_2.ipynb": b"{}", "old/neural_networks_2.ipynb": b"{}"},
     "The zip upload.zip holds 2 notebooks (hw/neural_networks_2.ipynb, old/neural_networks_2.ipynb) and 2 are "
     f"named {NN2.notebook}.ipynb: zip only your homework notebook, or upload the notebook itself."),
    ({"report.pdf": b"%PDF-1.7", "__MACOSX/._report.pdf": b"", "data/x.csv": b"1,2"},
     "The zip upload.zip holds no notebook (.ipynb) or Python file (.py) (it holds: data/x.csv, report.pdf): zip "
     f"your homework notebook, {NN2.notebook}.ipynb, or upload it itself."),
    (None, "The zip upload.zip could not be unpacked (it is not a readable zip, or unpacked it is over 50 MB or 500 "
           "files): upload the notebook itself."),
])
def test_a_zip_without_one_file_to_grade_is_unreadable_and_says_what_it_holds(tmp_path, files, what):
    """Nothing is guessed: graded, the wrong file of a zip would give or take points for work that is not the homework."""
    upload = zipped(tmp_path / "upload.zip", files) if files is not None else tmp_path / "upload.zip"
    if files is None:
        upload.write_bytes(b"PK\x03\x04 cut off")
    graded = grade.main(submission=upload, results_path=tmp_path / "r.json", homework="nn2")
    assert (graded.score, graded.status) == (0, "unreadable") and graded.data["output"] == what
    unknown = grade.main(submission=upload, results_path=tmp_path / "u.json")  # any handout's name may pick
    found = lambda text: re.split(r" and |: ", text)[0]  # what the zip holds, before which names were looked for
    assert (unknown.score, unknown.status) == (0, "unreadable") and found(unknown.data["output"]) == found(what)
    run = cli("grade", str(upload), "--results", "out.json", "--homework", "nn2", cwd=tmp_path)
    assert run.returncode == 0 and what in run.stdout, run.stderr


def test_a_zip_is_unpacked_in_a_private_folder_that_is_removed(tmp_path, monkeypatch):
    from autograder.grading import archives

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    seen = []
    real = archives.extract
    monkeypatch.setattr(archives, "extract", lambda archive, dest, *a: seen.append(dest.parent.stat().st_mode) or
                        real(archive, dest, *a))
    upload = zipped(tmp_path / "upload.zip", {"a.ipynb": b"{}", "b.ipynb": b"{}"})
    grade.main(submission=upload, results_path=tmp_path / "r.json", homework="nn2")
    assert [stat.S_IMODE(mode) for mode in seen] == [0o700]
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.slow
def test_the_one_notebook_of_a_zip_is_graded_with_a_note_as_the_file_itself(grade_once, catalog_notebook, tmp_path):
    import catalog

    junk = {"__MACOSX/hw/._x.ipynb": b"\x00\x05", "hw/.ipynb_checkpoints/x-checkpoint.ipynb": NN2.template.read_bytes(),
            "hw/utils.py": b"X = 1\n", "hw/__pycache__/utils.cpython-311.pyc": b"\x00"}
    reference = zipped(tmp_path / "reference.zip", {"hw/solution.ipynb": REFERENCE_NOTEBOOK.read_bytes(), **junk})
    graded = grade_once(reference)
    assert graded.score == TOTAL
    assert ("The notebook hw/solution.ipynb in your zip reference.zip was graded (also in the zip: hw/utils.py)."
            in graded.data["output"])
    named = zipped(tmp_path / "named.zip", {"draft.ipynb": NN2.template.read_bytes(),
                                            f"{NN2.notebook}.ipynb": REFERENCE_NOTEBOOK.read_bytes()})
    assert grade_once(named).score == TOTAL  # the handout's name decides, not the order
    entry = next(e for e in catalog.entries("wrong") if e.path.stem == "grad_norm_of_mean")
    twin = grade_once(catalog_notebook(entry))
    wrong = grade_once(zipped(tmp_path / "wrong.zip", {"wrong.ipynb": catalog_notebook(entry).read_bytes()}))
    assert wrong.score == twin.score < TOTAL and wrong.data["tests"] == twin.data["tests"]
