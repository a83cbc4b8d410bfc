"""The student's self-check: the grader's public checks, on the student's own machine.

Two ways in:
    python -m autograder check neural_networks_2.ipynb     (terminal; exit 0 when all public checks pass)
    from autograder import selfcheck; selfcheck.check(globals())   (last cell of the notebook)

The checks, tolerances, bands and messages are the grader's own (autograder/checks/).
Expected values are numbers stored for the two public networks (data/public_expected.json,
written from the instructor's rubric by `autograder build student`): there is no solution here to copy. Hidden checks are graded after submission.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from . import expectations, hardcoded, paths, questions, rubric as rubric_module
from .checks import Context, registry
from .errors import SubmissionError
from .feedback import CheckFailed
from .scaffold import handout

NOT_RUN = "The self-check could not run this check: {error}. The grader will run it after you submit."


@dataclass
class Outcome:
    check: object  # rubric.Check
    passed: bool
    output: str


def run_public(ctx: Context, rubric) -> list[Outcome]:
    functions = {check_id: func for check_id, (func, _) in registry().items()}
    outcomes = []
    for row in rubric.checks:  # in rubric order: Mix and Grad before the trainings that use them
        if not row.is_public:
            continue
        if row.part in ("FrobClassifier", "MixClassifier"):
            ctx.expect.trusted = {part for part in ("Mix", "Grad")
                                  if all(o.passed for o in outcomes if o.check.part == part)}
        try:
            functions[row.id](ctx)
            passed, output = True, ""
        except CheckFailed as failed:
            passed, output = False, str(failed)
        except Exception as exc:  # a fault of the self-check, not of the student's code
            passed, output = False, NOT_RUN.format(error=f"{type(exc).__name__}: {exc}")
        ctx.passed[row.id] = passed
        output = "\n".join([output, *ctx.advice.get(row.id, [])]).strip()
        outcomes.append(Outcome(row, passed, output))
    withheld = hardcoded.findings(ctx.questions, ctx.answers, ctx.expect, rubric, questions.CALLS)
    return [Outcome(o.check, False, "\n".join(x for x in (withheld[o.check.part], o.output) if x))
            if o.check.part in withheld else o for o in outcomes]


def context(rubric, asked: list[dict], raw: dict[str, dict], suggestions=None, notes=None) -> Context:
    by_id = {q["id"]: q for q in asked}
    answers = {qid: questions.clean(raw.get(qid), q) for qid, q in by_id.items()}
    return Context(rubric=rubric, questions=by_id, answers=answers, expect=expectations.Stored.for_rubric(rubric),
                   suggestions=suggestions or {}, load_notes=notes or [])


def main(*, notebook: str | Path, rubric_path: str | Path | None = None, json_path: str | Path | None = None) -> int:
    """Terminal mode: the notebook's definitions run in children, as when grading."""
    from . import submission
    from .sandbox import output, runner

    rubric = rubric_module.load(rubric_path)
    path = paths.input_file(notebook, "the notebook", "pass your .ipynb file inside it")
    json_path = paths.output_file(json_path, "--json", "outcomes.json") if json_path else None
    try:
        sub = submission.load(path)
    except SubmissionError as exc:
        raise SubmissionError(f"{path.name} cannot be checked: {exc}") from None
    asked = questions.build(rubric, seed=None, own_figures=True)
    limits = runner.Limits.of(rubric)
    lanes = [[questions.to_json(q) for q in lane] for lane in questions.lanes(asked, runner.usable_cpus())]
    raw, load_errors, printed = runner.answer_all(sub.to_request(), lanes, limits)
    suggestions = {n: sub.suggest(n) for n in handout.ANSWERS if n not in sub.defined}
    notes = sub.notes + [f"Running your definition at {e}" for e in load_errors] + output.note(printed)
    outcomes = run_public(context(rubric, asked, raw, suggestions, notes), rubric)
    print(report(outcomes, rubric, notes))
    if json_path:
        Path(json_path).write_text(json.dumps(
            {o.check.id: {"number": o.check.number, "passed": o.passed, "output": o.output} for o in outcomes}, indent=1))
    return 0 if all(o.passed for o in outcomes) else 1


def check(namespace: dict | None = None) -> bool:
    """Notebook mode: check the definitions in `namespace` (the notebook's globals()), in this kernel."""
    from . import probes

    if namespace is None:
        namespace = sys._getframe(1).f_globals
    missing = [n for n in ("NeuralNetworkClassifier", "Xtrain", "Ttrain", "Xtest", "Ttest") if n not in namespace]
    if missing:
        print(f"Run the notebook's cells above first: {', '.join(missing)} is not defined yet.")
        return False
    rubric = rubric_module.load()
    asked = questions.build(rubric, seed=None, own_figures=True)
    kernel = dict(namespace)
    kernel["__provided_class__"] = namespace["NeuralNetworkClassifier"]
    kernel["__provided__"] = {name: namespace.get(name) for name in handout.PROVIDED_NAMES}
    raw = {q["id"]: probes.answer(kernel, questions.to_json(q)) for q in asked}
    suggestions = {}
    for name in handout.ANSWERS:
        if name not in namespace:
            close = [d for d in namespace if d.lower() == name.lower()]
            suggestions[name] = close[0] if close else None
    outcomes = run_public(context(rubric, asked, raw, suggestions), rubric)
    print(report(outcomes, rubric, []))
    return all(o.passed for o in outcomes)


def report(outcomes: list[Outcome], rubric, notes: list[str]) -> str:
    public = {}
    for o in outcomes:
        got, possible = public.get(o.check.part, (0.0, 0.0))
        public[o.check.part] = (got + (o.check.points if o.passed else 0), possible + o.check.points)
    hidden = sum(c.points for c in rubric.checks if not c.is_public)
    lines = ["Self-check: the public checks of the autograder, with the same tolerances and messages.", "",
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
