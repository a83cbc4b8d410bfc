"""The TA's review desk: manual questions, overrides and regrade requests over a real batch's output, kept in
SQLite, carried to every grade file, kept across batch reruns; its page served with a token and driven by
keyboard in Debian's Chromium.

The course: a Canvas download of the Hessian homework (the reference, the handout as given, a wrong answer),
graded by the real `autograder batch` with the shipped rubric plus two [[manual]] questions. Expected numbers
come from that rubric and from the batch's own grades.csv.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import catalog
from autograder import homework, rubric
from autograder.course import desk
from conftest import HANG_SECONDS, ROOT

HESSIAN = homework.load("hessian")
MANUAL = """
[[manual]]
id = "ex1a"
name = "Exercise 1a: the Hessian of J"
points = 15
scoring = "negative"

[[manual.items]]
comment = "The mean term of E[x x^T] is missing"
points = -5

[[manual.items]]
comment = "The result without its derivation"
points = -10

[[manual]]
id = "ex1b"
part = "condition_number"
name = "Exercise 1b: the condition number"
points = 15

[[manual.items]]
comment = "Both eigenvalues right"
points = 10

[[manual.items]]
comment = "Their ratio right"
points = 5
"""
STUDENTS = {"801": "ada", "802": "bob", "803": "cy"}  # Canvas user id -> the name in the file


def run(verb: str, *args, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "autograder", verb, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=HANG_SECONDS)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def sheet(path: Path) -> dict[str, dict]:
    with open(path, newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


def canvas_totals(out: Path) -> dict[str, float]:
    with open(out / "canvas_grades.csv", newline="") as f:
        rows = list(csv.reader(f))
    return {r[1]: float(r[5]) for r in rows[1:] if r[1] in STUDENTS}


@pytest.fixture(scope="module")
def course(tmp_path_factory, catalog_notebook):
    """The download, its rubric, and one batch's output (each test reviews a copy of it)."""
    base = tmp_path_factory.mktemp("review")
    source = base / "canvas"
    source.mkdir()
    wrong = next(e for e in catalog.entries("wrong", HESSIAN) if e.path.stem == "condition_inverted")
    files = {"801": HESSIAN.reference.with_suffix(".ipynb").read_bytes(), "802": HESSIAN.template.read_bytes(),
             "803": catalog_notebook(wrong).read_bytes()}
    for sid, data in files.items():
        (source / f"{STUDENTS[sid]}_{sid}_9{sid}_hessian.ipynb").write_bytes(data)
    (base / "secret_seed").write_bytes(HESSIAN.rubric_path.with_name("secret_seed").read_bytes())
    rubric_path = base / "rubric.toml"
    rubric_path.write_text(HESSIAN.rubric_path.read_text() + MANUAL)
    out = base / "out"
    cache = base / "cache"  # the other batches of these files grade nothing again
    batched = run("batch", source, "--out", out, "--rubric", rubric_path, "--cache", cache)
    assert "2 question(s) a TA grades by hand" in batched.stdout
    return {"source": source, "rubric": rubric_path, "out": out, "r": rubric.load(HESSIAN, rubric_path),
            "cache": cache}


@pytest.fixture
def out(course, tmp_path):
    """A copy of the batch's output, reviewed by one test."""
    copy = tmp_path / "out"
    shutil.copytree(course["out"], copy, symlinks=True)
    return copy


def rerun(course, out: Path) -> subprocess.CompletedProcess:
    return run("batch", course["source"], "--out", out, "--rubric", course["rubric"], "--cache", course["cache"])


# ----------------------------------------------------------------------------------------- the rubric's rows


@pytest.mark.parametrize("row, says", [
    ('[[manual]]\nid = "1.1"\nname = "x"\npoints = 5\n', "no check's number"),
    ('[[manual]]\nid = "e1"\nname = "x"\npoints = 5\npart = "nope"\n', "`part` must be one of hessian"),
    ('[[manual]]\nid = "e1"\nname = "x"\npoints = 5\n[[manual.items]]\ncomment = "c"\npoints = -6\n',
     "changes more points than the question's 5"),
    ('[[manual]]\nid = "e1"\nname = "x"\npoints = 5\nscoring = "both"\n', "`scoring` must be one of"),
    ('[[manual]]\nid = "e1"\nname = "x"\npoints = 5\n[[manual]]\nid = "e1"\nname = "y"\npoints = 1\n',
     "appears twice"),
    ('[[manual]]\nid = "e1"\nname = "x"\npoints = 5\npoint = 3\n', "unknown key `manual.point` (did you mean"),
    ('[[manual]]\nid = "e1"\npoints = 5\n', "`name` is missing"),
])
def test_a_bad_manual_row_is_named_with_its_file_and_key(tmp_path, row, says):
    path = tmp_path / "rubric.toml"
    path.write_text(HESSIAN.rubric_path.read_text() + row)
    (tmp_path / "secret_seed").write_bytes(HESSIAN.rubric_path.with_name("secret_seed").read_bytes())
    with pytest.raises(Exception) as caught:
        rubric.load(HESSIAN, path)
    assert str(path) in str(caught.value) and says in str(caught.value), caught.value


def test_manual_questions_add_to_the_homework_s_total_and_the_items_give_points(course):
    r = course["r"]
    ex1a, ex1b = r.manual
    assert r.course_total == r.total + ex1a.points + ex1b.points
    assert ex1a.from_items([]) == ex1a.points  # negative scoring: full marks, minus what is picked
    assert ex1a.from_items([1]) == ex1a.points + ex1a.items[0].points
    assert ex1a.from_items([1, 2]) == 0  # never below 0
    assert ex1b.from_items([1, 2]) == ex1b.points and ex1b.from_items([]) == 0


def test_the_batch_says_what_is_left_to_grade_by_hand_and_counts_it_in_every_total(course):
    rows, r = sheet(course["out"] / "grades.csv"), course["r"]
    assert all(row["review"] == "not graded by hand yet: ex1a, ex1b" for row in rows.values())
    with open(course["out"] / "canvas_grades.csv", newline="") as f:
        possible = next(row for row in csv.reader(f) if row[0].strip() == "Points Possible")
    assert float(possible[5]) == r.course_total


# ------------------------------------------------------------------------------------- the spreadsheet's way


def test_an_imported_sheet_reaches_every_grade_file_and_survives_a_batch_rerun(course, out, tmp_path):
    auto = {s: float(row["automatic"]) for s, row in sheet(out / "grades.csv").items()}
    check = course["r"].checks[0]  # overridden for 803, who lost nothing there: its points must come down
    imported = tmp_path / "marks.csv"
    imported.write_text("student,question,points,comment\n801,ex1a,12,\"The mean term is asserted, not derived\"\n"
                        f"801,ex1b,15,\n802,ex1a,,\n803,{check.number},1,A factor of 2 you corrected by hand\n")
    said = run("review", out, "--import", imported, "--as", "tia")
    assert "Imported 3 scores" in said.stdout
    wanted = {"801": auto["801"] + 27, "802": auto["802"], "803": auto["803"] - (check.points - 1)}
    rows = sheet(out / "grades.csv")
    assert {s: float(r["total"]) for s, r in rows.items()} == wanted == canvas_totals(out)
    assert rows["801"]["manual:ex1a"] == "12" and float(rows["803"]["overrides"]) == 1 - check.points
    mine = (out / "feedback" / "803.md").read_text()
    assert f"from {check.points:g} to 1: A factor of 2 you corrected by hand" in mine
    assert "The mean term is asserted" in (out / "feedback" / "801.md").read_text()
    assert "by tia" in (out / "ta" / "803.md").read_text()
    rerun(course, out)  # nothing changed: no grading, every file written again
    assert {s: float(r["total"]) for s, r in sheet(out / "grades.csv").items()} == wanted == canvas_totals(out)
    assert "A factor of 2" in (out / "feedback" / "803.md").read_text()
    exported = tmp_path / "back.csv"
    run("review", out, "--export", exported)
    assert [r for r in csv.reader(exported.open()) if r[0] == "803" and r[1] == check.number] == [
        ["803", check.number, "1", "A factor of 2 you corrected by hand"]]


def test_a_moodle_course_gets_the_review_in_its_worksheet_and_feedback_zip(course, tmp_path):
    import zipfile

    download = tmp_path / "moodle.zip"
    with zipfile.ZipFile(download, "w") as z:
        z.writestr("Ann Lee_11_assignsubmission_file_/hessian.ipynb", HESSIAN.reference.with_suffix(".ipynb").read_bytes())
        z.writestr("Bo Ek_12_assignsubmission_file_/hessian.ipynb", HESSIAN.template.read_bytes())
    out = tmp_path / "out"
    run("batch", download, "--out", out, "--rubric", course["rubric"], "--cache", course["cache"])
    imported = tmp_path / "marks.csv"
    imported.write_text("student,question,points,comment\n12,ex1b,6,Both eigenvalues; the ratio is upside down\n")
    run("review", out, "--import", imported)
    with open(out / "moodle_grades.csv", newline="") as f:
        worksheet = {r["Identifier"]: r for r in csv.DictReader(f)}
    r = course["r"]
    assert float(worksheet["Participant 12"]["Grade"]) == 6 and float(worksheet["Participant 11"]["Grade"]) == r.total
    assert {float(w["Maximum Grade"]) for w in worksheet.values()} == {r.course_total}
    with zipfile.ZipFile(out / "moodle_feedback.zip") as z:
        mine = z.read("Bo Ek_12_assignsubmission_file_autograder_feedback.md").decode()
    assert "the ratio is upside down" in mine and mine == (out / "feedback" / "12.md").read_text()
    report = (out / "report.html").read_text()
    row = re.search(r"<tr><td>ex1b</td>.*?</tr>", report, re.S).group(0)
    assert "1 / 2" in row and "6.00" in row  # graded for one of two students, mean 6


def test_an_override_whose_automatic_score_changed_under_it_is_held_and_flagged(course, out, tmp_path):
    r = course["r"]
    check = next(c for c in r.checks if c.part == "condition_number")  # what 803's wrong answer loses
    imported = tmp_path / "marks.csv"
    imported.write_text(f"student,question,points,comment\n803,{check.number},{check.points / 2:g},Half: the "
                        "inverse is right\n")
    run("review", out, "--import", imported)
    before = float(sheet(out / "grades.csv")["803"]["total"])
    source = tmp_path / "canvas"
    shutil.copytree(course["source"], source)
    (source / "cy_803_9803_hessian.ipynb").write_bytes(HESSIAN.reference.with_suffix(".ipynb").read_bytes())
    run("batch", source, "--out", out, "--rubric", course["rubric"], "--cache", course["cache"])  # 803 changed
    row = sheet(out / "grades.csv")["803"]
    assert f"override of {check.number} not applied: its automatic score went from 0 to {check.points:g}" in row["review"]
    assert float(row["total"]) == r.total > before  # the grader's score, not the held override
    assert "TO CHECK AGAIN" in (out / "ta" / "803.md").read_text()
    assert "Your TA changed" not in (out / "feedback" / "803.md").read_text()


@pytest.mark.parametrize("lines, says", [
    ("student,question,points,comment\n801,ex1a,12,ok\n899,ex1a,3,\n", "line 3: no student '899'"),
    ("student,question,points,comment\n801,ex9,3,\n", "line 2: no question 'ex9'"),
    ("student,question,points,comment\n801,ex1a,16,\n", "line 2: ex1a is worth 0 to 15 points, not 16"),
    ("student,question,points,comment\n801,ex1a,many,\n", "line 2: the points of ex1a must be a number"),
    ("student,question,points,comment\n801,1.1,2,\n", "line 2: an override of 1.1 needs a reason"),
    ("student,question,points,comment\n801,ex1a,2,\n801,ex1a,3,\n", "line 3: 801 and ex1a again (line 2"),
    ("student,points\n801,3\n", "its first line must be student,question,points,comment"),
    ("student,question,points,comment\n801,ex1a,2\n", "line 2: 3 cells, the header has 4"),
])
def test_a_bad_row_is_named_with_its_line_and_nothing_is_imported(out, tmp_path, lines, says):
    before = (out / "grades.csv").read_text()
    imported = tmp_path / "marks.csv"
    imported.write_text(lines)
    refused = run("review", out, "--import", imported, check=False)
    assert refused.returncode == 2 and says in refused.stderr and "Traceback" not in refused.stderr, refused.stderr
    assert desk.read(out) == ([], []) and (out / "grades.csv").read_text() == before


def test_a_sheet_saved_by_a_spreadsheet_in_windows_encoding_is_read(out, tmp_path):
    imported = tmp_path / "marks.csv"
    imported.write_bytes("student,question,points,comment\r\n801,ex1b,4,Der Quotient fehlt; très bien sinon\r\n"
                         .encode("cp1252"))
    run("review", out, "--import", imported)
    assert "très bien sinon" in (out / "feedback" / "801.md").read_text(encoding="utf-8")


def test_requests_from_a_sheet_are_queued_and_counted_in_the_report(out, tmp_path):
    imported = tmp_path / "requests.csv"
    imported.write_text("student,question,request\n801,ex1b,I did give the ratio\n802,1.1,Why zero?\n")
    run("review", out, "--import", imported)
    _, requests = desk.read(out)
    assert [(q["student"], q["question"], q["state"]) for q in requests] == [("801", "ex1b", "open"),
                                                                             ("802", "1.1", "open")]
    assert "Regrade requests: 2 in all, 2 open" in (out / "report.html").read_text()
    assert "regrade request on ex1b open" in sheet(out / "grades.csv")["801"]["review"]


@pytest.mark.parametrize("args, says", [
    (["--export", "{out}/grades.csv"], "lies inside the batch output"),
    (["--import", "{tmp}/none.csv"], "--import {tmp}/none.csv does not exist"),
    (["--port", "70000"], "a port is 0 to 65535"),
    (["--host", "no-such-host.invalid"], "--host no-such-host.invalid: no such address on this machine"),
])
def test_bad_review_options_are_refused_in_one_line(out, tmp_path, args, says):
    args = [a.format(out=out, tmp=tmp_path) for a in args]
    refused = run("review", out, *args, check=False)
    assert refused.returncode == 2 and says.format(tmp=tmp_path) in refused.stderr, refused.stderr
    said = [line for line in refused.stderr.splitlines() if says.format(tmp=tmp_path) in line]
    assert len(said) == 1 and "Traceback" not in refused.stderr  # argparse's usage lines may come before


def test_a_folder_that_is_no_batch_output_is_refused(tmp_path):
    refused = run("review", tmp_path, check=False)
    assert refused.returncode == 2 and "is not the output of `autograder batch`" in refused.stderr


# ------------------------------------------------------------------------------------------------ the store


def test_a_store_of_the_first_schema_is_migrated_keeping_its_rows(tmp_path):
    db = sqlite3.connect(tmp_path / desk.FILE)
    db.executescript(desk.MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    db.execute("INSERT INTO scores VALUES ('801', 'ex1a', 'manual', 9, '[]', 'kept', NULL, 'tia', 'then', 1)")
    db.commit()
    db.close()
    store = desk.Desk.open(tmp_path)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == desk.SCHEMA > 1
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert [(s.student, s.points, s.comment) for s in store.scores()] == [("801", 9.0, "kept")]
        assert store.request("801", "ex1a", "please", "tia")["state"] == "open"  # the table the migration added
    finally:
        store.close()


# ------------------------------------------------------------------------------------------------ the server


class Server:
    """`autograder review OUT --port 0` in a process of its own: its URL, token, and how to stop it."""

    def __init__(self, out: Path, who: str):
        self.process = subprocess.Popen([sys.executable, "-m", "autograder", "review", str(out), "--port", "0",
                                         "--as", who], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        for line in self.process.stdout:
            if "?token=" in line:
                self.url = line.strip()
                break
        else:
            raise AssertionError(self.process.stderr.read())
        self.base, self.token = self.url.split("/?token=")

    def call(self, path: str, body: dict | None = None, token: str | None = "header") -> tuple[int, dict | str]:
        headers = {"Content-Type": "application/json"}
        if token == "header":
            headers["X-Review-Token"] = self.token
        elif token:
            headers["X-Review-Token"] = token
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                code, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            code, text = error.code, error.read().decode()
        try:
            return code, json.loads(text)
        except ValueError:
            return code, text

    def published(self) -> None:
        """Wait until the grade files hold every change made so far."""
        import time

        deadline = time.monotonic() + HANG_SECONDS
        while time.monotonic() < deadline:
            if self.call("/api/status")[1]["published"]:
                return
            time.sleep(0.2)
        raise AssertionError("the grade files were never written")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=HANG_SECONDS)


@pytest.fixture
def server(out):
    running = Server(out, "tia")
    yield running
    running.stop()


def test_without_the_token_every_request_is_refused_and_gets_no_data(server):
    routes = [("/", None), ("/api/course", None), ("/api/student?s=801", None), ("/api/status", None),
              ("/review.js", None), ("/api/grade", {"student": "801", "question": "ex1a", "points": 1, "seen": 0}),
              ("/api/request", {"student": "801", "question": "ex1a", "text": "x"})]
    for path, body in routes:
        for token in (None, "wrong" + server.token):
            code, text = server.call(path, body, token)
            assert code == 403 and "801" not in str(text) and "ada" not in str(text), (path, code, text)
    code, _ = server.call("/?token=wrong", None, None)
    assert code == 403
    assert server.call("/api/course")[0] == 200
    assert desk.read(Path(server.process.args[4])) == ([], []), "a refused change changed nothing"


def test_a_malformed_or_wrong_change_is_answered_in_one_sentence_and_changes_nothing(server):
    said = []
    for body in ({"student": "801", "question": "ex1a", "points": "many", "seen": 0},
                 {"student": "801", "question": "ex1a", "points": 16, "seen": 0},
                 {"student": "801", "question": "1.1", "points": 1, "reason": " ", "seen": 0},
                 {"student": "801", "question": "ex1a", "points": 3},
                 {"question": "ex1a"}):
        path = "/api/override" if body.get("question") == "1.1" else "/api/grade"
        body = {**body, "number": body["question"]} if path == "/api/override" else body
        code, answer = server.call(path, body)
        assert code == 400 and "Traceback" not in answer["error"], (body, answer)
        said.append(answer["error"])
    assert said[:4] == ["the points of ex1a must be a number, got 'many'", "ex1a is worth 0 to 15 points, not 16",
                        "an override of 1.1 needs a reason: the student reads it",
                        "the change does not say which version it saw: reload the page"]
    request = urllib.request.Request(server.base + "/api/grade", data=b"{not json",
                                     headers={"X-Review-Token": server.token})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 400 and b"not JSON" in refused.value.read()
    assert desk.read(Path(server.process.args[4])) == ([], [])


def test_a_change_through_the_cookie_alone_is_refused(server):
    """The cookie reaches the server from any site's page; a change must also carry the token in a header."""
    request = urllib.request.Request(server.base + "/api/grade", data=b'{"student": "801", "question": "ex1a", '
                                     b'"points": 1, "seen": 0}', headers={"Cookie": f"autograder_review={server.token}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 403


def test_two_tas_at_once_lose_no_write_and_a_stale_view_is_refused(out):
    first, second = Server(out, "tia"), Server(out, "uli")
    try:
        def requests(server: Server, prefix: str) -> None:
            for i in range(20):
                code, _ = server.call("/api/request", {"student": "801", "question": "ex1a", "text": f"{prefix} {i}"})
                assert code == 200

        threads = [threading.Thread(target=requests, args=(s, s.process.args[-1])) for s in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        same = {"student": "802", "question": "ex1a", "points": 9, "seen": 0}
        answers = sorted([first.call("/api/grade", same)[0], second.call("/api/grade", {**same, "points": 11})[0]])
        assert answers == [200, 409]
        first.published()
        second.published()
    finally:
        first.stop()
        second.stop()
    scores, requests = desk.read(out)
    assert sorted(r["text"] for r in requests) == sorted(f"{w} {i}" for w in ("tia", "uli") for i in range(20))
    assert [(s.student, s.question, s.version) for s in scores] == [("802", "ex1a", 1)]
    assert sheet(out / "grades.csv")["802"]["manual:ex1a"] == f"{scores[0].points:g}"
    store = desk.Desk.open(out)
    try:
        assert len(store.history()) == 41  # 40 requests and the one grade that landed
    finally:
        store.close()


# ------------------------------------------------------------------------------------------------ the browser


def test_a_ta_grades_by_keyboard_in_chromium_and_the_sheets_hold_the_sums(course, out, tmp_path):
    from browser import playwright_chromium

    r = course["r"]
    ex1a, ex1b = r.manual
    check = next(c for c in r.checks if c.part == ex1b.part)
    auto = {s: float(row["automatic"]) for s, row in sheet(out / "grades.csv").items()}
    server = Server(out, "tia")
    try:
        with playwright_chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(server.url)
            page.wait_for_selector("#students li.current")
            page.wait_for_selector(".panel.manual .by")
            shown = page.inner_text("#grading")  # the feedback in closed <details> is not shown text
            assert not [w for w in ("null", "undefined", "NaN") if w in shown], shown  # nothing unset shows
            picks = {"801": [], "802": [1], "803": [1, 2]}  # ex1a: the rubric items picked, by their number keys
            for student in STUDENTS:
                page.wait_for_selector(f"#students li.current[data-student='{student}']")
                for item in picks[student]:
                    page.keyboard.press(str(item))
                    page.wait_for_selector(f".panel.manual [data-item='{item}']:checked")
                if not picks[student]:  # negative scoring: nothing picked is full marks, saved as it stands
                    page.keyboard.press("p")
                    page.keyboard.type(f"{ex1a.points:g}")
                    page.keyboard.press("Enter")
                page.wait_for_selector(f"#students li.current .mark:text-is('{ex1a.from_items(picks[student]):g}')")
                page.keyboard.press("j")
            page.wait_for_selector(f"#students li.current[data-student='{next(iter(STUDENTS))}']")  # round again
            page.select_option("#question", f"manual:{ex1b.id}")
            page.wait_for_selector(f".panel.manual[data-question='{ex1b.id}']")
            typed = {"801": 15, "802": 4, "803": 7.5}
            for student, points in typed.items():
                page.wait_for_selector(f"#students li.current[data-student='{student}']")
                page.keyboard.press("p")
                page.keyboard.type(f"{points:g}")
                page.keyboard.press("Escape")
                page.keyboard.press("c")
                page.keyboard.type(f"Comment for {student}")
                page.keyboard.press("Control+Enter")
                page.wait_for_selector(f"#students li.current .mark:text-is('{points:g}')")
                if student == "803":
                    row = page.locator(f".check[data-number='{check.number}']")
                    row.locator(".override-points").fill(f"{check.points:g}")
                    row.locator(".override-reason").fill("Your inverse is right; the grader read it upside down")
                    row.locator(".override-save").click()
                    page.wait_for_selector(f".check[data-number='{check.number}'] .override")
                else:
                    page.keyboard.press("j")
            page.wait_for_selector("#saved:text-is('saved; grade files up to date')")
            page.screenshot(path=str(tmp_path / "review.png"))
            page.select_option("#student-pick", "802")  # every question of one student
            page.wait_for_selector("#students li.current[data-student='802']")
            assert page.locator(".panel.manual").count() == len(r.manual)
            assert page.locator(".panel.checks").count() == len(r.parts)
            assert page.locator(".panel.manual[data-question='ex1b'] .comment").input_value() == "Comment for 802"
            page.select_option(".new-request .request-question", ex1a.id)  # the student asks on ex1a
            page.fill(".new-request .request-text", "I did derive it, on the back of page 2")
            page.click(".new-request button")
            page.fill(".request.open input", "Right: the derivation is there")
            page.click(".request.open button:text-is('Accept')")
            page.wait_for_selector(".request.accepted")
            page.wait_for_selector("#saved:text-is('saved; grade files up to date')")
    finally:
        server.stop()
    for student in STUDENTS:
        given = ex1a.from_items(picks[student]) + typed[student]
        lost = {"803": check.points}.get(student, 0.0)  # the override gives back what 803's check lost
        assert canvas_totals(out)[student] == auto[student] + given + lost, student
    assert "Comment for 802" in (out / "feedback" / "802.md").read_text()
    assert "the grader read it upside down" in (out / "feedback" / "803.md").read_text()
    assert "Your regrade request on ex1a: accepted. Right: the derivation is there" in (
        out / "feedback" / "802.md").read_text()
    assert "Regrade requests: 1 in all, 0 open, 1 accepted" in (out / "report.html").read_text()
    assert (tmp_path / "review.png").stat().st_size > 10_000
    shot = ROOT / "docs" / "images" / "review.png"
    if shot.parent.is_dir() and "KEEP_SCREENSHOT" in __import__("os").environ:
        shutil.copy(tmp_path / "review.png", shot)
    totals = canvas_totals(out)
    rerun(course, out)
    assert canvas_totals(out) == totals, "a batch rerun keeps the review"


# ------------------------------------------------------------------------------ where else the questions show


def test_grade_and_the_gradescope_build_say_the_questions_are_graded_by_hand(course, tmp_path):
    r = course["r"]
    graded = run("grade", HESSIAN.reference.with_suffix(".ipynb"), "--rubric", course["rubric"], "--results",
                 tmp_path / "results.json")
    assert f"{r.total:g} / {r.total:g}" in graded.stdout
    assert f"Not in this total: {r.manual_points:g} points of questions a TA grades by hand (ex1a, ex1b)" in graded.stdout
    assert json.loads((tmp_path / "results.json").read_text())["score"] == r.total  # Gradescope's share only
    built = run("build", "gradescope", "--rubric", course["rubric"], "--out", tmp_path / "autograder.zip")
    assert (f"manual question(s), ex1a ({r.manual[0].points:g} P), ex1b ({r.manual[1].points:g} P), are not in the "
            "zip") in built.stdout


def test_a_student_s_markdown_and_code_reach_the_page_inert():
    from autograder.review import cells

    markdown = cells.html({"kind": "markdown", "source": "<script>alert(1)</script> [x](javascript:alert(1)) "
                                                          "<img src=http://example.com/x.png> **bold**"})
    code = cells.html({"kind": "code", "source": "s = '</pre><script>alert(1)</script>'"})
    for html in (markdown, code):
        assert "<script" not in html and "<img" not in html, html
    assert 'href="javascript:' not in markdown and "<strong>bold</strong>" in markdown
    assert "&lt;/pre&gt;&lt;script&gt;" in code.replace("&#39;", "'")
