"""The student's copy of a batch's grading (report.py): what it says adds up to what it shows."""

import re

from autograder.course import downloads as course, report
from autograder.grading import results
from conftest import NN2_RUBRIC


def graded_with_hidden(hidden_passes: bool) -> tuple[dict, list]:
    """Every check of the rubric passed but the hidden ones' (the first two of its rows made hidden)."""
    hidden = NN2_RUBRIC.checks[:2]
    tests = [results.entry(c.name, {"weight": c.points, "number": c.number, "tags": [c.part],
                                    "visibility": "hidden" if c in hidden else c.visibility},
                           c not in hidden or hidden_passes, "") for c in NN2_RUBRIC.checks]
    return results.results(tests, "", 1.0), hidden


def shown_rows(markdown: str) -> list[float]:
    """The points of each check row of a copy's table: `| 1.1 | name | 3 / 4 | visible |`."""
    return [float(m[1]) for m in re.finditer(r"^\| [\d.]+ \| .* \| ([\d.]+) / [\d.]+ \| \w+ \|$", markdown, re.M)]


def test_the_score_of_a_student_s_copy_says_the_points_of_the_checks_it_does_not_show():
    for passes in (True, False):
        data, hidden = graded_with_hidden(passes)
        copy = report.feedback_markdown(course.Entry("ann"), data, "graded")
        rows = shown_rows(copy)
        assert len(rows) == len(NN2_RUBRIC.checks) - len(hidden)
        unseen = data["score"] - sum(rows)
        assert f"**Score: {data['score']:g}** (graded)." in copy
        assert (f"{unseen:g} points of this score come from {len(hidden)} checks not shown here (worth "
                f"{sum(c.points for c in hidden):g} points).") in copy
        assert all(c.name not in copy for c in hidden)
    shown = {**data, "tests": [{**t, "visibility": "visible"} for t in data["tests"]]}  # nothing hidden: unsaid
    copy = report.feedback_markdown(course.Entry("ann"), shown, "graded")
    assert sum(shown_rows(copy)) == shown["score"] and "not shown" not in copy
