"""Batch grading a synthetic course of 30 submissions, in the three forms a TA downloads."""

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import catalog
from autograder import homework, rubric
from catalog import notebook_text, reference_answers
from browser import check_report
from conftest import HANG_SECONDS, NN2, REFERENCE_NOTEBOOK, ROOT, TOTAL, edited, total_without

pytestmark = pytest.mark.slow  # real gradings in children

HANGING = {"Grad": "def Grad(nn,X):\n    while True:\n        pass"}
HOSTILE = {"Mix": "def Mix(nn):\n    import os\n    os._exit(1)"}


def kinds(catalog_notebook) -> dict[str, tuple[bytes | None, float, str]]:
    """kind -> (notebook bytes or None for an empty folder, expected total, expected status)."""
    wrong = next(e for e in catalog.entries("wrong") if e.path.stem == "mix_wrong_axis")
    einsum = next(e for e in catalog.entries("correct") if e.path.stem == "einsum")
    return {
        "reference": ((REFERENCE_NOTEBOOK).read_bytes(), TOTAL, "graded"),
        "handout": ((NN2.template).read_bytes(), 0, "graded"),
        "wrong": (catalog_notebook(wrong).read_bytes(), total_without("Mix", "MixClassifier"), "graded"),
        "einsum": (catalog_notebook(einsum).read_bytes(), TOTAL, "graded"),
        "broken": (b"{this is not a notebook", 0, "unreadable"),
        "empty": (None, 0, "no submission"),
        "hanging": (notebook_text({**reference_answers(), **HANGING}).encode(), total_without("Grad"), "timed out"),
        "hostile": (notebook_text({**reference_answers(), **HOSTILE}).encode(), total_without("Mix", "MixClassifier"),
                    "graded"),
    }


COUNTS = {"reference": 10, "handout": 4, "wrong": 4, "einsum": 3, "broken": 2, "empty": 2, "hanging": 2, "hostile": 3}


def students(catalog_notebook):
    table = kinds(catalog_notebook)
    out = []
    for kind, count in COUNTS.items():
        for i in range(count):
            out.append((f"{kind}{i:02d}", *table[kind]))
    assert len(out) == 30
    return out


@pytest.fixture(scope="module")
def course(tmp_path_factory, catalog_notebook):
    """The same 30 submissions as a folder, a Gradescope export zip and a Moodle download zip."""
    base = tmp_path_factory.mktemp("course")
    people = students(catalog_notebook)
    folder = base / "folder"
    folder.mkdir()
    for sid, data, _, _ in people:
        if data is None:
            (folder / sid).mkdir()
        elif sid.endswith("0"):  # some students as a bare file, the others as a folder
            (folder / f"{sid}.ipynb").write_bytes(data)
        else:
            (folder / sid).mkdir()
            (folder / sid / "homework.ipynb").write_bytes(data)
    gradescope = base / "gradescope_export.zip"
    with zipfile.ZipFile(gradescope, "w") as z:
        lines = []
        for n, (sid, data, _, _) in enumerate(people):
            sub = f"submission_{1000 + n}"
            lines += [f"{sub}:", "  :submitters:", f"  - :name: Student {sid}", f"    :sid: '{sid}'",
                      f"    :email: {sid}@example.edu", "  :score: 0.0"]
            if data is not None:
                z.writestr(f"assignment_42_export/{sub}/neural_networks_2.ipynb", data)
            else:
                z.writestr(f"assignment_42_export/{sub}/", b"")
        z.writestr("assignment_42_export/submission_metadata.yml", "\n".join(lines) + "\n")
    moodle = base / "moodle.zip"
    with zipfile.ZipFile(moodle, "w") as z:
        for n, (sid, data, _, _) in enumerate(people):
            folder_name = f"Student {sid}_{5000 + n}_assignsubmission_file_"
            if data is not None:
                z.writestr(f"{folder_name}/neural_networks_2.ipynb", data)
            else:
                z.writestr(f"{folder_name}/", b"")
    rubric_path = base / "rubric.toml"  # a 3-second call limit: the hanging students cost little
    rubric_path.write_text(edited(NN2.rubric_path.read_text(), "call_seconds = 30", "call_seconds = 3"))
    return {"base": base, "people": people, "folder": folder, "gradescope": gradescope, "moodle": moodle,
            "rubric": rubric_path, "cache": base / "cache"}


def batch(*args, cwd=ROOT, **kwargs):
    return subprocess.run([sys.executable, "-m", "autograder", "batch", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=HANG_SECONDS, **kwargs)


def sheet(out: Path) -> dict[str, dict]:
    with open(out / "grades.csv") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


def expected(course, key=lambda sid, n: sid):
    return {key(sid, n): (total, status) for n, (sid, _, total, status) in enumerate(course["people"])}


def test_a_folder_course_gets_the_expected_sheet_feedback_and_summary(course, tmp_path):
    out = tmp_path / "out"
    run = batch(course["folder"], "--out", out, "--jobs", "2", "--rubric", course["rubric"], "--cache", course["cache"])
    assert run.returncode == 0, run.stderr
    assert "Detected a folder of submissions: 30 submissions" in run.stdout
    rows = sheet(out)
    for sid, (total, status) in expected(course).items():
        assert (float(rows[sid]["total"]), rows[sid]["status"]) == (total, status), sid
        assert (out / "feedback" / f"{sid}.md").exists()
        json.loads((out / "feedback" / f"{sid}.json").read_text())
    assert "Grad(nn,X) did not finish within 3 seconds" in (out / "feedback" / "hanging00.json").read_text()
    reused = [sid for sid in rows if any("whose grading it got" in note for note in
                                         json.loads((out / "ta" / f"{sid}.json").read_text())["ta_notes"])]
    assert len(reused) >= 30 - 8 - 2  # one grading per distinct code (the TA's copy says whose); empty and broken alone
    summary = (out / "summary.md").read_text()
    assert "| no submission | 2 |" in summary and "| timed out | 2 |" in summary
    assert (out / "histogram.png").read_bytes()[:4] == b"\x89PNG"
    assert_course_report(out, course)


def assert_course_report(out: Path, course) -> None:
    """summary.json, similarity.csv and report.html of the course, opened in a browser."""
    summary = json.loads((out / "summary.json").read_text())
    graded = [sid for sid, _, _, status in course["people"] if status in ("graded", "timed out")]
    handouts = {sid for sid, *_ in course["people"] if sid.startswith("handout")}
    frob = [c for c in summary["checks"] if c["part"] == "FrobClassifier"]
    assert frob and all((c["passed"], c["graded"]) == (len(graded) - len(handouts), len(graded)) for c in frob)
    wrong = sorted(sid for sid, *_ in course["people"] if sid.startswith("wrong"))
    axis = next(e for e in catalog.entries("wrong") if e.path.stem == "mix_wrong_axis").hints[0]
    named = [m for m in summary["mistakes"] if axis in m["mistake"]]
    assert named and named[0]["students"] == wrong and len(summary["mistakes"][0]["students"]) == len(wrong)
    with open(out / "similarity.csv") as f:
        rows = list(csv.DictReader(f))
    flagged = {(r["student_a"], r["student_b"]) for r in rows if r["flagged"] == "yes"}
    assert ("reference00", "reference01") in flagged  # the same notebook twice
    assert not any({r["student_a"], r["student_b"]} & handouts for r in rows), "the handout never counts"
    assert {r["student_a"] for r in rows} | {r["student_b"] for r in rows} <= set(graded)
    top = summary["mistakes"][0]
    check_report(out / "report.html", len(summary["checks"]), top["mistake"], len(top["students"]))


def test_a_gradescope_export_zip_is_detected_with_names_and_emails(course, tmp_path):
    out = tmp_path / "out"
    run = batch(course["gradescope"], "--out", out, "--rubric", course["rubric"], "--cache", course["cache"])
    assert run.returncode == 0, run.stderr
    assert "Detected a Gradescope export: 30 submissions" in run.stdout
    rows = sheet(out)
    for sid, (total, status) in expected(course).items():
        assert (float(rows[sid]["total"]), rows[sid]["status"]) == (total, status), sid
        assert rows[sid]["name"] == f"Student {sid}" and rows[sid]["email"] == f"{sid}@example.edu"


def test_a_moodle_download_zip_gets_a_worksheet_moodle_imports(course, tmp_path):
    out = tmp_path / "out"
    run = batch(course["moodle"], "--out", out, "--rubric", course["rubric"], "--cache", course["cache"])
    assert run.returncode == 0, run.stderr
    assert "Detected a Moodle assignment download: 30 submissions" in run.stdout
    rows = sheet(out)
    for pid, (total, status) in expected(course, key=lambda sid, n: str(5000 + n)).items():
        assert (float(rows[pid]["total"]), rows[pid]["status"]) == (total, status), pid
    with open(out / "moodle_grades.csv") as f:
        worksheet = list(csv.DictReader(f))
    assert len(worksheet) == 30 and worksheet[0]["Identifier"] == "Participant 5000"
    assert {"Grade", "Maximum Grade", "Full name", "Feedback comments"} <= set(worksheet[0])


def test_two_shards_merged_equal_one_full_run(course, tmp_path):
    # One student of each kind (a row of every status): three batches and a merge of the whole course of 30 cost
    # minutes of sheets, reports and similarity on a busy machine and merge nothing more.
    folder = tmp_path / "course"
    folder.mkdir()
    for kind in COUNTS:
        first = course["folder"] / f"{kind}00.ipynb"
        (shutil.copy if first.exists() else shutil.copytree)(first if first.exists() else first.with_suffix(""),
                                                             folder / (first.name if first.exists() else first.stem))
    full, one, two, merged = (tmp_path / n for n in ("full", "one", "two", "merged"))
    for out, extra in ((full, []), (one, ["--shard", "1/2"]), (two, ["--shard", "2/2"])):
        run = batch(folder, "--out", out, "--rubric", course["rubric"], "--cache", course["cache"], *extra)
        assert run.returncode == 0, run.stderr
    assert {r["status"] for r in sheet(full).values()} == {status for *_, status in course["people"]}
    assert 0 < len(sheet(one)) < len(COUNTS) and len(sheet(one)) + len(sheet(two)) == len(COUNTS)
    run = subprocess.run([sys.executable, "-m", "autograder", "merge", str(one), str(two), "--out", str(merged)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    drop_time = lambda rows: {k: {c: v for c, v in r.items() if c != "seconds"} for k, r in rows.items()}
    assert drop_time(sheet(merged)) == drop_time(sheet(full))
    assert len(list((merged / "feedback").glob("*.md"))) == len(COUNTS)
    for name in ("summary.json", "similarity.csv"):  # after a merge, the report is the full run's
        assert (merged / name).read_text() == (full / name).read_text(), name
    assert (merged / "report.html").read_text() == (full / "report.html").read_text()


def test_a_batch_killed_halfway_resumes_without_regrading(tmp_path, catalog_notebook):
    table = kinds(catalog_notebook)
    folder = tmp_path / "three"
    folder.mkdir()
    for kind in ("reference", "wrong", "einsum"):
        (folder / f"{kind}.ipynb").write_bytes(table[kind][0])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "batch", str(folder), "--out", str(out), "--jobs", "1"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + HANG_SECONDS
    while not list((out / "state").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = {p.name: p.read_bytes() for p in (out / "state").glob("*.json")}
    assert 1 <= len(finished) < 3
    rerun = batch(folder, "--out", out, "--jobs", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(finished)} already graded with this rubric: not graded again" in rerun.stdout
    for name, content in finished.items():
        assert (out / "state" / name).read_bytes() == content
    totals = {k: float(r["total"]) for k, r in sheet(out).items()}
    assert totals == {"reference": TOTAL, "wrong": total_without("Mix", "MixClassifier"), "einsum": TOTAL}


# ----------------------------------------------------------------------------- nothing dropped, nothing stuck

def test_a_folder_with_odd_names_gives_every_student_a_row(tmp_path):
    """.IPYNB, .ipynb.txt and zips are graded; a PDF, an empty file, a text file and an empty folder get
    a row with their status and reason, and the run says what needs a look."""
    folder = tmp_path / "in"
    folder.mkdir()
    reference = (REFERENCE_NOTEBOOK).read_bytes()
    for name in ("mo.ipynb", "kim.IPYNB", "lena.ipynb.txt"):
        (folder / name).write_bytes(reference)
    with zipfile.ZipFile(folder / "ivan.zip", "w") as z:
        z.writestr("homework/neural_networks_2.ipynb", reference)
    (folder / "pat.ipynb").write_bytes(b"%PDF-1.7 a scanned page")
    (folder / "quinn.ipynb").write_bytes(b"")
    (folder / "readme.txt").write_text("submissions of week 3")
    (folder / "sam").mkdir()
    (folder / "sam" / "notes.docx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    run = batch(folder, "--out", out, "--jobs", "2")
    assert run.returncode == 0, run.stderr
    assert "Detected a folder of submissions: 8 submissions" in run.stdout
    assert "  sam: sam holds no notebook (.ipynb) or Python file (.py) (it holds: notes.docx)" in run.stdout
    assert "  readme: readme.txt is not a .ipynb, .py or .zip file" in run.stdout
    rows = sheet(out)
    assert {k: (float(r["total"]), r["status"]) for k, r in rows.items()} == {
        "mo": (TOTAL, "graded"), "kim": (TOTAL, "graded"), "lena": (TOTAL, "graded"), "ivan": (TOTAL, "graded"),
        "pat": (0, "unreadable"), "quinn": (0, "unreadable"), "readme": (0, "unreadable"),
        "sam": (0, "no submission")}
    assert rows["pat"]["reason"] == "The upload is not a Jupyter notebook: it starts with '%PDF' and holds a PDF document."
    assert rows["quinn"]["reason"] == "The upload is not a Jupyter notebook: it holds nothing (the file is empty)."
    student_copy = (out / "feedback" / "pat.json").read_text()
    assert "it starts with '%PDF'" in student_copy and "Upload the .ipynb" not in student_copy
    assert "| unreadable | 3 |" in (out / "summary.md").read_text()


INJECT = """
import os
if os.environ.get("NN2_TEST_GRADER_FAULT"):
    import autograder.grading.questions as questions

    def broken(*args, **kwargs):
        raise RuntimeError("injected grader fault for the test")

    questions.build = broken
"""


def test_grader_errors_are_reported_kept_for_the_ta_and_retried_on_the_next_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("alice", "bob"):
        (folder / f"{name}.ipynb").write_bytes((NN2.template).read_bytes())
    hooks = tmp_path / "hooks"  # a grader bug, injected into every grade process of the first run
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(INJECT)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(hooks), "NN2_TEST_GRADER_FAULT": "1"}
    first = batch(folder, "--out", out, env=env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "2 submissions ended in `grader error` (alice, bob)" in first.stderr
    rows = sheet(out)
    assert {r["status"] for r in rows.values()} == {"grader error"}
    assert rows["alice"]["reason"] == "RuntimeError: injected grader fault for the test"
    ta = (out / "ta" / "alice.md").read_text()
    assert "Traceback" in ta and "injected grader fault" in ta and "Rerunning the same batch command" in ta
    for name in ("alice.json", "alice.md"):  # the student's copy: no traceback, no reason
        student = (out / "feedback" / name).read_text()
        assert "Traceback" not in student and "injected" not in student
    second = batch(folder, "--out", out)  # the cause is gone: retried without being asked
    assert second.returncode == 0, second.stderr
    assert "2 ended in grader error or timed out last time: graded again" in second.stdout
    assert {(r["status"], r["reason"]) for r in sheet(out).values()} == {("graded", "")}
    for name in ("alice", "bob"):  # the TA's copy now holds the grading, and no trace of the old fault
        ta = (out / "ta" / f"{name}.md").read_text()
        assert ta.startswith(f"# {name}: graded") and "Reason: none recorded" in ta and "Traceback" not in ta
    third = batch(folder, "--out", out, "--regrade", "bob")
    assert third.returncode == 0 and "1 already graded with this rubric: not graded again" in third.stdout
    assert "1/1 bob: graded" in third.stderr


def export_zip(path: Path, submissions: dict[str, tuple[list[tuple[str, str, str]], bytes]]) -> Path:
    """A Gradescope export: folder -> ([(name, sid, email)], notebook bytes)."""
    lines = []
    with zipfile.ZipFile(path, "w") as z:
        for folder, (people, data) in submissions.items():
            lines += [f"{folder}:", "  :submitters:"]
            for name, sid, email in people:
                lines += [f"  - :name: {name}", f"    :sid: '{sid}'", f"    :email: {email}"]
            z.writestr(f"export/{folder}/hw.ipynb", data)
        z.writestr("export/submission_metadata.yml", "\n".join(lines) + "\n")
    return path


def test_every_member_of_a_group_submission_gets_a_row(tmp_path, catalog_notebook):
    wrong = catalog_notebook(next(e for e in catalog.entries("wrong") if e.path.stem == "mix_wrong_axis")).read_bytes()
    handout = (NN2.template).read_bytes()
    archive = export_zip(tmp_path / "export.zip", {
        "submission_1": ([("Ada Lovelace", "s1", "ada@x.edu"), ("Alan Turing", "s2", "alan@x.edu"),
                          ("Grace Hopper", "s3", "grace@x.edu")], wrong),
        "submission_2": ([("Emmy Noether", "s4", "emmy@x.edu")], handout)})
    out = tmp_path / "out"
    run = batch(archive, "--out", out, "--rubric", NN2.rubric_path)
    assert run.returncode == 0, run.stderr
    assert "Detected a Gradescope export: 4 submissions" in run.stdout
    rows = sheet(out)
    lost = total_without("Mix", "MixClassifier")
    assert {k: (r["name"], r["email"], float(r["total"])) for k, r in rows.items()} == {
        "s1": ("Ada Lovelace", "ada@x.edu", lost), "s2": ("Alan Turing", "alan@x.edu", lost),
        "s3": ("Grace Hopper", "grace@x.edu", lost), "s4": ("Emmy Noether", "emmy@x.edu", 0)}
    group = json.loads((out / "feedback" / "s2.json").read_text())
    assert group["output"].startswith("Group submission of Ada Lovelace & Alan Turing & Grace Hopper")
    assert "identical to another submission" not in group["output"]
    assert rows["s1"]["Mix"] == rows["s2"]["Mix"] == rows["s3"]["Mix"] and (out / "feedback" / "s3.md").exists()


class LegacyName(zipfile.ZipInfo):
    """A zip entry written as tools without the UTF-8 flag write it: the name's raw bytes, flag bit 11 clear."""

    def __init__(self, raw: bytes, *args):
        super().__init__(raw.decode("cp437"), *args)
        self.raw = raw

    def _encodeFilenameFlags(self):
        return self.raw, self.flag_bits & ~0x800


def test_moodle_names_are_right_with_or_without_the_utf8_flag(tmp_path):
    handout = (NN2.template).read_bytes()
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        # UTF-8 bytes without the flag (most zip tools), cp437 bytes (old Windows tools), and a flagged name.
        z.writestr(LegacyName("Chloé Müller_5001_assignsubmission_file_/hw.ipynb".encode()), handout)
        z.writestr(LegacyName("Jürgen Groß_5002_assignsubmission_file_/hw.ipynb".encode("cp437")), handout)
        z.writestr("Zoë Ångström_5003_assignsubmission_file_/hw.ipynb", handout)
    assert {i.flag_bits & 0x800 for i in zipfile.ZipFile(archive).infolist()} == {0, 0x800}
    out = tmp_path / "out"
    run = batch(archive, "--out", out)
    assert run.returncode == 0, run.stderr
    names = {k: r["name"] for k, r in sheet(out).items()}
    assert names == {"5001": "Chloé Müller", "5002": "Jürgen Groß", "5003": "Zoë Ångström"}
    with open(out / "moodle_grades.csv", encoding="utf-8") as f:
        assert [r["Full name"] for r in csv.DictReader(f)] == ["Chloé Müller", "Jürgen Groß", "Zoë Ångström"]


def test_a_course_of_the_second_homework_gets_its_own_parts_in_the_sheet(tmp_path, catalog_notebook):
    hessian = homework.load("hessian")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ada.ipynb").write_bytes(hessian.reference.with_suffix(".ipynb").read_bytes())
    (folder / "bob.ipynb").write_bytes(hessian.template.read_bytes())
    wrong = next(e for e in catalog.entries("wrong", hessian) if e.path.stem == "condition_inverted")
    (folder / "cy.ipynb").write_bytes(catalog_notebook(wrong).read_bytes())
    out = tmp_path / "out"
    run = batch(folder, "--out", out)  # no --homework: the notebooks say which
    assert run.returncode == 0, run.stderr
    r = rubric.load(hessian)
    with open(out / "grades.csv") as f:
        assert next(csv.reader(f))[3:3 + len(r.parts)] == list(r.parts)
    rows = sheet(out)
    assert {k: float(v["total"]) for k, v in rows.items()} == {
        "ada": r.total, "bob": 0, "cy": r.total - r.parts["condition_number"]}
    assert float(rows["cy"]["condition_number"]) == 0


# ----------------------------------------------------------------------------- the student's copy, the LMS's files

# The classes whose method is the answer train for 10,000 steps; left as handed out, a grading takes seconds.
TRAINED = [a for a in NN2.answers if a.method]
EARNED = total_without(*(a.graded_in for a in TRAINED))
# Words of what only the TA is told: gradings shared between students, the cache, earlier uploads, similarity.
TA_WORDS = ("identical", "reused", "another submission", "the cache", "similar", "earlier upload")


def quick_notebook(**changed: str) -> bytes:
    """The reference's answers but the trained classes (and `changed`), as a notebook."""
    return notebook_text({**reference_answers(), **{a.name: "" for a in TRAINED}, **changed}).encode()


@pytest.fixture(scope="module")
def lms_batches(tmp_path_factory):
    """A Canvas download, a Moodle download and a Gradescope export, each with two students of identical code
    and a stray file or a group, graded with one cache. Each batch: out folder and people, `who` -> the ids,
    names and emails that identify them, `group` -> the students whose copies may name them."""
    base = tmp_path_factory.mktemp("lms")
    same, other = quick_notebook(), (NN2.template).read_bytes()
    canvas_in = base / "canvas"
    canvas_in.mkdir()
    for name, data in [("smithjane_734101_8101_hw.ipynb", same), ("doejohn_734102_8102_homework.ipynb", same),
                       ("leeann_734103_8103_hw.ipynb", other), ("leeann_734103_8203_hw-1.ipynb", same),
                       ("README", b"Submissions of HW 2"), ("notes.txt", b"ask about 734103")]:
        (canvas_in / name).write_bytes(data)
    moodle_in = base / "moodle.zip"
    with zipfile.ZipFile(moodle_in, "w") as z:
        z.writestr("Chloe Keller_5101_assignsubmission_file_/hw.ipynb", same)
        z.writestr("Dan Roe_5102_assignsubmission_file_/hw.ipynb", same)
        z.writestr("Eve Poe_5103_assignsubmission_file_/hw.ipynb", other)
        z.writestr("README.txt", "downloaded on Monday")
        z.writestr("extras/slides.pdf", b"%PDF-1.5")
    gradescope_in = export_zip(base / "export.zip", {
        "submission_1": ([("Ada Lovelace", "gs7101", "ada@x.edu"), ("Alan Turing", "gs7102", "alan@x.edu")], same),
        "submission_2": ([("Emmy Noether", "gs7104", "emmy@x.edu")], same),
        "submission_3": ([("Grace Hopper", "gs7105", "grace@x.edu")], other)})
    batches = {}
    for form, source in (("canvas", canvas_in), ("moodle", moodle_in), ("gradescope", gradescope_in)):
        out = base / f"{form}_out"
        run = batch(source, "--out", out, "--cache", base / "cache")
        assert run.returncode == 0, run.stderr
        batches[form] = {"out": out, "rows": sheet(out), "run": run}
    batches["canvas"]["who"] = {s: {s, n} for s, n in [("734101", "smithjane"), ("734102", "doejohn"),
                                                        ("734103", "leeann")]}
    batches["moodle"]["who"] = {s: {s, n} for s, n in [("5101", "Chloe Keller"), ("5102", "Dan Roe"),
                                                        ("5103", "Eve Poe")]}
    batches["gradescope"]["who"] = {s: {s, n, e} for s, n, e in [
        ("gs7101", "Ada Lovelace", "ada@x.edu"), ("gs7102", "Alan Turing", "alan@x.edu"),
        ("gs7104", "Emmy Noether", "emmy@x.edu"), ("gs7105", "Grace Hopper", "grace@x.edu")]}
    batches["gradescope"]["group"] = {"gs7101": {"gs7102"}, "gs7102": {"gs7101"}}
    return batches


def student_facing(out: Path, student: str, row: dict) -> dict[str, str]:
    """Everything of a batch that is meant for (or reaches) one student: where -> text."""
    texts = {f"feedback/{row['student']}.{kind}": (out / "feedback" / f"{student}.{kind}").read_text()
             for kind in ("md", "json")}
    for sheet_name, key in (("canvas_grades.csv", "ID"), ("moodle_grades.csv", "Identifier")):
        if (out / sheet_name).exists():
            with open(out / sheet_name, newline="", encoding="utf-8") as f:
                mine = [r for r in csv.DictReader(f) if r[key].removeprefix("Participant ") == student]
            assert len(mine) == 1, (sheet_name, student)
            texts[sheet_name] = json.dumps(mine[0])
    if (out / "moodle_feedback.zip").exists():
        with zipfile.ZipFile(out / "moodle_feedback.zip") as z:
            mine = [n for n in z.namelist() if n.split("_")[1] == student]
            assert len(mine) == 1, student
            texts[mine[0]] = z.read(mine[0]).decode()
    return texts


def names_anyone_else(text: str, others: set[str]) -> list[str]:
    return [o for o in others if re.search(rf"(?<![\w.@]){re.escape(o)}(?![\w@]|\.\w)", text)]


@pytest.mark.parametrize("form", ["canvas", "moodle", "gradescope"])
def test_a_student_s_copy_speaks_of_that_student_only(lms_batches, form):
    """No other student's name, id or email, and none of what only the TA is told, in any file meant for the
    student: the feedback, the LMS's sheet row (its comment too) and feedback file. The TA's copy says it."""
    found, out = lms_batches[form], lms_batches[form]["out"]
    shared = 0
    for student, identities in found["who"].items():
        others = set().union(*(ids for s, ids in found["who"].items()
                               if s != student and s not in found.get("group", {}).get(student, set())))
        ta_notes = json.loads((out / "ta" / f"{student}.json").read_text()).get("ta_notes", [])
        shared += any("whose grading it got" in note for note in ta_notes)
        for where, text in student_facing(out, student, found["rows"][student]).items():
            assert names_anyone_else(text, others) == [], (student, where)
            assert [w for w in TA_WORDS if w in text.lower()] == [], (student, where)
            assert not any(note in text for note in ta_notes), (student, where)
    assert shared >= 1  # two students' equal code was graded once, and the TA's copy says whose


def test_the_lms_files_hold_students_only_and_a_stray_keeps_its_row_and_reason(lms_batches):
    canvas_out, moodle_out = lms_batches["canvas"]["out"], lms_batches["moodle"]["out"]
    with open(canvas_out / "canvas_grades.csv", newline="") as f:
        assert [r["ID"] for r in csv.DictReader(f)][1:] == sorted(lms_batches["canvas"]["who"])
    with open(moodle_out / "moodle_grades.csv", newline="") as f:
        assert [r["Identifier"] for r in csv.DictReader(f)] == [f"Participant {s}" for s in
                                                                  sorted(lms_batches["moodle"]["who"])]
    with zipfile.ZipFile(moodle_out / "moodle_feedback.zip") as z:
        assert sorted(n.split("_")[1] for n in z.namelist()) == sorted(lms_batches["moodle"]["who"])
    for form, strays, sheet_name in (("canvas", ("README", "notes"), "canvas_grades.csv"),
                                     ("moodle", ("README", "extras"), "moodle_grades.csv")):
        rows = lms_batches[form]["rows"]
        assert set(rows) == set(lms_batches[form]["who"]) | set(strays)
        for stray in strays:
            assert f"it has no row in {sheet_name}" in rows[stray]["reason"], rows[stray]
            assert f"  {stray}: " in lms_batches[form]["run"].stdout  # said before grading
    assert lms_batches["moodle"]["rows"]["extras"]["status"] == "no submission"


def test_a_canvas_resubmission_is_graded_at_its_latest_upload_the_earlier_named_to_the_ta(lms_batches):
    out, row = lms_batches["canvas"]["out"], lms_batches["canvas"]["rows"]["734103"]
    assert (row["status"], float(row["total"])) == ("graded", EARNED)  # hw-1.ipynb, not the handout of hw.ipynb
    ta = json.loads((out / "ta" / "734103.json").read_text())
    assert any("leeann_734103_8103_hw.ipynb" in note for note in ta.get("ta_notes", []))
    assert "leeann_734103_8103_hw.ipynb" in (out / "ta" / "734103.md").read_text()
    for kind in ("md", "json"):
        assert "8103" not in (out / "feedback" / f"734103.{kind}").read_text()
