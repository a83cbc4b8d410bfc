"""Grading our own code in this process: the child's answering code run here, the grader's checks on it.

For the reference, mutants and catalog entries only (trusted code): fast, because nothing is
started and trainings are not asked (their checks fail). The real gradings, in children, are
what the catalog and the mutation run do.
"""

from __future__ import annotations

from autograder.grading import grade, questions, submission
from autograder import rubric as rubric_module
from autograder.child.main import answer, run_statements
from autograder.grading.seed import read_seed

SKIPPED = {"status": "skipped", "after": "timeout"}


def asked(hw, seed: bool = True):
    """(questions, ids by check) of a grading of `hw`, with hidden questions unless seed=False."""
    r = rubric_module.load(hw)
    return questions.build(hw.checks(), hw.gradings(), r,
                           questions.Asking(r, read_seed(r.seed_file) if seed else None))


def answered(hw, source: str, tmp_path, parts=None):
    """(submission, (questions, by check), raw answers): long questions, and parts not in `parts`, skipped."""
    path = tmp_path / "solution.py"
    path.write_text(source)
    sub = submission.load(path, hw.handout)
    kinds, children = hw.child_code()
    namespace, errors = children.prepare(sub.to_request()["statements"], sub.cell_sources, run_statements)
    assert not errors, errors
    qs = asked(hw)
    raw = {q.id: SKIPPED if q.long or (parts and q.part not in parts) else answer(kinds, namespace, q.wire())
           for q in qs[0]}
    return sub, qs, raw


def graded(hw, source: str, tmp_path, parts=None) -> grade.Graded:
    sub, qs, raw = answered(hw, source, tmp_path, parts)
    return grade.score(hw, sub, rubric_module.load(hw), qs, raw, [], [], 0.0)


def ask(hw, sub, trainings):
    """An `ask(lanes, events)` for the self-check's Session that answers in this process, as a child would,
    trainings from `trainings` only (filled by gradings of the same code): the self-check's decisions, fast."""
    from autograder.grading.trainings import Trainings

    kinds, children = hw.child_code()
    namespace, errors = children.prepare(sub.to_request()["statements"], sub.cell_sources, run_statements)

    def run(lanes, events):
        raw = {}
        for q in (q for lane in lanes for q in lane):
            if q["long"]:
                found = trainings.get(Trainings.key(sub, q, hw))
                assert found is not None, f"{q['id']}: no training of this code was graded before"
                raw[q["id"]] = found
            else:
                raw[q["id"]] = answer(kinds, namespace, q)
            events(0, {**raw[q["id"]], "id": q["id"]})
        return raw, errors, 0

    return run
