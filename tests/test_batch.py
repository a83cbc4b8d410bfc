"""Batch grading a synthetic course of 30 submissions, in the three forms a TA downloads."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import catalog
from autograder import rubric
from catalog import notebook_text, reference_answers
from conftest import ROOT

HANGING = {"Grad": "def Grad(nn,X):\n    while True:\n        pass"}
HOSTILE = {"Mix": "def Mix(nn):\n    import os\n    os._exit(1)"}


def kinds(catalog_notebook) -> dict[str, tuple[bytes | None, float, str]]:
    """kind -> (notebook bytes or None for an empty folder, expected total, expected status)."""
    wrong = next(e for e in catalog.entries("wrong") if e.path.stem == "mix_wrong_axis")
    einsum = next(e for e in catalog.entries("correct") if e.path.stem == "einsum")
    return {
        "reference": ((ROOT / "reference" / "solution.ipynb").read_bytes(), 40, "graded"),
        "handout": ((ROOT / "student_template" / "neural_networks_2.ipynb").read_bytes(), 0, "graded"),
        "wrong": (catalog_notebook(wrong).read_bytes(), 20, "graded"),
        "einsum": (catalog_notebook(einsum).read_bytes(), 40, "graded"),
        "broken": (b"{this is not a notebook", 0, "graded"),
        "empty": (None, 0, "no submission"),
        "hanging": (notebook_text({**reference_answers(), **HANGING}).encode(), 27.5, "timed out"),
        "hostile": (notebook_text({**reference_answers(), **HOSTILE}).encode(), 20, "graded"),
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
    rubric_path.write_text(rubric.DEFAULT_PATH.read_text().replace("call_seconds = 30", "call_seconds = 3"))
    return {"base": base, "people": people, "folder": folder, "gradescope": gradescope, "moodle": moodle,
            "rubric": rubric_path, "cache": base / "cache"}


def batch(*args, cwd=ROOT, **kwargs):
    return subprocess.run([sys.executable, "-m", "autograder", "batch", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=900, **kwargs)


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
    reused = [sid for sid in rows if "grading was reused" in (out / "feedback" / f"{sid}.json").read_text()]
    assert len(reused) >= 30 - 8 - 2  # one grading per distinct code; empty and broken stand alone
    summary = (out / "summary.md").read_text()
    assert "| no submission | 2 |" in summary and "| timed out | 2 |" in summary
    assert (out / "histogram.png").read_bytes()[:4] == b"\x89PNG"


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
    full, one, two, merged = (tmp_path / n for n in ("full", "one", "two", "merged"))
    for out, extra in ((full, []), (one, ["--shard", "1/2"]), (two, ["--shard", "2/2"])):
        run = batch(course["folder"], "--out", out, "--rubric", course["rubric"], "--cache", course["cache"], *extra)
        assert run.returncode == 0, run.stderr
    assert 0 < len(sheet(one)) < 30 and len(sheet(one)) + len(sheet(two)) == 30
    run = subprocess.run([sys.executable, "-m", "autograder", "merge", str(one), str(two), "--out", str(merged)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    drop_time = lambda rows: {k: {c: v for c, v in r.items() if c != "seconds"} for k, r in rows.items()}
    assert drop_time(sheet(merged)) == drop_time(sheet(full))
    assert len(list((merged / "feedback").glob("*.md"))) == 30


def test_a_batch_killed_halfway_resumes_without_regrading(course, tmp_path, catalog_notebook):
    table = kinds(catalog_notebook)
    folder = tmp_path / "three"
    folder.mkdir()
    for kind in ("reference", "wrong", "einsum"):
        (folder / f"{kind}.ipynb").write_bytes(table[kind][0])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "batch", str(folder), "--out", str(out), "--jobs", "1"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 300
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
    assert totals == {"reference": 40, "wrong": 20, "einsum": 40}
