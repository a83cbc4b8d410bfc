"""`autograder batch` and `autograder merge`: a whole course, in parallel, resumable, with a grade sheet.

Each submission is graded by its own `autograder grade` process (the same
isolation, limits and timeouts as a single grading, and a crash of the grader
on one submission cannot stop the others). After each one, its feedback and a
state file are written atomically; a rerun skips every submission whose file
and rubric are unchanged. Submissions whose loaded code is identical are graded
once. `--shard K/N` grades a deterministic slice; `merge` joins the slices.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import course, report, rubric as rubric_module, submission
from .course import Entry
from .errors import AutograderError, SubmissionError
from .grade import zero_tests
from .results import results, write_atomically
from .sandbox.runner import usable_cpus

PARTS = ("Mix", "Grad", "FrobClassifier", "MixClassifier")
REUSED = "Your submission's code is identical to another submission's after loading; that grading was reused."


def parse_shard(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise AutograderError(f"--shard {text}: expected K/N, for example 2/8") from None
    if not 1 <= k <= n:
        raise AutograderError(f"--shard {text}: K must be between 1 and N")
    return k, n


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    k, n = shard
    return int(hashlib.sha256(student.encode()).hexdigest(), 16) % n == k - 1


def safe_name(student: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in student) or "unnamed"


def main(*, source: str | Path, out: str | Path, jobs: int | None = None, rubric_path: str | Path | None = None,
         shard: str | None = None, cache: str | Path | None = None) -> int:
    out = Path(out)
    rubric = rubric_module.load(rubric_path)
    form, entries = course.load(Path(source), out / "work")
    slice_ = parse_shard(shard)
    entries = [e for e in entries if in_shard(e.student, slice_)]
    print(f"Detected a {form}: {len(entries)} submissions" + (f" in shard {shard}" if shard else ""), flush=True)
    jobs = jobs or usable_cpus()
    (out / "state").mkdir(parents=True, exist_ok=True)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    write_atomically({"form": form, "rubric": rubric.digest, "max_score": rubric.total}, out / "batch.json")

    todo, done = [], 0
    for e in entries:
        state = read_state(out, e)
        if state and state.get("key") == input_key(e, rubric):
            done += 1
        else:
            todo.append(e)
    if done:
        print(f"{done} already graded with this rubric: not graded again", flush=True)

    groups: dict[str, list[Entry]] = {}
    for e in todo:
        groups.setdefault(code_digest(e), []).append(e)  # loading each notebook once, here
    # A job is one core: each grading runs one child (one torch import, both trainings in turn),
    # and --jobs gradings run at once. That is the most submissions per minute: two children of
    # one grading would each import torch and wait for the slower training.
    lanes = 1
    progress = report.Progress(len(todo))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for digest, group in groups.items():
            pool.submit(grade_group, digest, group, out, rubric, rubric_path, lanes, cache, progress)
    progress.finish()
    records = [read_state(out, e) for e in entries]
    report.write(out, [r for r in records if r], form, rubric.total)
    print(f"Wrote {out / 'grades.csv'}, {out / 'summary.md'} and feedback/ for {len(records)} submissions")
    return 0


def input_key(entry: Entry, rubric) -> str:
    content = entry.path.read_bytes() if entry.path else b""
    return hashlib.sha256(content + rubric.digest.encode()).hexdigest()


def code_digest(entry: Entry) -> str:
    """Equal for submissions whose loaded code is equal; unreadable or missing ones stand alone."""
    if entry.path is None:
        return f"none:{entry.student}"
    try:
        return submission.load(entry.path).digest()
    except (SubmissionError, OSError, ValueError):
        return f"unreadable:{entry.student}"


def read_state(out: Path, entry: Entry) -> dict | None:
    try:
        return json.loads((out / "state" / f"{safe_name(entry.student)}.json").read_text())
    except (OSError, ValueError):
        return None


def grade_group(digest: str, group: list[Entry], out: Path, rubric, rubric_path, lanes: int, cache,
                progress) -> None:
    try:
        first = group[0]
        data, status, seconds = grade_one(first, digest, rubric, rubric_path, lanes, cache)
        for i, entry in enumerate(group):
            mine = data if i == 0 else {**data, "output": REUSED + "\n\n" + data["output"]}
            save(out, entry, mine, status, seconds if i == 0 else 0.0, rubric)
            progress.update(entry.student, status, mine["score"])
    except Exception as exc:  # the batch itself must go on; say so for these students
        for entry in group:
            data = results(zero_tests(rubric, "The grader failed on this submission."), "", 0.0)
            save(out, entry, data, "grader error", 0.0, rubric)
            progress.update(entry.student, "grader error", 0.0)
        print(f"grader error on {group[0].student}: {exc}", file=sys.stderr, flush=True)


def grade_one(entry: Entry, digest: str, rubric, rubric_path, lanes: int, cache) -> tuple[dict, str, float]:
    """(results.json data, status, seconds) for one file, from the cache when the same code was graded."""
    if entry.path is None:
        message = "No notebook (.ipynb) or Python file (.py) was found in this submission."
        return results(zero_tests(rubric, message), message, 0.0), "no submission", 0.0
    cache_file = None
    if cache:
        cache_file = Path(cache) / f"{hashlib.sha256((digest + rubric.digest).encode()).hexdigest()}.json"
        if cache_file.exists() and not digest.startswith("unreadable:"):
            hit = json.loads(cache_file.read_text())
            return hit["data"], hit["status"], hit["seconds"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nn2-batch-") as tmp:
        out_json, meta_json = Path(tmp) / "results.json", Path(tmp) / "meta.json"
        # -P: the current folder (perhaps full of students' files) is not put on the grader's sys.path.
        safe_path = ["-P"] if sys.version_info >= (3, 11) else []
        command = [sys.executable, *safe_path, "-m", "autograder", "grade", str(entry.path), "--results", str(out_json),
                   "--meta", str(meta_json), "--lanes", str(lanes)]
        if rubric_path:
            command += ["--rubric", str(rubric_path)]
        limit = rubric.load_seconds + 2 * rubric.train_seconds + 40 * rubric.call_seconds
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=limit)
            data = json.loads(out_json.read_text())
            meta = json.loads(meta_json.read_text()) if meta_json.exists() else {"grader_errors": 1}
            status = ("grader error" if run.returncode != 0 or meta.get("grader_errors") else
                      "timed out" if meta.get("timeouts") else "graded")
        except subprocess.TimeoutExpired:
            message = f"Grading did not finish within {limit:g} seconds and was stopped."
            data, status = results(zero_tests(rubric, message), message, limit), "timed out"
        except (OSError, ValueError):
            message = "The grader failed on this submission."
            data, status = results(zero_tests(rubric, message), message, 0.0), "grader error"
    seconds = time.monotonic() - started
    if cache_file is not None and status in ("graded", "timed out"):
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically({"data": data, "status": status, "seconds": seconds}, cache_file)
    return data, status, seconds


def save(out: Path, entry: Entry, data: dict, status: str, seconds: float, rubric) -> None:
    name = safe_name(entry.student)
    if entry.notes:
        data = {**data, "output": "\n".join(entry.notes + [data["output"]])}
    write_atomically(data, out / "feedback" / f"{name}.json")
    (out / "feedback" / f"{name}.md").write_text(report.feedback_markdown(entry, data, status))
    parts = {p: 0.0 for p in PARTS}
    for test in data["tests"]:
        for p in PARTS:
            if p in test.get("tags", []):
                parts[p] += test["score"]
    state = {"key": input_key(entry, rubric), "student": entry.student, "name": entry.name, "email": entry.email,
             "file": name, **parts, "total": data["score"], "status": status, "seconds": round(seconds, 1)}
    write_atomically(state, out / "state" / f"{name}.json")  # last: a state file means a finished grading


def merge(*, dirs: list[str | Path], out: str | Path) -> int:
    """Join the outputs of several shards (or machines) into one grade sheet and summary."""
    out = Path(out)
    (out / "state").mkdir(parents=True, exist_ok=True)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    forms, records = set(), {}
    max_score = 40.0
    for d in map(Path, dirs):
        meta = json.loads((d / "batch.json").read_text())
        forms.add(meta["form"])
        max_score = meta.get("max_score", max_score)
        for state_file in sorted((d / "state").glob("*.json")):
            record = json.loads(state_file.read_text())
            records[record["student"]] = record
            shutil.copy(state_file, out / "state" / state_file.name)
            for suffix in (".json", ".md"):
                src = d / "feedback" / f"{record['file']}{suffix}"
                if src.exists():
                    shutil.copy(src, out / "feedback" / src.name)
    if len(forms) > 1:
        raise AutograderError(f"the folders come from different inputs: {', '.join(sorted(forms))}")
    form = forms.pop() if forms else "folder of submissions"
    write_atomically({"form": form, "rubric": "merged", "max_score": max_score}, out / "batch.json")
    report.write(out, list(records.values()), form, max_score)
    print(f"Merged {len(records)} submissions from {len(dirs)} folders into {out}")
    return 0
