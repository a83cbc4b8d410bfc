"""The student's self-check: the grader's public checks, on the student's own machine.

Two ways in:
    python -m autograder check neural_networks_2.ipynb     (terminal; exit 0 when all public checks pass)
    from autograder import selfcheck; selfcheck.check(globals())   (last cell of the notebook)

The checks, tolerances, bands and messages are the grader's own (the homework's checks/ folder).
Expected values are numbers stored for the public questions (the homework's
data/public_expected.json, written from the instructor's rubric by `autograder build student`):
there is no solution here to copy. Hidden checks are graded after submission.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from . import checks, expectations, hardcoded, paths, questions, rubric as rubric_module
from .checks import Context
from .homework import choose
from .errors import SubmissionError
from .feedback import CheckFailed

NOT_RUN = "The self-check could not run this check: {error}. The grader will run it after you submit."


@dataclass
class Outcome:
    check: object  # rubric.Check
    passed: bool
    output: str


def run_public(ctx: Context, rubric) -> list[Outcome]:
    functions = checks.registry(ctx.homework)
    outcomes = []
    for row in rubric.checks:  # in rubric order: a part's answers before the trainings that use them
        if not row.is_public:
            continue
        # Parts whose public checks all passed so far: their own functions may stand in for a closed form.
        ctx.expect.trusted = {o.check.part for o in outcomes} - {o.check.part for o in outcomes if not o.passed}
        ctx.current = row.id
        try:
            functions[row.id].function(ctx)
            passed, output = True, ""
        except CheckFailed as failed:
            passed, output = False, str(failed)
        except Exception as exc:  # a fault of the self-check, not of the student's code
            passed, output = False, NOT_RUN.format(error=f"{type(exc).__name__}: {exc}")
        ctx.passed[row.id] = passed
        output = "\n".join([output, *ctx.advice.get(row.id, [])]).strip()
        outcomes.append(Outcome(row, passed, output))
    withheld = hardcoded.findings(ctx)
    return [Outcome(o.check, False, "\n".join(x for x in (withheld[o.check.part], o.output) if x))
            if o.check.part in withheld else o for o in outcomes]


def public_questions(hw, rubric):
    """The questions of the public checks (no seed: no hidden inputs), asking for the student's own figures."""
    return questions.build(checks.registry(hw), checks.kinds(hw), rubric, questions.Asking(rubric, None, True))


def context(hw, rubric, asked, raw: dict[str, dict], suggestions=None, notes=None) -> Context:
    asked, by_check = asked
    kinds = checks.kinds(hw)
    by_id = {q.id: q for q in asked}
    answers = {qid: questions.clean(raw.get(qid), q, kinds[q.kind]) for qid, q in by_id.items()}
    return Context(homework=hw, rubric=rubric, questions=by_id, answers=answers,
                   expect=expectations.Stored.for_rubric(hw, rubric), asked=by_check,
                   suggestions=suggestions or {}, load_notes=notes or [])


def main(*, notebook: str | Path, rubric_path: str | Path | None = None, json_path: str | Path | None = None,
         homework: str | None = None) -> int:
    """Terminal mode: the notebook's definitions run in children, as when grading."""
    from . import submission
    from .sandbox import output, runner

    path = paths.input_file(notebook, "the notebook", "pass your .ipynb file inside it")
    hw = choose(homework, rubric_path, [path])
    rubric = rubric_module.load(hw, rubric_path)
    json_path = paths.output_file(json_path, "--json", "outcomes.json") if json_path else None
    try:
        sub = submission.load(path, hw.handout)
    except SubmissionError as exc:
        raise SubmissionError(f"{path.name} cannot be checked: {exc}") from None
    asked = public_questions(hw, rubric)
    lanes = [[q.wire() for q in lane] for lane in questions.lanes(asked[0], runner.children_at_once())]
    raw, load_errors, printed = runner.answer_all(hw.id, sub.to_request(), lanes, runner.Limits.of(rubric))
    suggestions = {n: sub.suggest(n) for n in hw.parts if n not in sub.defined}
    notes = sub.notes + [f"Running your definition at {e}" for e in load_errors] + output.note(printed)
    outcomes = run_public(context(hw, rubric, asked, raw, suggestions, notes), rubric)
    print(report(hw, outcomes, rubric, notes))
    if json_path:
        Path(json_path).write_text(json.dumps(
            {o.check.id: {"number": o.check.number, "passed": o.passed, "output": o.output} for o in outcomes}, indent=1))
    return 0 if all(o.passed for o in outcomes) else 1


def check(namespace: dict | None = None) -> bool:
    """Notebook mode: check the definitions in `namespace` (the notebook's globals()), in this kernel."""
    from .child.main import answer

    if namespace is None:
        namespace = sys._getframe(1).f_globals
    hw = kernel_homework(namespace)
    answers = hw.module("child.answers")
    kernel = answers.from_kernel(namespace)
    if isinstance(kernel, str):
        print(f"Run the notebook's cells above first: {kernel} is not defined yet.")
        return False
    rubric = rubric_module.load(hw)
    asked = public_questions(hw, rubric)
    raw = {q.id: answer(answers.ANSWERERS, kernel, q.wire()) for q in asked[0]}
    suggestions = {}
    for name in hw.parts:
        if name not in namespace:
            close = [d for d in namespace if d.lower() == name.lower()]
            suggestions[name] = close[0] if close else None
    outcomes = run_public(context(hw, rubric, asked, raw, suggestions), rubric)
    print(report(hw, outcomes, rubric, []))
    return all(o.passed for o in outcomes)


def kernel_homework(namespace: dict):
    """The homework a kernel's notebook is: the only one here, or the one whose handout names it defines."""
    from .homework import ids, load

    found = [h for h in ids() if set(load(h).handout.PROVIDED_NAMES) <= set(namespace)] if len(ids()) > 1 else ids()
    return load(found[0] if found else ids()[0])


def report(hw, outcomes: list[Outcome], rubric, notes: list[str]) -> str:
    public = {}
    for o in outcomes:
        got, possible = public.get(o.check.part, (0.0, 0.0))
        public[o.check.part] = (got + (o.check.points if o.passed else 0), possible + o.check.points)
    hidden = sum(c.points for c in rubric.checks if not c.is_public)
    lines = [f"Self-check of {hw.title}: the public checks of the autograder, with the same tolerances and "
             "messages.", "",
             f"{'Part':<16}Public points"]
    for part, (got, possible) in public.items():
        lines.append(f"{part:<16}{got:>5g} / {possible:g}")
    got = sum(g for g, _ in public.values())
    possible = sum(p for _, p in public.values())
    lines.append(f"{'Total':<16}{got:>5g} / {possible:g}   (public checks; {rubric.total:g} points in all)")
    lines.append("")
    lines.append(f"Hidden checks ({hidden:g} points, on inputs you have not seen) are graded after you submit.")
    failed = [o for o in outcomes if not o.passed]
    if failed:
        lines += ["", "To fix:"]
        for o in failed:
            lines.append(f"  [{o.check.number}] {o.check.name}")
            lines += [f"      {row}" for row in o.output.splitlines()]
    else:
        lines += ["", "Every public check passes."]
    if notes:
        lines += ["", "Notes on your notebook:"] + [f"- {n}" for n in notes]
    return "\n".join(lines)
