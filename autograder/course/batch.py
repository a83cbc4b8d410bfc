"""`autograder batch` and `autograder merge`: a whole course, in parallel, resumable, with a grade sheet.

Each submission is graded by its own `autograder grade` process (the same
isolation, limits and timeouts as a single grading, and a crash of the grader
on one submission cannot stop the others). After each one, its feedback and a
state file are written atomically; a rerun skips every submission whose file
and rubric are unchanged. Submissions whose loaded code is identical are graded
once (said in the TA's copy, never in the student's). `--shard K/N` grades a
deterministic slice; `merge` joins the slices.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import sys
import tempfile

import traceback
import zipfile
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.course import canvas, downloads as course, moodle, publication, report
from autograder import late, paths, rubric as rubric_module
from autograder.grading import submission
from autograder.course.downloads import Entry
from autograder.course.gradings import Outcome, failed, outcome_of, run_grade, time_limit
from autograder.errors import AutograderError, SubmissionError, UsageError
from autograder.grading.grade import part_scores, zero_tests
from autograder.course.insights import GRADED
from autograder.grading.choose import choose, refuse_another
from autograder.homework import load as load_homework
from autograder.grading.results import results, write_atomically
from autograder.sandbox import wall as wall_module
from autograder.sandbox.accounts import Pool
from autograder.sandbox.cgroups import children_at_once

def parse_shard(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard {text}: expected K/N, for example 2/8") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard {text}: K must be between 1 and N")
    return k, n


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    k, n = shard
    return int(hashlib.sha256(student.encode()).hexdigest(), 16) % n == k - 1


def safe_name(student: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in student) or "unnamed"


RETRIED = ("grader error", "timed out")  # a rerun grades these again: the cause may be gone (a busy machine)
TIMEOUT_ATTEMPTS = 2  # a submission that timed out this often is final: its code most likely never ends


def main(*, source: str | Path, out: str | Path, jobs: int | None = None, rubric_path: str | Path | None = None,
         shard: str | None = None, cache: str | Path | None = None, regrade: list[str] | None = None,
         regrade_all: bool = False, homework: str | None = None, assignment: str | None = None,
         canvas_gradebook: str | Path | None = None, moodle_worksheet: str | Path | None = None,
         scheduler: str | None = None, run_as: str | None = None, unconfined: bool = False) -> int:
    """Exit status 0 when every submission got a grade, 1 when some ended in `grader error`."""
    slice_ = parse_shard(shard)
    source = check_paths(source, out, cache, rubric_path, canvas_gradebook, moodle_worksheet)
    pool = Pool.parse(run_as) if run_as else None
    wall = None if scheduler else wall_module.here(pool, unconfined)  # a cluster's workers report their own
    if wall is not None:
        wall.refuse_unconfined()
    made = first_missing(Path(out)) or first_missing(Path(out) / "work")  # what a refusal removes
    out = paths.output_folder(out, "--out")
    # Exited in this order: the folder made private, the client closed, and last a refusal's folder removed.
    with undone_if_refused(made) as setup, cluster_client(scheduler) as client, paths.private(out):
        cache = paths.output_folder(cache, "--cache") if cache else None
        gradebook = canvas.read_gradebook(paths.input_file(canvas_gradebook, "--canvas-gradebook", "pass Canvas's "
                                          "gradebook export (CSV)"), assignment) if canvas_gradebook else None
        worksheet = moodle.read_worksheet(paths.input_file(moodle_worksheet, "--moodle-worksheet", "pass Moodle's "
                                          "grading worksheet (CSV)")) if moodle_worksheet else None
        form, entries, hw, rubric = prepare(source, out, homework, rubric_path, worksheet)
        entries = [e for e in entries if in_shard(e.student, slice_)]
        check_regrade(regrade, entries, source)
        print(f"Detected a {form}: {len(entries)} submissions" + (f" in shard {shard}" if shard else ""), flush=True)
        say_what_is_odd(entries)
        say_late_policy(rubric, form, entries)
        walls = [wall.to_json()] if wall else []
        if client is not None:
            from autograder.course import cluster

            walls = cluster.refuse_other_graders(client, scheduler, hw.id, pool, unconfined)
        setup.done = True  # from here on, a failure keeps what was written: it may be a rerun's to resume
        for line in dict.fromkeys(w["described"] for w in walls):
            print(line, flush=True)
        exports = report.Exports(assignment or hw.title, gradebook, [w["described"] for w in walls])
        write_atomically({"form": form, "homework": hw.id, "rubric": rubric.digest, "max_score": rubric.total,
                          "parts": list(rubric.parts), "assignment": exports.assignment,
                          "checks": [{"number": c.number, "part": c.part, "name": c.name, "points": c.points}
                                     for c in rubric.checks],
                          "manual": [m.to_json() for m in rubric.manual],
                          "students": [e.student for e in entries],
                          "canvas_gradebook": str(Path(canvas_gradebook).resolve()) if gradebook else None,
                          "sandbox": walls}, out / "batch.json")
        todo = to_grade(out, entries, rubric, set(regrade or []), regrade_all)
        job = Job(hw, rubric, rubric_path, cache, out, client, Confinement(pool, unconfined, unconfined_note(walls)))
        grade_all(todo, job, lanes_for(jobs or children_at_once(), pool, client))
        records = [r for e in entries if (r := read_state(out, e))]
        written = publication.publish(out, records, exports)
        say_manual(out, rubric)
    print(f"Wrote {', '.join(str(out / name) for name in written)}, feedback/ and ta/ for {len(records)} submissions")
    return say_grader_errors(records)


def prepare(source: Path, out: Path, homework: str | None, rubric_path, worksheet: dict | None):
    """(form, entries, homework, rubric): the input read and everything about it checked before any work."""
    form, entries = course.load(source, out / "work")
    if not entries:
        raise UsageError(f"the input {source} holds no submissions: pass the course's download (a folder "
                         "of notebooks, a Canvas, Moodle or Gradescope download)")
    files = [e.path for e in entries if e.path]
    hw = choose(homework, rubric_path, files)
    refuse_another(hw, files, homework, rubric_path, anyway=False)
    rubric = rubric_module.load(hw, rubric_path)
    if worksheet is not None:
        moodle_times(form, entries, worksheet, rubric)
    return form, entries, hw, rubric


@dataclass
class Setup:
    done: bool = False  # the inputs are checked and the work has started


@contextmanager
def undone_if_refused(made: Path | None):
    """Until the work starts, a refusal leaves nothing behind: the folder this run made (--out and its missing
    parents, or the work/ folder it unpacked the input into) is removed."""
    setup = Setup()
    try:
        yield setup
    except AutograderError:
        if made and not setup.done:
            shutil.rmtree(made, ignore_errors=True)
        raise


def first_missing(path: Path) -> Path | None:
    """The outermost folder that making `path` would make; None when it exists."""
    path = path.absolute()
    if path.exists():
        return None
    while not path.parent.exists():
        path = path.parent
    return path


@dataclass(frozen=True)
class Confinement:
    """How the batch's gradings hold student code: the accounts of --run-as, and --unconfined (said per row)."""

    pool: Pool | None = None
    unconfined: bool = False
    note: str = ""  # for every row's TA copy when a grading ran without a wall

    def arguments(self) -> list[str]:
        """The same, for an `autograder grade` process."""
        return [*(["--run-as", str(self.pool)] if self.pool else []), *(["--unconfined"] if self.unconfined else [])]


def unconfined_note(walls: list[dict]) -> str:
    """The sentence every row's TA copy carries when student code ran with no wall (--unconfined)."""
    open_ = [w for w in walls if not w["walled"]]
    return (f"Graded UNCONFINED (--unconfined): {open_[0]['described'].removeprefix('Sandbox: ')}. Treat this grade "
            "and the grading machine as exposed to the student's code.") if open_ else ""


def lanes_for(jobs: int, pool: Pool | None, client) -> int:
    """Gradings at once: --jobs, but no more than the accounts of --run-as (each grading holds one)."""
    if pool is None or client is not None or jobs <= len(pool.accounts):
        return jobs
    print(f"--jobs {jobs}: --run-as names {len(pool.accounts)} account(s), and each grading at once holds one: "
          f"grading {len(pool.accounts)} at once (name more accounts to grade more at once)", flush=True)
    return len(pool.accounts)


@contextmanager
def cluster_client(scheduler: str | None):
    """A client of the Dask scheduler given by --scheduler (connected before anything is written), or None."""
    if not scheduler:
        yield None
        return
    from autograder.course import cluster  # only here: without --scheduler, Dask is never imported

    client = cluster.connect(scheduler)
    try:
        yield client
    finally:
        client.close()


def check_regrade(regrade: list[str] | None, entries: list[Entry], source: Path) -> None:
    unknown = sorted(set(regrade or []) - {e.student for e in entries})
    if unknown:
        raise UsageError(f"--regrade {' '.join(unknown)}: no such student in {source} "
                         f"(students are named as in grades.csv)")


def say_manual(out: Path, rubric) -> None:
    """With manual questions: how far the TAs are, and where they grade them (the totals count the rest 0)."""
    if not rubric.manual:
        return
    print(f"The rubric has {len(rubric.manual)} question(s) a TA grades by hand ({rubric.manual_points:g} of "
          f"{rubric.course_total:g} points): grade them with `autograder review {out}`; until then the totals "
          "count them 0 (grades.csv's review column says what is missing).", flush=True)


def say_grader_errors(records: list[dict]) -> int:
    errors = [r["student"] for r in records if r["status"] == "grader error"]
    if errors:
        print(f"{len(errors)} submission{'s' if len(errors) > 1 else ''} ended in `grader error` "
              f"({', '.join(errors[:5])}{', ...' if len(errors) > 5 else ''}): the reason is in grades.csv and "
              "ta/<student>.md; rerun the same command to grade them again.", file=sys.stderr)
        return 1
    return 0


def moodle_times(form: str, entries: list[Entry], worksheet: dict[str, dict], rubric) -> None:
    """Each Moodle participant's submission time, from the worksheet, read in the zone of the rubric's due date."""
    if not form.startswith("Moodle"):
        raise UsageError(f"--moodle-worksheet is for a Moodle download; the input is a {form}")
    if rubric.late and rubric.late.due is None:
        raise UsageError(f"{rubric.path}: [late] has no `due`, and Moodle's worksheet carries no due date: "
                         "add late.due (with its time zone)")
    for e in entries:
        times, problem = moodle.times_of(worksheet.get(e.student))
        e.times = late.with_zone(times, rubric.late)
        if problem:
            e.reason = e.reason or problem


def say_late_policy(rubric, form: str, entries: list[Entry]) -> None:
    """The policy in one line, and when the input carries no times, that no penalty is taken (never guessed)."""
    if rubric.late is None:
        return
    timed = sum(1 for e in entries if e.times.submitted is not None)
    marked = sum(1 for e in entries if e.times.marked_late)
    print(f"Late policy ({rubric.path.name}): {rubric.late.describe()}; submission times known for {timed} of "
          f"{len(entries)}", flush=True)
    if not timed:
        extra = f" ({marked} marked late by Canvas: see the late column)" if marked else ""
        print(f"  No penalty is taken: a {form} carries no submission times{extra}. A Gradescope export, or a "
              "Moodle download with --moodle-worksheet, does.", flush=True)


@dataclass(frozen=True)
class Job:
    """What every grading of one batch shares: the homework, its rubric (and the file it came from), the
    cache of gradings and the output folder."""

    homework: object
    rubric: object
    rubric_path: object
    cache: Path | None
    out: Path
    cluster: object = None  # a Dask client (cluster.connect): the gradings run on its workers
    confinement: Confinement = Confinement()  # who student code runs as, and whether without a wall


def check_paths(source: str | Path, out: str | Path, cache, rubric_path, gradebook, worksheet) -> Path:
    """The input exists and is a folder or zip; --out and --cache are none of the inputs and lie inside none of
    them (an --out inside the course would be read as a student); --out is new, empty or an earlier batch's (the
    batch makes every file under it private to this account). Nothing is written."""
    source = Path(source)
    if not source.exists():
        raise UsageError(f"the input {source} does not exist: check the path")
    if source.is_file() and not zipfile.is_zipfile(source):
        raise UsageError(f"the input {source} is neither a folder nor a zip file: pass the course's download")
    if (source / "batch.json").is_file():  # its state/, feedback/ and ta/ would be read as students
        raise UsageError(f"the input {source} is the output of an earlier batch (it has batch.json), not a course's "
                         "download: pass the download; to join batches' outputs, use `autograder merge`")
    if source.is_dir() and Path(out).resolve().is_relative_to(source.resolve()):
        raise UsageError(f"--out {out} is inside the input folder {source}: it would be read as a student; "
                         "choose a folder outside it")
    paths.refuse_inputs_as_outputs({"--out": Path(out), "--cache": Path(cache) if cache else None},
                                   {"the input": source, **operator_inputs(rubric_path, gradebook, worksheet)})
    refuse_foreign_files(Path(out), "--out", "batch.json")
    return source


def operator_inputs(rubric_path, gradebook, worksheet) -> dict[str, Path | None]:
    """What else a batch or merge reads: the rubric, its seed, the LMS files, and every installed pack."""
    from autograder.homework import ids

    found = {f"the pack {h}": load_homework(h).folder for h in ids()}
    if rubric_path:
        found |= {"the rubric": Path(rubric_path), "the seed file": rubric_module.seed_path(Path(rubric_path))}
    return {**found, "--canvas-gradebook": Path(gradebook) if gradebook else None,
            "--moodle-worksheet": Path(worksheet) if worksheet else None}


def refuse_foreign_files(folder: Path, option: str, marker: str) -> None:
    """An output folder that holds files of something else is refused: the batch would make them all private."""
    if not folder.is_dir() or (folder / marker).is_file():
        return
    others = sorted(p.name for p in folder.iterdir())
    if others:
        raise UsageError(f"{option} {folder} already holds files that are not a batch's output ({', '.join(others[:3])}"
                         f"{', ...' if len(others) > 3 else ''}): choose a new or empty folder, or the {option} of an "
                         "earlier batch to resume it")


def say_what_is_odd(entries: list[Entry]) -> None:
    """Every entry with nothing to grade, or with a file that is not what it should be, in one line each."""
    odd = [e for e in entries if e.reason]
    if odd:
        print(f"{len(odd)} of them need a look (each gets a row in grades.csv with this reason):", flush=True)
        for e in odd:
            print(f"  {e.student}: {e.reason}", flush=True)


def to_grade(out: Path, entries: list[Entry], rubric, regrade: set[str], regrade_all: bool) -> list[Entry]:
    """The entries to grade now: new or changed ones, those that failed last time, and those asked for."""
    todo, done, retried = [], 0, 0
    final = 0
    for e in entries:
        state = read_state(out, e)
        fresh = state and state.get("key") == input_key(e, rubric)
        again = fresh and retry(state)
        retried += bool(again)
        final += bool(fresh and state.get("status") == "timed out" and not again)
        if fresh and not again and not regrade_all and e.student not in regrade:
            done += 1
        else:
            todo.append(e)
    if done:
        print(f"{done} already graded with this rubric: not graded again "
              "(--regrade STUDENT... or --regrade-all to grade them again)", flush=True)
    if retried:
        print(f"{retried} ended in grader error or timed out last time: graded again", flush=True)
    if final:
        print(f"{final} timed out {TIMEOUT_ATTEMPTS} times: final, not graded again (--regrade STUDENT... forces it)",
              flush=True)
    return todo


def retry(state: dict) -> bool:
    """A grader error is always graded again (its cause is the machine's); a timeout once more."""
    if state.get("status") == "timed out":
        return state.get("attempts", 1) < TIMEOUT_ATTEMPTS
    return state.get("status") in RETRIED


def grade_all(todo: list[Entry], job: Job, jobs: int) -> None:
    """Every entry graded and saved: equal code once, known outcomes without grading, the rest by the runner
    (this machine's processes, or the Dask cluster's workers), saved here as each comes back."""
    groups: dict[str, list[Entry]] = {}
    codes: dict[str, str | None] = {}  # digest -> the loaded code (the similarity check's input)
    for e in todo:
        loaded = loaded_submission(e, job.homework)  # loading each notebook once, here
        digest = code_digest(e, loaded)
        groups.setdefault(digest, []).append(e)
        codes[digest] = loaded.code() if loaded else None
    progress = report.Progress(len(todo))
    pending = {}
    for digest, group in groups.items():
        known = without_grading(group[0], digest, job)
        if known is None:
            pending[digest] = group[0]
        else:
            record(group, known, job, progress, codes[digest])
    for digest, outcome in runner(job, jobs).grade(pending, job):
        keep(outcome, digest, job)
        record(groups[digest], outcome, job, progress, codes[digest])
    progress.finish()


def runner(job: Job, jobs: int):
    """Who grades: the Dask cluster's workers (--scheduler), else this machine's processes."""
    if job.cluster is not None:
        from autograder.course import cluster  # only here: without --scheduler, Dask is never imported

        return cluster.Runner()
    return LocalRunner(jobs)


class LocalRunner:
    """Gradings as processes of this machine, `jobs` at once.

    A job is one core: each grading runs one child (one torch import, both trainings in turn), and --jobs
    gradings run at once. That is the most submissions per minute: two children of one grading would each
    import torch and wait for the slower training."""

    def __init__(self, jobs: int):
        self.jobs = jobs

    def grade(self, pending: dict[str, Entry], job: Job):
        """(digest, outcome) of each pending grading, as each finishes."""
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = {pool.submit(grade_one, entry, job): digest for digest, entry in pending.items()}
            for future in as_completed(futures):
                yield futures[future], future.result()


def grade_one(entry: Entry, job: Job) -> Outcome:
    """One file's grading in a process of its own; a failure of the batch itself is that file's grader error."""
    try:
        limit = time_limit(job.rubric)
        with tempfile.TemporaryDirectory(prefix="autograder-batch-") as tmp:
            ran = run_grade(entry.path, Path(tmp), job.homework.id, job.rubric_path, limit,
                            job.confinement.arguments())
        return outcome_of(ran, job.rubric, limit)
    except Exception as exc:  # the batch itself must go on; say so for these students
        return failed(job.rubric, f"the batch failed on this submission: {type(exc).__name__}: {exc}",
                      traceback.format_exc())


def input_key(entry: Entry, rubric) -> str:
    content = entry.path.read_bytes() if entry.path else b""
    return hashlib.sha256(content + rubric.digest.encode()).hexdigest()


def loaded_submission(entry: Entry, homework) -> submission.Submission | None:
    """The submission's loaded code, None when there is no file or it cannot be read."""
    if entry.path is None:
        return None
    try:
        return submission.load(entry.path, homework.handout)
    except (SubmissionError, OSError, ValueError):
        return None


def code_digest(entry: Entry, loaded: submission.Submission | None) -> str:
    """Equal for submissions whose gradings are equal: the same code in the same cells and lines (feedback
    names where a definition failed) and the same notes on loading (the feedback says them). One student's
    feedback then never holds another's. Unreadable or missing ones stand alone."""
    if loaded is None:
        return f"unreadable:{entry.student}" if entry.path else f"none:{entry.student}"
    payload = json.dumps([loaded.to_request()["statements"], loaded.notes])
    return hashlib.sha256(payload.encode()).hexdigest()


def read_state(out: Path, entry: Entry) -> dict | None:
    try:
        return json.loads((out / "state" / f"{safe_name(entry.student)}.json").read_text())
    except (OSError, ValueError):
        return None


def record(group: list[Entry], outcome: Outcome, job: Job, progress, code: str | None) -> None:
    """One grading saved for every entry of its group, each counted in the progress. The grading of equal code
    is what the student's own would have been (code_digest), so only the TA's copy says it was shared."""
    first = group[0]
    for entry in group:
        # The same file (a group submission) is the same submission; other files had equal code.
        mine = outcome if entry.path == first.path else replace(outcome, seconds=0.0, ta_notes=[
            *outcome.ta_notes, f"Not graded on its own: its loaded code, cells and loading notes are those of "
                               f"{first.student}, whose grading it got."])
        try:
            save(job, entry, mine, code)
        except Exception as exc:  # one student's files cannot be written: the others still are
            mine = failed(job.rubric, f"the batch failed on this submission: {type(exc).__name__}: {exc}",
                          traceback.format_exc())
            save(job, entry, mine, code)
        progress.update(entry.student, mine.status, mine.data["score"])


def without_grading(entry: Entry, digest: str, job: Job) -> Outcome | None:
    """The outcome when nothing needs to run: no file, or the same code graded before (the cache)."""
    if entry.path is None and entry.unpicked:  # several files, none the homework's: the student is told which
        message = f"{entry.unpicked}."
        return Outcome(results(zero_tests(job.rubric, message), message, 0.0), "unreadable", 0.0, entry.reason)
    if entry.path is None:
        message = "No notebook (.ipynb) or Python file (.py) was found in this submission."
        return Outcome(results(zero_tests(job.rubric, message), message, 0.0), "no submission", 0.0, entry.reason)
    cache_file = cached(digest, job)
    if cache_file is not None and cache_file.exists() and not digest.startswith("unreadable:"):
        hit = json.loads(cache_file.read_text())
        return Outcome(hit["data"], hit["status"], hit["seconds"], hit.get("reason", ""),
                       ta_notes=[f"Not graded again: the same code was graded before with this rubric ({cache_file})."])
    return None


def cached(digest: str, job: Job) -> Path | None:
    if not job.cache:
        return None
    return job.cache / f"{hashlib.sha256((digest + job.rubric.digest).encode()).hexdigest()}.json"


def keep(outcome: Outcome, digest: str, job: Job) -> None:
    """A finished grading into the cache (a rerun or another batch reuses it for equal code)."""
    cache_file = cached(digest, job)
    if cache_file is not None and outcome.status in ("graded", "unreadable"):
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically({"data": outcome.data, "status": outcome.status, "seconds": outcome.seconds,
                          "reason": outcome.reason}, cache_file)


def save(job: Job, entry: Entry, outcome: Outcome, code: str | None) -> None:
    """The student's copy (feedback/: what the student may see), the TA's (ta/: everything), the answers
    for the similarity check, and last the state file: a state file means a finished grading."""
    out, name = job.out, safe_name(entry.student)
    data = outcome.data
    if entry.notes:
        data = {**data, "output": "\n".join(entry.notes + [data["output"]])}
    unpenalized = data["score"]
    lateness = late.assess(job.rubric.late, entry.times, unpenalized, job.rubric.total)
    if outcome.status in GRADED:
        data = late.apply(data, lateness)
    else:
        lateness = lateness and late.Lateness(lateness.submitted, lateness.due, lateness.late_by, 0.0, 0.0, "")
    write_atomically(report.student_copy(data), out / "feedback" / f"{name}.json")
    (out / "feedback" / f"{name}.md").write_text(report.feedback_markdown(entry, data, outcome.status))
    save_answers(out / "answers" / f"{name}.py", code)
    reason = outcome.reason or entry.reason
    if entry.stray and entry.stray not in reason:  # why it is in no LMS file, before what grading found
        reason = f"{entry.stray}; {reason}"
    save_ta_copy(out / "ta", name, entry, outcome, reason, data, job.confinement.note)
    parts = {p: got for p, (got, _) in part_scores(data, job.rubric.parts).items()}
    before, key = read_state(out, entry), input_key(entry, job.rubric)  # the key reads the whole file: once
    attempts = before.get("attempts", 1) + 1 if before and before.get("key") == key \
        and before.get("status") == outcome.status == "timed out" else 1
    state = {"key": key, "student": entry.student, "name": entry.name, "email": entry.email,
             "file": name, "path": str(entry.path.resolve()) if entry.path else "",
             **{p: parts.get(p, 0.0) for p in job.rubric.parts}, "unpenalized": unpenalized,
             "total": data["score"], "status": outcome.status, **late_columns(entry.times, lateness),
             "seconds": round(outcome.seconds, 1), "reason": reason, "attempts": attempts,
             "moodle_folder": entry.moodle_folder, "stray": entry.stray}
    write_atomically(state, out / "state" / f"{name}.json")


def save_ta_copy(folder: Path, name: str, entry: Entry, outcome: Outcome, reason: str, data: dict,
                 warning: str = "") -> None:
    """ta/<student>.md and .json: the grading with every check, and what only the TA is told (`ta_notes`; first,
    `warning`: a grading without a wall around student code)."""
    notes = [*([warning] if warning else []), *entry.ta_notes, *outcome.ta_notes]
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.md").write_text(report.ta_markdown(entry, outcome.status, reason, outcome.log, data, notes))
    write_atomically({**data, "ta_notes": notes}, folder / f"{name}.json")


def late_columns(times: late.Times, lateness: late.Lateness | None) -> dict:
    """grades.csv's late columns: what the input said, and what the policy took off."""
    submitted = times.submitted.isoformat(timespec="minutes") if times.submitted else ""
    known = lateness is not None and lateness.late_by is not None
    if times.marked_late:
        mark = "yes (Canvas)"
    elif known:
        mark = "yes" if lateness.late else "no"
    else:
        mark = "no" if times.source.startswith("Canvas") else ""
    return {"submitted": submitted, "late": mark,
            "late_by": late.duration(lateness.late_by) if known and lateness.late else "",
            "penalty": lateness.points if lateness else 0.0}


def save_answers(answers: Path, code: str | None) -> None:
    """The answer code the grader ran, for the similarity check (TA-only, like ta/)."""
    if code is None:
        answers.unlink(missing_ok=True)
        return
    answers.parent.mkdir(exist_ok=True)
    answers.write_text(code, encoding="utf-8")


def merge(*, dirs: list[str | Path], out: str | Path) -> int:
    """Join the outputs of several shards (or machines) into one grade sheet and summary."""
    shards = [Path(d) for d in dirs]
    for index, d in enumerate(shards):
        paths.input_folder(d, "the shard")
        if not (d / "batch.json").is_file():
            raise UsageError(f"the shard {d} is not the output of `autograder batch` (it has no batch.json): "
                             "pass the --out folders of the batches")
        twin = next((e for e in shards[:index] if paths.same_path(e, d)), None)
        if twin is not None:
            raise UsageError(f"the shard {d} is given twice ({twin} is the same folder): name each shard once")
    paths.refuse_inputs_as_outputs({"--out": Path(out)}, {f"the shard {d}": d for d in shards})
    refuse_foreign_files(Path(out), "--out", "batch.json")
    metas = [json.loads((d / "batch.json").read_text()) for d in shards]
    if len({m["form"] for m in metas}) > 1:
        raise UsageError(f"the shards come from different inputs: {', '.join(sorted({m['form'] for m in metas}))}")
    if len({(m.get("homework"), m.get("max_score")) for m in metas}) > 1:
        raise UsageError("the shards were graded for different homeworks or rubrics: merge the shards of one batch")
    out = paths.output_folder(out, "--out")
    with paths.private(out):
        return merge_into(out, shards, metas)


def merge_into(out: Path, dirs: list[Path], metas: list[dict]) -> int:
    (out / "state").mkdir(parents=True, exist_ok=True)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    records = {}
    for d in dirs:
        for state_file in sorted((d / "state").glob("*.json")):
            record = json.loads(state_file.read_text())
            records[record["student"]] = record
            shutil.copy(state_file, out / "state" / state_file.name)
            for src in (d / "feedback" / f"{record['file']}.json", d / "feedback" / f"{record['file']}.md",
                        d / "ta" / f"{record['file']}.md", d / "ta" / f"{record['file']}.json",
                        d / "answers" / f"{record['file']}.py"):
                if src.exists():
                    (out / src.parent.name).mkdir(exist_ok=True)
                    shutil.copy(src, out / src.parent.name / src.name)
    meta = metas[0]
    walls = [w for m in metas for w in m.get("sandbox", [])]
    students = [s for m in metas for s in m.get("students", [])] if all("students" in m for m in metas) else None
    write_atomically({**meta, "rubric": "merged", "sandbox": walls, "students": students}, out / "batch.json")
    publication.publish(out, list(records.values()))
    print(f"Merged {len(records)} submissions from {len(dirs)} folders into {out}")
    return 0
