"""The `grade` verb: one submission in, one results.json out, whatever happens in between.

load the notebook -> ask the questions in children -> run the checks -> write results.
The results path is fixed before anything can fail, and a failure of the grader
itself still writes a valid file with score 0 and the reason.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder.grading import expectations, picking, questions, submission as submission_module
from autograder.feedback import markdown
from autograder import late, paths, rubric as rubric_module
from autograder.grading.checks import Context
from autograder.homework import Homework, ids, load
from autograder.grading.choose import answered_instead, choose, refuse_another
from autograder.grading.seed import read_seed
from autograder.errors import SubmissionError
from autograder.grading.results import entry, results, write_atomically
from autograder.sandbox import accounts, output, runner, wall as wall_module
from autograder.sandbox.accounts import Pool

# What happened to a submission, in the words of the batch's grade sheet.
GRADED, UNREADABLE, GRADER_ERROR, WRONG_HOMEWORK = "graded", "unreadable", "grader error", "wrong homework"
# Where the grading runs: what a message may promise (an instructor who sees the logs) or ask
# (to upload again) depends on it.
VENUES = ("local", "gradescope")
# How the top of the feedback speaks of the checks a student does not see yet (or ever), by visibility.
WHEN_SHOWN = {"after_due_date": "shown after the due date", "after_published": "shown once grades are published",
              "hidden": "that are never shown"}
FIX_UPLOAD = " Upload the .ipynb file saved by Jupyter (File > Download) and submit again."
# What each check says when nothing was graded; the reason is said once, in the notes on the whole submission,
# which Gradescope shows above the checks and the CLI and the Markdown copies below them: no place is named.
NOT_READ = "Not graded: the upload could not be read; the submission's notes say why."
NOT_THIS_HOMEWORK = "Not graded: the upload is another homework's notebook; the submission's notes say which."


@dataclass
class Graded:
    """What a grading produced: the results.json content and what the grader knows beyond it."""

    data: dict
    grader_errors: list[str] = field(default_factory=list)
    figures: dict[str, dict[str, float]] = field(default_factory=dict)  # trained classifiers' figures
    timeouts: int = 0  # questions the student's code did not answer in time
    out_of_time: int = 0  # questions not asked: the grading's total time ran out
    digest: str = ""  # of the loaded code: equal for submissions that differ only in what was dropped
    timeline: list = field(default_factory=list)  # (seconds, lane, event): where a grading's time went
    status: str = GRADED
    parts: tuple[str, ...] = ()  # the homework's parts, in the order of its sheet
    lateness: late.Lateness | None = None  # the rubric's late penalty, when the submission's times were given
    wall: object = None  # sandbox.wall.Wall: what held the student's code in
    by_hand: tuple[tuple[str, float], ...] = ()  # the rubric's manual questions (id, points): a TA grades them

    @property
    def score(self) -> float:
        return self.data["score"]

    def part_scores(self) -> dict[str, tuple[float, float]]:
        return part_scores(self.data, self.parts)


def part_scores(data: dict, parts) -> dict[str, tuple[float, float]]:
    """part -> (points got, points possible), from the tags of results.json's tests."""
    sums = {p: [0.0, 0.0] for p in parts}
    for test in data["tests"]:
        part = next((t for t in test.get("tags", []) if t in sums), None)
        if part:
            sums[part][0] += test["score"]
            sums[part][1] += test["max_score"]
    return {p: (got, possible) for p, (got, possible) in sums.items() if possible or got}


def main(*, submission: str | Path, results_path: str | Path = "results.json",
         rubric_path: str | Path | None = None, run_as: Pool | None = None, unconfined: bool = False,
         notes: list[str] | None = None, lanes: int | None = None, trainings=None, venue: str = "local",
         homework=None, say=lambda text: None, times: late.Times | None = None,
         meta_path: str | Path | None = None) -> Graded:
    """Grade one file; student code runs as an account of `run_as` (root only), `notes` go on top of the output.

    `homework` is a Homework, an id, or None: then the rubric's, or the one the file's answers
    belong to (said through `say`). Inputs that cannot be used (a missing file, a folder, a broken
    rubric, an output that cannot be written or that is one of the inputs, no wall around student
    code without `unconfined`) raise AutograderError before any work, and nothing is written. Once
    grading has started, a results file is always written, even when the grader itself fails.
    `times` (when the submission came in and was due) take the rubric's late penalty off.
    `trainings` (a trainings.Trainings) reuses the trainings of equal classifier code: for our own
    trusted code only (the mutation run, the tests), never for students' submissions. `meta_path`
    receives what the grader knows beyond results.json (the batch reads it).
    """
    path = paths.input_file(submission, "the submission", "pass the notebook (.ipynb) or .py file inside it")
    outputs = {"--results": Path(results_path), "--meta": Path(meta_path) if meta_path else None}
    paths.refuse_inputs_as_outputs(outputs, {"the submission": path})
    with picking.Upload(path) as upload:  # a zip: unpacked into a private temporary folder, removed at the end
        if homework is None and rubric_path is None and len(ids()) > 1 and (why := unreadable_upload(upload)):
            return unreadable_unknown(why, results_path, venue, notes or [])  # no homework needed to say what it is
        hw = homework if isinstance(homework, Homework) else choose(homework, rubric_path, upload.candidates(), say)
        if homework is None:  # the rubric's homework: refused for a notebook of another (--homework grades it so)
            refuse_another(hw, upload.candidates(), None, rubric_path, anyway=True)
        rubric = rubric_module.load(hw, rubric_path)
        paths.refuse_inputs_as_outputs(outputs, {"the rubric": rubric.path, "the seed file": rubric.seed_file,
                                                 "the homework's pack": hw.folder})
        results_path = paths.output_file(results_path, "--results")
        meta_path = paths.output_file(meta_path, "--meta", "meta.json") if meta_path else None
        wall = wall_module.here(run_as, unconfined)
        if venue != "gradescope":  # the container always switches users; elsewhere no wall is no grading
            wall.refuse_unconfined()
        say(wall.describe())
        seed = read_seed(rubric.seed_file)
        with accounts.claimed(run_as, say) as account:
            if account is not None:
                say(f"This grading holds the account {account.name}: no other grading runs student code as it "
                    "meanwhile")
            graded = graded_or_crashed(hw, upload, rubric, seed, Run(account, lanes, trainings, venue, notes or []))
    graded.wall = wall
    graded.by_hand = tuple((m.id, m.points) for m in rubric.manual)
    if times is not None and graded.status == GRADED:
        graded.lateness = late.assess(rubric.late, times, graded.score, rubric.total)
        graded.data = late.apply(graded.data, graded.lateness)
    if venue == "gradescope":  # Gradescope renders Markdown; everywhere else the text stays plain
        graded.data = markdown.results(graded.data)
    write_atomically(graded.data, results_path)
    if meta_path:
        write_atomically(meta(graded), meta_path)
    return graded


def graded_or_crashed(hw, upload, rubric, seed: int, run: "Run") -> Graded:
    """The grading, timed from when its account is held; a fault of the grader itself is still a Graded."""
    started = time.monotonic()
    try:
        return grade(hw, upload, rubric, seed, started, run)
    except Exception:  # the grader's own fault: still a valid results file
        return crashed(hw, rubric, started, run.venue, traceback.format_exc())


def meta(graded: Graded) -> dict:
    """What the grader knows beyond results.json: what the batch reads of a grading."""
    return {"status": graded.status, "timeouts": graded.timeouts, "out_of_time": graded.out_of_time,
            "grader_errors": len(graded.grader_errors), "grader_error_lines": graded.grader_errors[:5],
            "digest": graded.digest, "parts": {p: list(v) for p, v in graded.part_scores().items()},
            "figures": graded.figures, "timeline": graded.timeline,
            "wall": graded.wall.to_json() if graded.wall else None}


@dataclass
class Run:
    """How a grading runs: as whom, on how many cores, with which shared trainings, where, with which notes."""

    account: object = None
    lanes: int | None = None
    trainings: object = None
    venue: str = "local"
    notes: list = field(default_factory=list)


def grade(hw, upload, rubric, seed: int, started: float, run: Run) -> Graded:
    try:
        path, said = upload.pick(hw.notebook)  # a zip's one notebook, or the one with the handout's name
        sub = submission_module.load(path, hw.handout)
    except SubmissionError as exc:
        return unreadable(hw, rubric, started, run.notes, f"{exc}.", run.venue)
    run = replace(run, notes=[*run.notes, *said])
    other = answered_instead(sub.defined, hw)
    if other is not None:
        return wrong_homework(hw, other, sub.defined, rubric, started, run)
    registry, kinds = hw.checks(), hw.gradings()
    asked, by_check = questions.build(registry, kinds, rubric, questions.Asking(rubric, seed))
    raw, load_errors, printed, timeline = ask(hw, sub, rubric, asked, run, started)
    graded = score(hw, sub, rubric, (asked, by_check), raw, load_errors, [*run.notes, *output.note(printed)], started)
    graded.timeline = [(round(t - started, 3), lane, event) for t, lane, event in timeline]
    if any(isinstance(a, dict) and a.get("busy") for a in raw.values()):
        graded.status = GRADER_ERROR  # the machine was too busy to start Python: not the student's doing
    faults = [a for a in raw.values() if isinstance(a, dict) and a.get("environment") is True]
    if faults:  # the machine failed (no Python, numpy or torch; starved or killed children): not the student's
        graded.status = GRADER_ERROR
        graded.grader_errors += list(dict.fromkeys(machine_fault(a) for a in faults))
    return graded


def machine_fault(answer: dict) -> str:
    """The line the TA's and the instructor's logs get for a question the grading machine failed."""
    module = answer.get("module")
    if module:
        return f"the children could not start {module}: {answer.get('message', '')}"
    return f"the grading machine failed, not the student's code: {answer.get('message', '')}"


def ask(hw, sub, rubric, asked: list, run: Run, started: float, meanwhile=None):
    """The children's raw answers (trainings of equal code shared, for our own code), load errors,
    bytes printed, and the timeline; `meanwhile()` runs here while the children work."""
    trainings = run.trainings
    keys = {q.id: trainings.key(sub, q.wire(), hw) for q in asked if q.long} if trainings else {}
    cached = {qid: found for qid, key in keys.items() if (found := trainings.get(key)) is not None}
    cores = run.lanes or runner.children_at_once()
    lanes = [[q.wire() for q in lane if q.id not in cached] for lane in questions.lanes(asked, cores)]
    timeline: list = []
    raw, load_errors, printed = runner.answer_all(hw.id, sub.to_request(), lanes, runner.Limits.of(rubric),
                                                  run.account, parallel=cores, timeline=timeline, started=started,
                                                  meanwhile=meanwhile)
    for qid, key in keys.items():
        if qid in cached:
            raw[qid] = cached[qid]
        elif isinstance(raw.get(qid), dict) and raw[qid].get("status") == "ok":
            trainings.put(key, raw[qid])
    return raw, load_errors, printed, timeline


def score(hw, sub, rubric, asked, raw: dict, load_errors: list[str], notes: list[str], started: float,
          expect=None) -> Graded:
    """The checks on the children's raw answers: everything after the sandbox."""
    from autograder.grading.runner import run_checks

    asked, by_check = asked
    kinds = hw.gradings()
    by_id = {q.id: q for q in asked}
    answers = {qid: questions.clean(raw.get(qid), q, kinds[q.kind]) for qid, q in by_id.items()}
    context = Context(
        homework=hw, rubric=rubric, questions=by_id, answers=answers, expect=expect or expectations.Computed(hw, rubric),
        asked=by_check, suggestions=sub.hints(hw.parts),
        load_notes=sub.notes + [f"Running your definition at {e}" for e in load_errors],
    )
    tests, grader_errors = run_checks(rubric, context)
    broken = [f"{qid}: {a.get('message', '')}" for qid, a in answers.items() if a.status == "grader_error"]
    grader_errors += [f"a pack broke its contract: {line}" for line in dict.fromkeys(broken)]
    cut = sum(1 for a in answers.values() if a.status == "out_of_time")
    stopped = [f"The grading stopped at its time limit of {rubric.total_seconds:g} seconds with {cut} question"
               f"{'s' if cut != 1 else ''} not asked: your code's slow or endless calls used the time. The checks "
               "of those questions give no points and say so."] if cut else []
    output = summary(hw, tests, [*notes, *sub.notes], load_errors, rubric, stopped)
    data = results(tests, output, time.monotonic() - started)
    timeouts = sum(1 for a in answers.values() if a.status == "timeout")
    return Graded(data, grader_errors, context.figures, timeouts, cut, sub.digest(),
                  status=GRADER_ERROR if grader_errors else GRADED, parts=tuple(hw.parts))


def summary(hw, tests: list[dict], notes: list[str], load_errors: list[str], rubric, stopped=()) -> str:
    lines = [hw.summary]
    for visibility, when in WHEN_SHOWN.items():
        points = sum(t["max_score"] for t in tests if t["visibility"] == visibility)
        if points:
            lines.append(f"{points:g} of the {rubric.total:g} points are for checks {when}.")
    if stopped:
        lines += ["", *stopped]
    if notes or load_errors:
        lines.append("")
        lines.append("Notes on your upload:")
        lines += [f"- {n}" for n in notes]
        lines += [f"- Running your definition at {e}" for e in load_errors]
    return "\n".join(lines)


def zero_tests(rubric, message: str) -> list[dict]:
    meta = lambda c: {"weight": c.points, "number": c.number, "visibility": c.visibility, "tags": [c.part]}
    return [entry(c.name, meta(c), False, message) for c in rubric.checks]


def upload_message(reason: str, venue: str) -> str:
    """Why an upload cannot be read, as a sentence, with what to do on Gradescope."""
    return ("The" + reason[3:] if reason.startswith("the ") else reason) + (FIX_UPLOAD if venue == "gradescope" else "")


def unreadable(hw, rubric, started: float, notes: list[str], reason: str, venue: str = "local") -> Graded:
    """0 points with the reason once on top; each check says only that nothing could be graded."""
    message = upload_message(reason, venue)
    output = "\n".join([*notes, message])
    tests = zero_tests(rubric, NOT_READ)
    return Graded(results(tests, output, time.monotonic() - started), status=UNREADABLE, parts=tuple(hw.parts))


def crashed(hw, rubric, started: float, venue: str, trace: str) -> Graded:
    message = "The grader failed while grading this submission; no points could be given. " + (
        "Your instructor can see what happened." if venue == "gradescope" else
        "The reason is in the grader's error output.")
    return Graded(results(zero_tests(rubric, message), message, time.monotonic() - started), [trace],
                  status=GRADER_ERROR, parts=tuple(hw.parts))


def wrong_homework(hw, other, defined: set[str], rubric, started: float, run: Run) -> Graded:
    """A notebook of another installed homework: 0 points, said once on top, nothing run."""
    theirs = ", ".join(n for n in other.handout.ANSWERS if n in defined)
    message = (f"This notebook answers the {other.id} homework ({other.title}): it defines {theirs}, and none of "
               f"{', '.join(hw.handout.ANSWERS)}, which {hw.title} asks for. Submit your notebook of {hw.title} "
               f"({hw.notebook}.ipynb).")
    output = "\n".join([*run.notes, message])
    tests = zero_tests(rubric, NOT_THIS_HOMEWORK)
    return Graded(results(tests, output, time.monotonic() - started), status=WRONG_HOMEWORK, parts=tuple(hw.parts))


def unreadable_upload(upload) -> str | None:
    """Why an upload cannot be read as any homework's submission, or None when it can be read (of a zip's
    several readable files, the homework, once known from their answers, picks one by its notebook's name)."""
    from autograder.grading.cells import code_cells

    try:
        code_cells(upload.pick([load(h).notebook for h in ids()])[0])
        return None
    except SubmissionError as exc:
        why = f"{exc}."
    return None if any(readable(path) for path in upload.candidates()) else why


def readable(path: Path) -> bool:
    from autograder.grading.cells import code_cells

    try:
        code_cells(path)
        return True
    except SubmissionError:
        return False


def unreadable_unknown(reason: str, results_path, venue: str, notes: list[str]) -> Graded:
    """An upload that no homework can read, graded without knowing its homework: no checks, 0 points, the
    reason (the same words as with --homework)."""
    results_path = paths.output_file(results_path, "--results")
    message = upload_message(reason, venue)
    data = results([], "\n".join([*notes, message]), 0.0)
    write_atomically(markdown.results(data) if venue == "gradescope" else data, results_path)
    return Graded(data, status=UNREADABLE)
