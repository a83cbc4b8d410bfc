"""The review desk's figures on a course of 300 students: how long writing every grade file takes after a
change (the first time, and again with the answers unchanged), an import of a sheet of 1,500 scores, the
export, and one change through the page's server until its grade files are written.

    .venv/bin/python bench/review.py

The course: a real batch of the Hessian catalog (its correct and wrong submissions, the reference and the
handout), then each graded student copied under new ids up to 300 (their gradings, answers and feedback),
so the grade files, the report and the similarity check work on 300 students. Two [[manual]] questions
are added to the shipped rubric. Figures, not assertions: machines are noisy.
"""

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import catalog  # noqa: E402
from measure import write_result  # noqa: E402

STUDENTS = 300
MANUAL = """
[[manual]]
id = "ex1a"
name = "Exercise 1a"
points = 15

[[manual]]
id = "ex1b"
name = "Exercise 1b"
points = 15
"""


def autograder(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv" / "bin" / "autograder"), *map(str, args)], capture_output=True,
                          text=True, check=True)


def graded_course(base: Path) -> Path:
    from autograder import homework

    hessian = homework.load("hessian")
    source = base / "in"
    source.mkdir()
    shutil.copy(hessian.reference.with_suffix(".ipynb"), source / "reference.ipynb")
    shutil.copy(hessian.template, source / "handout.ipynb")
    for kind in ("correct", "wrong"):
        for entry in catalog.entries(kind, hessian):
            catalog.notebook(entry, source)
    (base / "rubric.toml").write_text(hessian.rubric_path.read_text() + MANUAL)
    shutil.copy(hessian.rubric_path.with_name("secret_seed"), base / "secret_seed")
    out = base / "out"
    autograder("batch", source, "--out", out, "--rubric", base / "rubric.toml")
    return out


def widen(out: Path, students: int) -> int:
    """Copies of the graded students under new ids, up to `students` (a comment line keeps each answer distinct)."""
    states = sorted((out / "state").glob("*.json"))
    meta = json.loads((out / "batch.json").read_text())
    names = [json.loads(p.read_text())["student"] for p in states]
    for i in range(students - len(states)):
        state = json.loads(states[i % len(states)].read_text())
        old, new = state["file"], f"copy{i:03d}"
        state.update(student=new, file=new)
        (out / "state" / f"{new}.json").write_text(json.dumps(state))
        for folder, suffix in (("ta", ".json"), ("ta", ".md"), ("feedback", ".json"), ("feedback", ".md")):
            if (out / folder / f"{old}{suffix}").exists():
                shutil.copy(out / folder / f"{old}{suffix}", out / folder / f"{new}{suffix}")
        if (out / "answers" / f"{old}.py").exists():
            code = (out / "answers" / f"{old}.py").read_text()
            (out / "answers" / f"{new}.py").write_text(f"# {new}\n{code}")
        names.append(new)
    meta["students"] = names
    (out / "batch.json").write_text(json.dumps(meta))
    return len(names)


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def server_change(out: Path) -> tuple[float, float]:
    """One change through the page's server: (seconds to its answer, seconds until the grade files hold it)."""
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "autograder"), "review", str(out), "--port", "0"],
                               stdout=subprocess.PIPE, text=True)
    try:
        url = next(line.strip() for line in process.stdout if "?token=" in line)
        base, token = url.split("/?token=")

        def call(path, body=None):
            request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None,
                                             headers={"X-Review-Token": token, "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=600) as answer:
                return json.loads(answer.read())

        seen = next(s["version"] for s in call("/api/course")["scores"]
                    if (s["student"], s["question"]) == ("copy000", "ex1b"))  # the imported score
        started = time.perf_counter()
        call("/api/grade", {"student": "copy000", "question": "ex1b", "points": 7, "seen": seen})
        answered = time.perf_counter() - started
        while not call("/api/status")["published"]:
            time.sleep(0.05)
        return answered, time.perf_counter() - started
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    from autograder.course import publication
    from autograder.review import sheet
    from autograder.review.changes import Course

    with tempfile.TemporaryDirectory(prefix="autograder-bench-review-") as tmp:
        base = Path(tmp)
        out = graded_course(base)
        students = widen(out, STUDENTS)
        cold = timed(lambda: publication.publish(out))
        warm = [timed(lambda: publication.publish(out)) for _ in range(3)]
        marks = base / "marks.csv"
        marks.write_text("student,question,points,comment\n" + "".join(
            f"{s},{q},{(i % 16)},comment {i}\n" for i, s in enumerate(json.loads((out / "batch.json").read_text())
                                                                     ["students"]) for q in ("ex1a", "ex1b")))
        rows = 2 * students
        course = Course.open(out)
        try:
            imported = timed(lambda: sheet.import_(course, marks, "bench"))
            exported = timed(lambda: sheet.export(course, base / "back.csv"))
        finally:
            course.close()
        answered, published = server_change(out)
    write_result("review", "python bench/review.py", [
        f"A course of {students} students (the Hessian catalog's batch, copied), 2 manual questions:", "",
        "| what | seconds |", "|---|---|",
        f"| every grade file written, the first time (similarity computed) | {cold:.2f} |",
        f"| again, answers unchanged (median of 3) | {statistics.median(warm):.2f} |",
        f"| import of a sheet of {rows} scores (one transaction) | {imported:.2f} |",
        f"| export | {exported:.2f} |",
        f"| one change on the page: the server's answer | {answered:.3f} |",
        f"| one change on the page: until every grade file holds it (a fresh server) | {published:.2f} |",
    ])


if __name__ == "__main__":
    main()
