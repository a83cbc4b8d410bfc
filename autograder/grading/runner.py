"""The one runner of a homework's checks: the grader's (grade, batch, Gradescope) and the self-check's.

A check is a function of the pack (`@check(id, asks=...)`) that passes, raises CheckFailed with the
feedback, or NotCheckedHere (the self-check, which cannot decide it without the grader's formulas).
Anything else it raises is the grader's own fault: the check gives no points, the student reads that
it is not their code's fault, and the trace goes to the logs. A part whose answers do not change with
their input withholds its checks' points, the reason first (feedback/hardcoded.py). Points, number,
visibility and part come from the check's rubric row; checks run in the rubric's order of numbers.

This replaced a pytest plugin (gradescope-utils' decorators set on each check, read back per test):
results.json needs nothing of pytest, and running the checks directly costs a grading about a tenth of
a second less (pytest's import and collection; docs/architecture.md) and gives the self-check the same
code path.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from autograder.feedback import hardcoded
from autograder.feedback.sentences import CheckFailed, NotCheckedHere
from autograder.grading.results import entry

PASSED, FAILED, NOT_HERE, GRADER_FAULT = "passed", "failed", "not checked", "grader fault"
FAULT_MESSAGE = ("The grader could not run this check (an error in the grader, not in your code). "
                 "No points were counted for it; your instructor can see the details.")


@dataclass
class Verdict:
    """What one check decided: its status, the feedback shown under it, and for a grader fault its trace."""

    status: str
    output: str
    trace: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED


def run_check(ctx, row, function) -> Verdict:
    """One check on the context's answers (ctx.current is set for ctx.mine()); the part's withholding applied."""
    ctx.current = row.id
    trace = ""
    try:
        function(ctx)
        status, output = PASSED, ""
    except CheckFailed as failed:
        status, output = FAILED, str(failed)
    except NotCheckedHere as unknown:
        status, output = NOT_HERE, str(unknown)
    except Exception:  # the grader's (or the pack's) own fault, never the student's
        status, output, trace = GRADER_FAULT, FAULT_MESSAGE, f"{row.id}: {traceback.format_exc()}"
    withheld = hardcoded.findings(ctx).get(row.part)
    if withheld:
        status, output = FAILED, "\n".join(x for x in (withheld, output) if x)
    ctx.passed[row.id] = status == PASSED
    output = "\n".join([output, *ctx.advice.get(row.id, [])]).strip()
    return Verdict(status, output, trace)


def in_order(rubric) -> list:
    """The rubric's rows in the order of their numbers (1.2 before 1.10)."""
    return sorted(rubric.checks, key=lambda row: [int(p) for p in row.number.split(".") if p.isdigit()])


def run_checks(rubric, ctx) -> tuple[list[dict], list[str]]:
    """Every check of the homework, in rubric order: (results.json entries, the grader faults' traces)."""
    functions = ctx.homework.checks()
    entries, faults = [], []
    for row in in_order(rubric):
        verdict = run_check(ctx, row, functions[row.id].function)
        meta = {"weight": row.points, "number": row.number, "visibility": row.visibility, "tags": [row.part]}
        entries.append(entry(row.name, meta, verdict.passed, verdict.output))
        if verdict.trace:
            faults.append(verdict.trace)
    return entries, faults
