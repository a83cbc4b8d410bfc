"""What the review page asks for and changes: each a function of (course, arguments, the TA's name).

The page is one HTML file with its script and style served beside it (templates/); the data comes
from these as JSON. Students' text reaches the page only as escaped or safely rendered HTML
(cells.py), under a policy that runs no script but ours.
"""

from __future__ import annotations

from pathlib import Path

from autograder.course import reviewed
from autograder.review import cells
from autograder.review.changes import Course, Invalid

TEMPLATES = Path(__file__).parent / "templates"
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; connect-src 'self'; "
          "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
STATIC = {"/review.js": ("review.js", "text/javascript; charset=utf-8"),
          "/review.css": ("review.css", "text/css; charset=utf-8")}


def page(course: Course, token: str) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("review.html.j2").render(title=course.meta.get("assignment") or course.meta["homework"],
                                                     out=str(course.out), token=token)


def static(name: str) -> str:
    text = (TEMPLATES / STATIC[name][0]).read_text(encoding="utf-8")
    return text + ("\n" + cells.style() if name == "/review.css" else "")


def rows(course: Course, students=None) -> dict[str, dict]:
    """The grades.csv rows of `students` (default: all), with the review applied."""
    scores, requests = course.desk.scores(), course.desk.requests()
    found = {}
    for student in students or course.records:
        review = reviewed.review_of(student, course.automatic(student), scores, requests)
        found[student] = reviewed.row(course.records[student], review, course.meta)
    return found


def course(course: Course, args: dict, who: str) -> dict:
    """The students (with their totals and what to look at), the questions and checks, and who is grading."""
    table = rows(course)
    return {"title": course.meta.get("assignment") or course.meta["homework"], "who": who,
            "total": reviewed.course_total(course.meta), "parts": course.meta["parts"],
            "manual": [m.to_json() for m in course.manual.values()], "checks": list(course.checks.values()),
            "scores": [s.to_json() for s in course.desk.scores()], "requests": course.desk.requests(),
            "students": [{k: r.get(k) for k in ("student", "name", "status", "total", "automatic", "review")}
                         for _, r in sorted(table.items())]}


def student(course: Course, args: dict, who: str) -> dict:
    """One student: their cells (each with the parts it is about), every check of the grading, the review."""
    name = args["s"]
    record = course.student(name)
    found, source = cells.of_student(course.out, record)
    shown = []
    for i, cell in enumerate(found):
        parts = [p for p in course.meta["parts"] if i in cells.for_parts(found, [p])]
        shown.append({"kind": cell["kind"], "html": cells.html(cell), "parts": parts})
    part_of = {n: c["part"] for n, c in course.checks.items()}
    tests = [{"number": t["number"], "name": t["name"], "score": t["score"], "max_score": t["max_score"],
              "output": t.get("output", ""), "visibility": t.get("visibility", "visible"),
              "part": part_of.get(t["number"], "")} for t in course.automatic(name).get("tests", [])]
    return {"student": name, "name": record.get("name") or "", "status": record["status"],
            "reason": record.get("reason", ""), "source": source, "cells": shown, "tests": tests,
            "row": rows(course, [name])[name], "history": course.desk.history(name)}


def status(course: Course, args: dict, who: str) -> dict:
    return {}


def history(course: Course, args: dict, who: str) -> dict:
    return {"history": course.desk.history(args.get("s") or None)}


def seen(args: dict) -> int | None:
    """The version of the row the page showed (0: none); a change on a stale view is a conflict."""
    value = args.get("seen")
    if value is None:
        raise Invalid("the change does not say which version it saw: reload the page")
    return int(value)


def grade(course: Course, args: dict, who: str) -> dict:
    score = course.grade(args["student"], args["question"], args.get("points"), args.get("comment", ""), who,
                         args.get("items", ()), seen(args))
    return score.to_json()


def override(course: Course, args: dict, who: str) -> dict:
    return course.override(args["student"], args["number"], args["points"], args.get("reason", ""), who,
                           seen(args)).to_json()


def remove(course: Course, args: dict, who: str) -> dict:
    course.remove(args["student"], args["question"], who, seen(args))
    return {"removed": True}


def request(course: Course, args: dict, who: str) -> dict:
    return course.request(args["student"], args["question"], args.get("text", ""), who)


def resolve(course: Course, args: dict, who: str) -> dict:
    return course.resolve(int(args["id"]), args["state"], args.get("resolution", ""), who, seen(args))
