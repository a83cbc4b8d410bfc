"""Shared fixtures: grading a file the way the CLI does, with every results.json validated."""

from __future__ import annotations

import json
import os
from pathlib import Path

# One thread per numerical library in the tests' own processes and what they start, as in the grader's children:
# beside the other test worker and the gradings' children, OpenMP and BLAS threads only spin and wait (the solved
# notebook's script took 14.5 s alone and 140 s in CI with torch's two threads). Set before anything imports torch.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import jsonschema
import pytest

from autograder.grading import grade
from autograder import homework, rubric
from autograder.grading.trainings import Trainings

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "results.schema.json").read_text())
NN2 = homework.load("nn2")
NN2_RUBRIC = rubric.load(NN2)
PART_NAMES = tuple(NN2.parts)
REFERENCE_NOTEBOOK = ROOT / "reference" / "nn2" / "solution.ipynb"
TOTAL = NN2_RUBRIC.total
# The packs this repository ships (its folders under autograder/homeworks/): the ones the tests speak of. A course's
# own pack installed beside them (an entry point) is found by the grader too, and must not change what a test expects.
SHIPPED = sorted(p.name for p in homework.HOMEWORKS.iterdir() if (p / "__init__.py").is_file())
SHIPPED_PACKS = [homework.load(h) for h in SHIPPED]


# How long a test waits for a process before calling it hung: a guard against a hang, never a time limit of
# this machine (a grading that ends is never failed for being slow; the grader's own limits are what its
# tests assert, through the verdicts and messages they produce). Generous for a busy 2-core machine.
HANG_SECONDS = 1800


def edited(text: str, old: str, new: str, count: int = 1) -> str:
    """`text` with `old` made `new`, after checking `old` is there `count` times: an edit of the reference or a
    rubric that no longer applies fails the test, instead of leaving it testing the unedited text."""
    assert text.count(old) == count, f"{old!r} is in the text {text.count(old)} times, not {count}: update the test"
    return text.replace(old, new)


def total_without(*parts: str, rubric=NN2_RUBRIC) -> float:
    """The total of a submission that loses exactly these parts, from the rubric."""
    return rubric.total - sum(rubric.parts[p] for p in parts)



def validate_results(data: dict) -> None:
    """The schema, plus what a schema cannot say: scores add up, failed means points lost."""
    jsonschema.validate(data, SCHEMA)
    assert abs(data["score"] - sum(t["score"] for t in data["tests"])) < 1e-9
    parts = {p for h in homework.ids() for p in homework.load(h).parts}
    for t in data["tests"]:
        assert len(set(t["tags"]) & parts) == 1, t["tags"]  # each test counts for exactly one part
        assert 0 <= t["score"] <= t["max_score"]
        assert (t["status"] == "passed") == (t["score"] == t["max_score"])


def grade_file(path: Path, results_dir: Path, rubric: Path | None = None, trainings=None, hw=None) -> grade.Graded:
    results_path = results_dir / f"{Path(path).stem}.results.json"
    graded = grade.main(submission=path, results_path=results_path, rubric_path=rubric, trainings=trainings,
                        homework=hw)
    on_disk = json.loads(results_path.read_text())
    assert on_disk == json.loads(json.dumps(graded.data))
    validate_results(on_disk)
    assert not graded.grader_errors, graded.grader_errors
    return graded


@pytest.fixture(scope="session")
def shared_trainings():
    """Trainings of equal classifier code, shared by every grading and self-check of the session (our own code)."""
    return Trainings()


@pytest.fixture(scope="session")
def grade_once(tmp_path_factory, shared_trainings):
    """Grade each file once per session: several tests read the same grading.

    Trainings of equal classifier code are shared (trainings.py): the catalog is our own code,
    and most of its files change one answer, so most classes train what the reference trains.
    """
    cache: dict[tuple, grade.Graded] = {}
    out = tmp_path_factory.mktemp("results")
    shared = shared_trainings

    def run(path: Path, rubric: Path | None = None, hw=None) -> grade.Graded:
        key = (str(path), str(rubric))
        if key not in cache:
            cache[key] = grade_file(Path(path), out, rubric, shared, hw)
        return cache[key]

    return run


@pytest.fixture(scope="session")
def catalog_notebook(tmp_path_factory):
    """The notebook of a catalog entry, built once per session so that grade_once can reuse its grading."""
    import catalog

    out = tmp_path_factory.mktemp("catalog")

    def build(entry):
        folder = out / entry.homework.id / entry.path.parent.name
        path = folder / f"{entry.path.stem}.ipynb"
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            catalog.notebook(entry, folder)
        return path

    return build


def feedback(graded: grade.Graded, part: str | None = None) -> str:
    return "\n".join(t["output"] for t in graded.data["tests"] if part is None or part in t["tags"])


def lost_parts(graded: grade.Graded) -> set[str]:
    return {p for p, (got, possible) in graded.part_scores().items() if got < possible}

