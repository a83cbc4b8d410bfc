"""The `grade` verb: one submission in, one results.json out, whatever happens in between.

load the notebook -> ask the questions in children -> run the checks -> write results.
The results path is fixed before anything can fail, and a failure of the grader
itself still writes a valid file with score 0 and the reason.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import expectations, hardcoded, networks, paths, questions, rubric as rubric_module, submission as submission_module
from .checks import Context
from .errors import SubmissionError
from .results import entry, results, run_checks, write_atomically
from .sandbox import output, runner

ANSWER_NAMES = ("Mix", "Grad", "FrobClassifier", "MixClassifier")


# What happened to a submission, in the words of the batch's grade sheet.
GRADED, UNREADABLE, GRADER_ERROR = "graded", "unreadable", "grader error"
# Where the grading runs: what a message may promise (an instructor who sees the logs) or ask
# (to upload again) depends on it.
VENUES = ("local", "gradescope")
FIX_UPLOAD = " Upload the .ipynb file saved by Jupyter (File > Download) and submit again."


@dataclass
class Graded:
    """What a grading produced: the results.json content and what the grader knows beyond it."""

    data: dict
    grader_errors: list[str] = field(default_factory=list)
    figures: dict[str, dict[str, float]] = field(default_factory=dict)  # trained classifiers' figures
    timeouts: int = 0  # questions the student's code did not answer in time
    digest: str = ""  # of the loaded code: equal for submissions that differ only in what was dropped
    timeline: list = field(default_factory=list)  # (seconds, lane, event): where a grading's time went
    status: str = GRADED

    @property
    def score(self) -> float:
        return self.data["score"]

    def part_scores(self) -> dict[str, tuple[float, float]]:
        parts: dict[str, list[float]] = {}
        for test in self.data["tests"]:
            part = next((t for t in test.get("tags", []) if t in ANSWER_NAMES), None)
            if part:
                got = parts.setdefault(part, [0.0, 0.0])
                got[0] += test["score"]
                got[1] += test["max_score"]
        return {p: (parts[p][0], parts[p][1]) for p in ANSWER_NAMES if p in parts}


def main(*, submission: str | Path, results_path: str | Path = "results.json",
         rubric_path: str | Path | None = None, account: runner.Account | None = None,
         notes: list[str] | None = None, lanes: int | None = None, trainings=None,
         venue: str = "local") -> Graded:
    """Grade one file; `account` is the user student code runs as (root only), `notes` go on top of the output.

    Inputs that cannot be used (a missing file, a folder, a broken rubric, an output that cannot
    be written) raise AutograderError before any work, and nothing is written. Once grading has
    started, a results file is always written, even when the grader itself fails.
    `trainings` (a trainings.Trainings) reuses the trainings of equal classifier code: for our own
    trusted code only (the mutation run, the tests), never for students' submissions.
    """
    rubric = rubric_module.load(rubric_path)
    path = paths.input_file(submission, "the submission", "pass the notebook (.ipynb) or .py file inside it")
    results_path = paths.output_file(results_path, "--results")
    started = time.monotonic()
    try:
        graded = grade(path, rubric, started, account, notes or [], lanes, trainings, venue)
    except Exception:  # the grader's own fault: still a valid results file
        graded = crashed(rubric, started, venue, traceback.format_exc())
    write_atomically(graded.data, results_path)
    return graded


def grade(path: Path, rubric, started: float, account, notes: list[str], lanes: int | None = None,
          trainings=None, venue: str = "local") -> Graded:
    try:
        sub = submission_module.load(path)
    except SubmissionError as exc:
        return unreadable(rubric, started, notes, f"{exc}.", venue)
    seed = networks.read_seed(rubric.seed_file)
    asked = questions.build(rubric, seed)
    request = sub.to_request()
    limits = runner.Limits.of(rubric)
    keys = {q["id"]: trainings.key(sub, q) for q in asked if q["kind"] == "train"} if trainings else {}
    cached = {qid: found for qid, key in keys.items() if (found := trainings.get(key)) is not None}
    cores = lanes or runner.usable_cpus()
    lanes_of_questions = [[questions.to_json(q) for q in lane if q["id"] not in cached]
                          for lane in questions.lanes(asked, cores)]
    timeline: list = []
    raw, load_errors, printed = runner.answer_all(request, lanes_of_questions, limits, account, parallel=cores,
                                                  timeline=timeline)
    for qid, key in keys.items():
        if qid in cached:
            raw[qid] = cached[qid]
        elif isinstance(raw.get(qid), dict) and raw[qid].get("status") == "ok":
            trainings.put(key, raw[qid])
    graded = score(sub, rubric, asked, raw, load_errors, [*notes, *output.note(printed)], started)
    graded.timeline = [(round(t - started, 3), lane, event) for t, lane, event in timeline]
    if any(isinstance(a, dict) and a.get("busy") for a in raw.values()):
        graded.status = GRADER_ERROR  # the machine was too busy to start Python: not the student's doing
    return graded


def score(sub, rubric, asked: list[dict], raw: dict, load_errors: list[str], notes: list[str],
          started: float) -> Graded:
    """The checks on the children's raw answers: everything after the sandbox."""
    by_id = {q["id"]: q for q in asked}
    answers = {qid: questions.clean(raw.get(qid), q) for qid, q in by_id.items()}
    context = Context(
        rubric=rubric, questions=by_id, answers=answers, expect=expectations.Computed(rubric, by_id),
        suggestions={name: sub.suggest(name) for name in ANSWER_NAMES if name not in sub.defined},
        load_notes=sub.notes + [f"Running your definition at {e}" for e in load_errors],
    )
    plugin = run_checks(rubric, context)
    withheld = hardcoded.findings(by_id, answers, context.expect, rubric, questions.CALLS)
    tests = [withhold(e, withheld) for e in plugin.entries]
    output = summary(tests, [*notes, *sub.notes], load_errors, rubric)
    data = results(tests, output, time.monotonic() - started)
    timeouts = sum(1 for a in answers.values() if a["status"] == "timeout")
    return Graded(data, plugin.grader_errors, context.figures, timeouts, sub.digest(),
                  status=GRADER_ERROR if plugin.grader_errors else GRADED)


def withhold(test: dict, withheld: dict[str, str]) -> dict:
    """A check of a part whose answers do not depend on their input: 0, with the reason first."""
    part = next((p for p in test["tags"] if p in withheld), None)
    if part is None:
        return test
    output = "\n".join(x for x in (withheld[part], test["output"]) if x)
    return {**test, "score": 0.0, "status": "failed", "output": output}


def summary(tests: list[dict], notes: list[str], load_errors: list[str], rubric) -> str:
    lines = ["Graded: Mix and Grad on the handout's initial and trained networks and on hidden random ones; "
             "the value and gradient of both reg() methods; both classifiers trained with the handout's fit()."]
    hidden = sum(t["max_score"] for t in tests if t["visibility"] != "visible")
    if hidden:
        lines.append(f"{hidden:g} of the {rubric.total:g} points are for checks on hidden inputs, shown after the due date.")
    if notes or load_errors:
        lines.append("")
        lines.append("Notes on your upload:")
        lines += [f"- {n}" for n in notes]
        lines += [f"- Running your definition at {e}" for e in load_errors]
    return "\n".join(lines)


def zero_tests(rubric, message: str) -> list[dict]:
    meta = lambda c: {"weight": c.points, "number": c.number, "visibility": c.visibility, "tags": [c.part]}
    return [entry(c.name, meta(c), False, message) for c in rubric.checks]


def unreadable(rubric, started: float, notes: list[str], reason: str, venue: str = "local") -> Graded:
    """0 points with the reason once on top; each check says only that nothing could be graded."""
    message = ("The" + reason[3:] if reason.startswith("the ") else reason) + (FIX_UPLOAD if venue == "gradescope" else "")
    output = "\n".join([*notes, message])
    tests = zero_tests(rubric, "Not graded: the upload could not be read (see the note at the top).")
    return Graded(results(tests, output, time.monotonic() - started), status=UNREADABLE)


def crashed(rubric, started: float, venue: str, trace: str) -> Graded:
    message = "The grader failed while grading this submission; no points could be given. " + (
        "Your instructor can see what happened." if venue == "gradescope" else
        "The reason is in the grader's error output.")
    return Graded(results(zero_tests(rubric, message), message, time.monotonic() - started), [trace],
                  status=GRADER_ERROR)
