"""report.html, summary.json and similarity.csv of a batch, from a batch's files (no grading here:
test_batch.py makes them from real gradings of the catalog)."""

import csv
import json
import re

import pytest

from autograder import homework, rubric
from autograder.course import report
from autograder.feedback.sentences import MISTAKE_MARK
from autograder.grading.results import write_atomically
from browser import check_report

NN2 = homework.load("nn2")
RUBRIC = rubric.load(NN2)
AXIS = "Mix summed |w| over the wrong axis."
SQRT = "the penalty is missing sqrt(h)."


def feedback(failed: dict[str, str]) -> dict:
    """Results in which the checks of each part in `failed` lose their points and name `failed[part]`."""
    tests = [{"name": c.name, "number": c.number, "max_score": c.points, "tags": [c.part],
              "score": 0.0 if c.part in failed else c.points,
              "output": f"Wrong.\n{MISTAKE_MARK} {failed[c.part]}" if c.part in failed else ""} for c in RUBRIC.checks]
    return {"score": sum(t["score"] for t in tests), "output": "", "tests": tests}


def batch_output(out, students: dict[str, tuple[str, dict, str]]) -> list[dict]:
    """student -> (status, failed parts with their mistake, answer code): the files a batch leaves."""
    (out / "feedback").mkdir(parents=True)
    (out / "answers").mkdir()
    records = []
    for student, (status, failed, code) in students.items():
        data = feedback(failed)
        write_atomically(data, out / "feedback" / f"{student}.json")
        (out / "feedback" / f"{student}.md").write_text(f"# {student}\n")
        if code:
            (out / "answers" / f"{student}.py").write_text(code)
        parts = {p: sum(t["score"] for t in data["tests"] if t["tags"] == [p]) for p in RUBRIC.parts}
        records.append({"student": student, "file": student, "name": student.title(), "email": "", **parts,
                        "total": data["score"] if status != "unreadable" else 0.0, "status": status,
                        "seconds": 1.0, "reason": "it is a PDF" if status == "unreadable" else ""})
    return records


MIX = "def Mix(nn):\n    W = list(nn.model)[0].weight\n    return (W.abs().sum(dim=0)**2).sum()**.5\n"
COPY = "def Mix(network):\n    # mine\n    weights = list(network.model)[0].weight\n    return (weights.abs().sum(dim = 0) ** 2).sum() ** .5\n"
OTHER = ("def Mix(nn):\n    total = 0\n    for column in list(nn.model)[0].weight.T:\n"
         "        total = total + float(column.abs().sum()) ** 2\n    return total ** 0.5\n")


@pytest.fixture
def course(tmp_path):
    students = {"ann": ("graded", {}, MIX), "bob": ("graded", {"Mix": AXIS, "MixClassifier": AXIS}, COPY),
                "cy": ("graded", {"Mix": AXIS}, OTHER), "dee": ("graded", {"FrobClassifier": SQRT}, ""),
                "eve": ("unreadable", {p: "" for p in RUBRIC.parts}, "")}
    records = batch_output(tmp_path, students)
    report.write(tmp_path, records, "folder of submissions", RUBRIC.total, list(RUBRIC.parts), NN2)
    return tmp_path


def test_summary_json_has_pass_rates_and_ranked_mistakes(course):
    summary = json.loads((course / "summary.json").read_text())
    mix = [c for c in summary["checks"] if c["part"] == "Mix"]
    assert len(summary["checks"]) == len(RUBRIC.checks) and mix
    assert all((c["passed"], c["graded"], c["pass_rate"]) == (2, 4, 0.5) for c in mix)  # ann, dee of 4 graded
    assert summary["mistakes"][0] == {"mistake": AXIS, "parts": ["Mix", "MixClassifier"], "students": ["bob", "cy"]}
    assert summary["mistakes"][1]["students"] == ["dee"]
    assert summary["statuses"]["unreadable"] == [{"student": "eve", "file": "eve", "reason": "it is a PDF"}]


def test_similarity_csv_flags_the_renamed_copy_only(course):
    with open(course / "similarity.csv") as f:
        rows = list(csv.DictReader(f))
    flagged = [(r["student_a"], r["student_b"]) for r in rows if r["flagged"] == "yes"]
    assert flagged == [("ann", "bob")], rows
    assert json.loads((course / "summary.json").read_text())["similar_pairs"][0]["a"] == "ann"


def test_a_report_written_again_reuses_the_comparison_until_an_answer_changes(course, monkeypatch):
    """The review page writes the report after each change: the similarity check, most of its time, is read back
    from similarity.cache.json while the answers are the same."""
    from autograder.course import class_report, similarity

    compared = []
    monkeypatch.setattr(similarity, "similar_pairs", lambda *a, **k: compared.append(1) or [])
    rows = [{"student": s, "file": s, "status": st, "total": 0.0, "reason": "it is a PDF" if s == "eve" else ""}
            for s, st in (("ann", "graded"), ("bob", "graded"), ("cy", "graded"), ("dee", "graded"),
                          ("eve", "unreadable"))]
    pairs = class_report.similar_pairs(course, class_report.answer_codes(course, rows), NN2)
    assert compared == [] and [(p.a, p.b) for p in pairs if p.flagged] == [("ann", "bob")]
    assert "sum(dim = 0)" in pairs[0].code_b  # the code shown side by side, read back from answers/
    (course / "answers" / "cy.py").write_text(OTHER + "# changed\n")
    class_report.similar_pairs(course, class_report.answer_codes(course, rows), NN2)
    assert compared == [1]


def test_the_report_is_one_offline_file_that_escapes_student_text(course):
    html = (course / "report.html").read_text()
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)  # nothing fetched: it opens offline
    assert "sum(dim = 0)" in html and "&lt;" not in AXIS  # the pair's code is shown, side by side
    assert 'href="feedback/bob.md"' in html and "eve</a>: it is a PDF" in html


def test_the_report_opens_in_a_browser_with_its_tables_and_sorts_students(course):
    check_report(course / "report.html", len(RUBRIC.checks), AXIS, 2)
