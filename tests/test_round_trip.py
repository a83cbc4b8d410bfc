"""The TA's round trip: Canvas and Moodle in and out, the late policy from every source of submission
times, the status of an upload for another homework, and a student's copy that shows only what the
student may see. Gradings are of a notebook whose classifiers are the handout's stubs (no training),
so that a batch of a course costs seconds; points are derived from the rubric."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from autograder.course import batch, canvas, downloads as course
from autograder import late, rubric
from autograder.gradescope import run as gradescope_run
from catalog import notebook_text, reference_answers
from conftest import HANG_SECONDS, NN2, ROOT, edited, total_without
from gradescope_sim import as_plain

pytestmark = pytest.mark.slow  # real gradings in children

HESSIAN = ROOT / "reference" / "hessian" / "solution.ipynb"
ZONE = timezone(timedelta(hours=1))
DUE = datetime(2026, 12, 1, 23, 59, tzinfo=ZONE)
POLICY = '\n[late]\ndue = 2026-12-01T23:59:00+01:00\npenalty_percent = 10\nper = "day"\n'
EARNED = total_without("FrobClassifier", "MixClassifier")  # what the partial notebook earns


def partial_notebook() -> bytes:
    """The reference's Mix and Grad, the handout's classifiers: graded in seconds, earns EARNED."""
    return notebook_text({**reference_answers(), "FrobClassifier": "", "MixClassifier": ""}).encode()


def hidden_rubric(folder: Path, policy: str = "") -> tuple[Path, rubric.Check]:
    """The packaged rubric with its first check shown after the due date made `hidden` (and a late policy)."""
    packaged = rubric.load(NN2)
    target = next(c for c in packaged.checks if c.visibility == "after_due_date")
    text = NN2.rubric_path.read_text()
    rows = text.split("[[check]]")
    index = next(i for i, row in enumerate(rows) if f'id = "{target.id}"' in row)
    rows[index] = edited(rows[index], 'visibility = "after_due_date"', 'visibility = "hidden"')
    path = folder / "rubric.toml"
    path.write_text("[[check]]".join(rows) + policy)
    assert rubric.load(NN2, path).check(target.id).visibility == "hidden"
    return path, target


def cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=HANG_SECONDS)


def sheet(path: Path) -> dict[str, dict]:
    with open(path, newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def canvas_batch(tmp_path_factory):
    """A Canvas download: one on time, one `_LATE_`, one Hessian notebook; a rubric hiding a check, with a policy."""
    base = tmp_path_factory.mktemp("canvas")
    download = base / "submissions"
    download.mkdir()
    (download / "smithjane_101_9001_neural_networks_2.ipynb").write_bytes(partial_notebook())
    (download / "doejohn_LATE_102_9002_neural_networks_2-1.ipynb").write_bytes(partial_notebook())
    (download / "leeann_103_9003_hessian.ipynb").write_bytes(HESSIAN.read_bytes())
    rubric_path, hidden = hidden_rubric(base, POLICY)
    out = base / "out"
    run = cli("batch", download, "--out", out, "--homework", "nn2", "--rubric", rubric_path, cwd=base)
    assert run.returncode == 0, run.stderr
    return {"base": base, "download": download, "rubric": rubric_path, "hidden": hidden, "out": out, "run": run}


def test_a_canvas_download_is_graded_by_canvas_id_with_the_late_mark_and_the_other_homework_named(canvas_batch):
    out, run = canvas_batch["out"], canvas_batch["run"]
    assert "Detected a Canvas submissions download: 3 submissions" in run.stdout
    assert "No penalty is taken: a Canvas submissions download carries no submission times" in run.stdout
    rows = sheet(out / "grades.csv")
    assert set(rows) == {"101", "102", "103"}
    assert [rows[s]["name"] for s in ("101", "102", "103")] == ["smithjane", "doejohn", "leeann"]
    assert (rows["101"]["late"], rows["102"]["late"]) == ("no", "yes (Canvas)")
    for student in ("101", "102"):
        assert (rows[student]["status"], float(rows[student]["total"])) == ("graded", EARNED)
        assert float(rows[student]["penalty"]) == 0 and float(rows[student]["unpenalized"]) == EARNED
    assert rows["103"]["status"] == "wrong homework" and float(rows["103"]["total"]) == 0
    assert rows["103"]["reason"].startswith("This notebook answers the hessian homework")
    feedback = json.loads((out / "feedback" / "103.json").read_text())
    assert "none of Mix, Grad, FrobClassifier, MixClassifier, which Neural Networks 2 asks for" in feedback["output"]


def test_canvas_grades_csv_is_in_canvas_s_import_format(canvas_batch):
    rows = sheet(canvas_batch["out"] / "grades.csv")
    with open(canvas_batch["out"] / "canvas_grades.csv", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == canvas.FIXED + [NN2.title]
    assert table[1][0].strip() == "Points Possible" and float(table[1][-1]) == rubric.load(NN2).course_total
    by_id = {row[1]: row for row in table[2:]}
    assert set(by_id) == set(rows)
    for student, row in rows.items():
        assert by_id[student][0] == row["name"] and float(by_id[student][-1]) == float(row["total"])


def test_a_hidden_check_is_in_no_student_copy_and_in_every_ta_copy(canvas_batch):
    out, hidden = canvas_batch["out"], canvas_batch["hidden"]
    title = f"{hidden.number} | {hidden.name}"
    for student in ("101", "102", "103"):
        student_md = (out / "feedback" / f"{student}.md").read_text()
        student_json = json.loads((out / "feedback" / f"{student}.json").read_text())
        assert hidden.name not in student_md and title not in student_md
        assert all(t["name"] != hidden.name and t["visibility"] != "hidden" for t in student_json["tests"])
        assert "| visible |" in student_md and "| after_due_date |" in student_md  # each check marked
        ta_md = (out / "ta" / f"{student}.md").read_text()
        ta_json = json.loads((out / "ta" / f"{student}.json").read_text())
        assert f"| {title} |" in ta_md and "| hidden |" in ta_md
        assert [t["name"] for t in ta_json["tests"]].count(hidden.name) == 1
        assert student_json["score"] == ta_json["score"]


def test_everything_under_out_is_the_ta_s_only(canvas_batch):
    out = canvas_batch["out"]
    found = [out, *out.rglob("*")]
    assert len(found) > 20
    assert [p for p in found if p.stat().st_mode & 0o077] == []


def test_a_canvas_gradebook_export_keeps_its_rows_and_columns_and_fills_the_assignment(canvas_batch, tmp_path):
    gradebook = tmp_path / "gradebook.csv"
    export = [canvas.FIXED + ["Homework 1 (555)", "Neural Networks 2 (777)", "Current Score"],
              ["    Points Possible", "", "", "", "", "10.00", "40.00", "(read only)"],
              ["Smith, Jane", "101", "s101", "jsmith", "Section A", "9.00", "", "90"],
              ["Doe, John", "102", "s102", "jdoe", "Section B", "7.00", "", "70"],
              ["Ek, Bo", "104", "s104", "boek", "Section A", "10.00", "", "100"]]
    with open(gradebook, "w", newline="") as f:
        csv.writer(f).writerows(export)
    base, out = canvas_batch["base"], canvas_batch["out"]
    refused = cli("batch", canvas_batch["download"], "--out", out, "--rubric", canvas_batch["rubric"],
                  "--canvas-gradebook", gradebook, "--assignment", "Homework 3", cwd=base)
    assert refused.returncode == 2 and refused.stderr.strip() == (
        "autograder: --assignment 'Homework 3': no column of " + str(gradebook) + " named so; its columns are: "
        "Homework 1 (555), Neural Networks 2 (777), Current Score")
    run = cli("batch", canvas_batch["download"], "--out", out, "--rubric", canvas_batch["rubric"],
              "--canvas-gradebook", gradebook, "--assignment", "Neural Networks 2", cwd=base)
    assert run.returncode == 0, run.stderr
    assert "3 already graded with this rubric" in run.stdout  # resumed: nothing graded again
    assert "1 graded students have no row in" in run.stdout and ": 103 (" in run.stdout
    with open(out / "canvas_grades.csv", newline="") as f:
        written = list(csv.reader(f))
    expected = [list(row) for row in export]
    expected[2][6] = expected[3][6] = f"{EARNED:g}"
    assert written == expected


@pytest.fixture
def two_on_time_and_late(tmp_path):
    rubric_path, _ = hidden_rubric(tmp_path, POLICY)
    return tmp_path, rubric_path, partial_notebook()


def penalized(row: dict, days: int) -> None:
    assert float(row["unpenalized"]) == EARNED and float(row["penalty"]) == pytest.approx(EARNED * days / 10)
    assert float(row["total"]) == pytest.approx(EARNED * (1 - days / 10)) and row["late"] == "yes"


def test_a_gradescope_export_s_times_take_the_penalty_off(two_on_time_and_late):
    base, rubric_path, notebook = two_on_time_and_late
    export = base / "export.zip"
    created = {"s1": "2026-12-01 23:58:00.000000000 +01:00", "s2": "2026-12-03 01:30:00.123456789 +01:00"}
    with zipfile.ZipFile(export, "w") as z:
        lines = []
        for n, (sid, when) in enumerate(created.items()):
            lines += [f"submission_{n}:", "  :submitters:", f"  - :name: Student {sid}", f"    :sid: '{sid}'",
                      f"    :email: {sid}@example.edu", f"  :created_at: {when}", "  :score: 0.0"]
            z.writestr(f"assignment_1_export/submission_{n}/neural_networks_2.ipynb", notebook)
        z.writestr("assignment_1_export/submission_metadata.yml", "\n".join(lines) + "\n")
    run = cli("batch", export, "--out", base / "out", "--rubric", rubric_path, cwd=base)
    assert run.returncode == 0, run.stderr
    rows = sheet(base / "out" / "grades.csv")
    assert rows["s1"]["late"] == "no" and float(rows["s1"]["total"]) == EARNED
    assert rows["s2"]["submitted"] == "2026-12-03T01:30+01:00" and rows["s2"]["late_by"] == "1 day 1 hour 32 minutes"
    penalized(rows["s2"], 2)
    student = json.loads((base / "out" / "feedback" / "s2.json").read_text())
    assert student["score"] == pytest.approx(EARNED * 0.8)
    assert student["output"].startswith("Submitted 1 day 1 hour 32 minutes late (2026-12-03T01:30+01:00, due "
                                        "2026-12-01T23:59+01:00): 20% off by the course's late policy")


def test_a_moodle_download_with_its_worksheet_takes_the_penalty_off_and_writes_its_feedback_zip(
        two_on_time_and_late):
    base, rubric_path, notebook = two_on_time_and_late
    download = base / "moodle.zip"
    with zipfile.ZipFile(download, "w") as z:
        z.writestr("Ann Lee_11_assignsubmission_file_/neural_networks_2.ipynb", notebook)
        z.writestr("Bo Ek_12_assignsubmission_file_/neural_networks_2.ipynb", notebook)
    worksheet = base / "worksheet.csv"
    with open(worksheet, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                    "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"])
        w.writerow(["Participant 11", "Ann Lee", "ann@example.edu", "Submitted for grading", "", "40.00", "Yes",
                    "Tuesday, 1 December 2026, 11:00 PM", "-", ""])
        w.writerow(["Participant 12", "Bo Ek", "bo@example.edu", "Submitted for grading", "", "40.00", "Yes",
                    "Thursday, 3 December 2026, 1:30 AM", "-", ""])
    run = cli("batch", download, "--out", base / "out", "--rubric", rubric_path, "--moodle-worksheet", worksheet,
              cwd=base)
    assert run.returncode == 0, run.stderr
    rows = sheet(base / "out" / "grades.csv")
    assert rows["11"]["late"] == "no" and rows["12"]["submitted"] == "2026-12-03T01:30+01:00"
    penalized(rows["12"], 2)
    with open(base / "out" / "moodle_grades.csv", newline="") as f:
        grades = {r["Identifier"]: r["Grade"] for r in csv.DictReader(f)}
    assert float(grades["Participant 12"]) == pytest.approx(EARNED * 0.8)
    with zipfile.ZipFile(base / "out" / "moodle_feedback.zip") as z:
        names = sorted(z.namelist())
        assert names == ["Ann Lee_11_assignsubmission_file_autograder_feedback.md",
                         "Bo Ek_12_assignsubmission_file_autograder_feedback.md"]
        assert z.read(names[1]) == (base / "out" / "feedback" / "12.md").read_bytes()
        # Moodle's import splits a name on "_" into name, participant id, plugin type and name, file name.
        assert [n.split("_", 4)[1:4] for n in names] == [[pid, "assignsubmission", "file"] for pid in ("11", "12")]


def test_a_moodle_worksheet_is_refused_for_another_download(two_on_time_and_late):
    base, rubric_path, notebook = two_on_time_and_late
    (base / "folder").mkdir()
    (base / "folder" / "ann.ipynb").write_bytes(notebook)
    (base / "worksheet.csv").write_text("Identifier,Last modified (submission)\nParticipant 1,-\n")
    run = cli("batch", base / "folder", "--out", base / "out", "--rubric", rubric_path, "--moodle-worksheet",
              base / "worksheet.csv", cwd=base)
    assert (run.returncode, run.stderr.strip()) == (
        2, "autograder: --moodle-worksheet is for a Moodle download; the input is a folder of submissions")
    assert not (base / "out" / "grades.csv").exists()


@pytest.mark.parametrize("extended", [False, True], ids=["due", "extension"])
def test_on_gradescope_the_metadata_s_time_and_the_student_s_own_due_date_decide(tmp_path, extended):
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    rubric_path, _ = hidden_rubric(root / "source", POLICY.replace("2026-12-01T23:59:00+01:00",
                                                                    "2026-11-01T00:00:00+01:00"))
    (root / "source" / "secret_seed").write_text("5eed\n")  # the same hidden inputs on every run
    (root / "submission").mkdir()
    (root / "submission" / "neural_networks_2.ipynb").write_bytes(partial_notebook())
    user = {"name": "Ada", "email": "ada@example.edu", "id": 7}
    if extended:
        user["assignment"] = {"due_date": "2026-12-04T23:59:00.000000+01:00"}
    (root / "submission_metadata.json").write_text(json.dumps({
        "id": 1, "created_at": "2026-12-02T12:00:00.000000+01:00", "users": [user],
        "assignment": {"due_date": "2026-12-01T23:59:00.000000+01:00", "late_due_date": None}}))
    assert rubric_path == root / "source" / "rubric.toml"
    assert gradescope_run.main(root=root) == 0
    data = as_plain(json.loads((root / "results" / "results.json").read_text()))
    if extended:
        assert data["score"] == EARNED and not data["output"].startswith("Submitted")
    else:  # the metadata's due date, not the rubric's (a month earlier), counts: one day late
        assert data["score"] == pytest.approx(EARNED * 0.9)
        assert data["output"].startswith("Submitted 12 hours 1 minute late (2026-12-02T12:00+01:00, due "
                                         "2026-12-01T23:59+01:00): 10% off")
    assert sum(t["score"] for t in data["tests"]) == EARNED  # each check keeps its points; the total is penalized


def test_grade_names_the_other_homework_and_says_what_an_unreadable_file_is_without_homework(tmp_path):
    run = cli("grade", HESSIAN, "--homework", "nn2", "--results", tmp_path / "r.json", "--meta", tmp_path / "m.json",
              cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["score"] == 0 and data["output"].startswith("This notebook answers the hessian homework")
    assert json.loads((tmp_path / "m.json").read_text())["status"] == "wrong homework"
    for name, content, said in [("empty.ipynb", b"", "The upload is not a Jupyter notebook: it holds nothing "
                                 "(the file is empty)."),
                                ("paper.pdf", b"%PDF-1.5 ...", "is neither a Jupyter notebook (.ipynb) nor a Python "
                                 "file (.py)."),
                                ("broken.ipynb", b"{\"cells\": [", "The upload is not a Jupyter notebook: it is not "
                                 "valid JSON")]:
        (tmp_path / name).write_bytes(content)
        run = cli("grade", name, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        data = json.loads((tmp_path / "results.json").read_text())
        assert data["score"] == 0 and data["tests"] == [] and said in data["output"]


def test_a_timeout_is_graded_again_once_then_final(tmp_path):
    notebook = tmp_path / "ann.ipynb"
    notebook.write_bytes(b"{}")
    packaged = rubric.load(NN2)
    entry = course.Entry("ann", path=notebook)
    (tmp_path / "state").mkdir()

    def state(status: str, attempts: int) -> None:
        (tmp_path / "state" / "ann.json").write_text(json.dumps({
            "key": batch.input_key(entry, packaged), "student": "ann", "status": status, "attempts": attempts}))

    for status, attempts, graded in [("timed out", 1, True), ("timed out", 2, False), ("grader error", 5, True),
                                     ("graded", 1, False)]:
        state(status, attempts)
        assert (batch.to_grade(tmp_path, [entry], packaged, set(), False) == [entry]) is graded, (status, attempts)
    state("timed out", 2)
    assert batch.to_grade(tmp_path, [entry], packaged, {"ann"}, False) == [entry]  # --regrade forces it


def test_the_attempts_of_a_timeout_are_counted_by_what_the_batch_saves(tmp_path):
    from autograder.grading.grade import zero_tests
    from autograder.grading.results import results

    notebook = tmp_path / "ann.ipynb"
    notebook.write_bytes(b"{}")
    packaged = rubric.load(NN2)
    entry = course.Entry("ann", path=notebook)
    job = batch.Job(NN2, packaged, None, None, tmp_path)
    for name in ("state", "feedback"):
        (tmp_path / name).mkdir()
    timed_out = batch.Outcome(results(zero_tests(packaged, "stopped"), "", 1.0), "timed out", 1.0, "too slow")
    attempts = []
    for outcome in (timed_out, timed_out, batch.Outcome(timed_out.data, "graded", 1.0), timed_out):
        batch.save(job, entry, outcome, None)
        attempts.append(batch.read_state(tmp_path, entry)["attempts"])
    assert attempts == [1, 2, 1, 1]
    notebook.write_bytes(b'{"cells": []}')  # a new upload starts again
    batch.save(job, entry, timed_out, None)
    assert batch.read_state(tmp_path, entry)["attempts"] == 1


def test_version_and_batch_help_say_what_they_should(tmp_path):
    from autograder import __version__

    assert cli("--version", cwd=tmp_path).stdout.strip() == f"autograder {__version__}"
    helped = cli("batch", "--help", cwd=tmp_path).stdout
    for name in ("grades.csv", "feedback/STUDENT.md", "ta/STUDENT.md", "canvas_grades.csv", "moodle_feedback.zip",
                 "report.html", "similarity.csv"):
        assert name in helped, name
    assert re.search(r"readable by your account only", helped)


def test_canvas_names_are_read_and_a_stray_file_gets_its_own_row(tmp_path):
    download = tmp_path / "download"
    download.mkdir()
    for name in ("smithjane_101_9001_hw.ipynb", "smithjane_101_9002_helper.py", "doejohn_LATE_102_9003_hw.ipynb",
                 "notes.txt"):
        (download / name).write_text("{}")
    form, entries = course.load(download, tmp_path / "work")
    assert form == "Canvas submissions download"
    by = {e.student: e for e in entries}
    assert set(by) == {"101", "102", "notes"}
    assert by["101"].path.name == "smithjane_101_9001_hw.ipynb" and "smithjane_101_9002_helper.py" in by["101"].notes[0]
    assert by["102"].times.marked_late and not by["101"].times.marked_late and by["102"].name == "doejohn"
    assert "not named as Canvas names submissions" in by["notes"].reason
    assert late.assess(late.Policy(DUE, penalty_percent=10), by["102"].times, 10, 40).points == 0


def test_a_course_s_homework_is_the_one_most_of_its_files_answer(tmp_path):
    from autograder.grading import choose

    files = []
    for name, source in [("a.ipynb", NN2.template), ("b.ipynb", NN2.template), ("c.ipynb", HESSIAN)]:
        files.append(tmp_path / name)
        files[-1].write_bytes(source.read_bytes())
    said = []
    assert choose.choose(None, None, files, said.append).id == "nn2"
    assert said == [f"homework: nn2 ({NN2.title}), from the answers most submissions define"]
    assert choose.detect(files[1:]) is None  # one of each: nobody can tell
