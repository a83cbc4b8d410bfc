"""The student's self-check: the grader's public checks, on the student's own computer (Linux, macOS, Windows).

Two ways in:
    python -m autograder check neural_networks_2.ipynb     (terminal; exit 0 when all public checks pass)
    from autograder import selfcheck; selfcheck.check()     (a notebook cell; check("Mix") for one part)

The checks, tolerances, bands and messages are the grader's own (the homework's checks/ folder).
Expected values are numbers stored for the public questions (the homework's
data/public_expected.json, written from the instructor's rubric by `autograder build student`):
there is no solution here to copy. Hidden checks are graded after submission. The student's
definitions run in child processes held by time limits only (sandbox/runner.py, Guard.TIME):
it is their own code on their own computer. Each verdict is printed as soon as it is known.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from autograder.feedback import misnamed
from autograder import paths, rubric as rubric_module
from autograder.errors import AutograderError, SubmissionError, UsageError
from autograder.grading.choose import choose
from autograder.student.printer import Printer
from autograder.student.session import NOT_HERE, Outcome, Session, StartFailure

CPU_TORCH = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


class EnvironmentProblem(AutograderError):
    """This computer's Python could not start what the check needs (torch, numpy): the notebook is not at fault."""


def main(*, notebook: str | Path, rubric_path: str | Path | None = None, json_path: str | Path | None = None,
         homework: str | None = None, parts: list[str] | None = None, out=None) -> int:
    """Terminal mode: the notebook's definitions run in children, as when grading. Exit 0 when every
    public check passes, 1 when one fails or could not be checked here; bad input raises AutograderError."""
    from autograder.grading import submission

    path = paths.input_file(notebook, "the notebook", "pass your .ipynb file inside it")
    hw = choose(homework, rubric_path, [path])
    rubric = rubric_module.load(hw, rubric_path)
    if json_path:
        paths.refuse_inputs_as_outputs({"--json": Path(json_path)}, {"the notebook": path, "the rubric": rubric.path,
                                                                    "the homework's pack": hw.folder})
    json_path = paths.output_file(json_path, "--json", "outcomes.json") if json_path else None
    chosen = part_names(hw, parts)
    try:
        sub = submission.load(path, hw.handout, where="here")
    except SubmissionError as exc:
        raise SubmissionError(f"{path.name} cannot be checked: {exc}") from None
    refuse_other_homework(sub, hw, path.name)
    printer = Printer(out)
    outcomes, notes = run(hw, rubric, sub, printer, chosen)
    printer.write(report(hw, outcomes, rubric, notes))
    if json_path:
        Path(json_path).write_text(json.dumps({o.check.id: {"number": o.check.number, "passed": o.passed,
                                                            "status": o.status, "output": o.output}
                                               for o in outcomes}, indent=1))
    return 0 if all(o.passed for o in outcomes) else 1


def run(hw, rubric, sub, printer, parts=None, trainings=None) -> tuple[list[Outcome], list[str]]:
    """The outcomes of the public checks (of `parts`), printed as they come, and the notes on the notebook.
    `trainings` shares trainings of equal code (our own code only: the tests)."""
    from autograder.sandbox import cgroups, output, runner

    def ask(lanes, events):
        request = {**sub.to_request(), "progress": True}
        return answer_trainings(hw, sub, lanes, events, trainings, lambda todo: runner.answer_all(
            hw.id, request, todo, runner.Limits.of(rubric), guard=runner.Guard.TIME, events=events))

    suggestions = sub.hints(hw.parts)
    printer.write(f"Self-check of {hw.title}: the public checks of the autograder, with its tolerances and "
                  "messages. Running your definitions...")
    session = Session(hw, rubric, ask, printer, suggestions, sub.notes, parts, cores=cgroups.children_at_once())
    try:
        outcomes = session.run()
    except StartFailure as failure:
        raise EnvironmentProblem(start_failure(failure)) from None
    notes = sub.notes + [f"Running your definition at {e}" for e in session.load_errors] + output.note(session.printed)
    return outcomes, notes


def answer_trainings(hw, sub, lanes, events, trainings, answer_all):
    """answer_all on `lanes`, with the trainings found in `trainings` (tests only) answered from it."""
    if trainings is None:
        return answer_all(lanes)
    cached = {}
    for lane in lanes:
        for q in lane:
            if q["long"]:
                key = trainings.key(sub, q, hw)
                found = trainings.get(key)
                cached[q["id"]] = (key, found)
    todo = [[q for q in lane if cached.get(q["id"], (None, None))[1] is None] for lane in lanes]
    raw, load_errors, printed = answer_all(todo)
    for qid, (key, found) in cached.items():
        if found is not None:
            raw[qid] = found
            events(0, {**found, "id": qid})
        elif isinstance(raw.get(qid), dict) and raw[qid].get("status") == "ok":
            trainings.put(key, raw[qid])
    return raw, load_errors, printed


def start_failure(failure: StartFailure) -> str:
    """One line: what could not start, the error's last line, and the fix; the notebook is not blamed."""
    if failure.machine:  # starved or killed from outside (sandbox/faults.py), again and again
        return (f"the self-check could not finish on this computer ({failure.error}): your notebook was not fully "
                "checked, and this is not its fault; close other programs and run the check again")
    module = failure.module or "Python with numpy and torch"
    fix = {"torch": f"reinstall torch, for instance its CPU build: {CPU_TORCH}",
           "numpy": "reinstall numpy: pip install --force-reinstall numpy"}.get(
        failure.module, f"install what is missing with pip (numpy, torch, scikit-learn, nbformat); for torch: {CPU_TORCH}")
    return (f"the self-check could not start {module} on this computer ({failure.error}): your notebook was not "
            f"checked, and this is not its fault; {fix}")


def part_names(hw, parts) -> list[str] | None:
    """The parts asked for, by name ("Mix") or call ("Mix(nn)"), any case; an unknown one is refused."""
    if not parts:
        return None
    known = {p.lower(): p for p in hw.parts} | {c.lower(): p for p, c in hw.parts.items()}
    chosen = []
    for name in parts:
        if name.strip().lower() not in known:
            raise UsageError(f"{name}: no such part of {hw.title}; the parts are: {', '.join(hw.parts)}")
        chosen.append(known[name.strip().lower()])
    return chosen


def refuse_other_homework(sub, hw, name: str) -> None:
    if not sub.answers_anything(hw.handout):
        raise UsageError(f"{name} defines none of {', '.join(hw.handout.ANSWERS)} and holds none of the handout's "
                         f"code: is it the notebook of {hw.title} ({hw.notebook}.ipynb)?")


def check(what: str | dict | None = None, namespace: dict | None = None) -> bool:
    """Notebook mode: check the notebook's definitions (all parts, or the part named by `what`) from its kernel.

    `check()` and `check(globals())` check every part; `check("Mix")` one part's public checks. The
    cells the kernel ran are checked in children, as in the terminal; outside IPython, the kernel's own
    definitions answer. Returns whether every check shown passed; never raises on bad input."""
    if isinstance(what, dict):
        namespace, what = what, None
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    try:
        return in_kernel(namespace, [what] if what else None)
    except AutograderError as exc:
        print(f"The self-check could not run: {str(exc).rstrip('.?')}.")
        return False


def in_kernel(namespace: dict, parts) -> bool:
    from autograder.student import kernel

    hw = kernel_homework(namespace)
    rubric = rubric_module.load(hw)
    chosen = part_names(hw, parts)
    sub = kernel.load(namespace, hw.handout)
    printer = Printer(live=True)
    if sub is None:
        outcomes, notes = kernel_answers(hw, rubric, namespace, printer, chosen)
    else:
        refuse_other_homework(sub, hw, "this notebook")
        outcomes, notes = run(hw, rubric, sub, printer, chosen)
    if outcomes is None:
        return False
    printer.write(report(hw, outcomes, rubric, notes))
    return all(o.passed for o in outcomes)


def kernel_answers(hw, rubric, namespace, printer, parts):
    """Outside IPython: the namespace's own definitions answer, in this process, one question at a time."""
    from autograder.child.main import answer

    kinds, answers = hw.child_code()
    kernel = answers.from_kernel(namespace)
    if isinstance(kernel, str):
        print(f"Run the notebook's cells above first: {kernel} is not defined yet.")
        return None, []

    def ask(lanes, events):
        raw = {}
        for lane in lanes:
            for q in lane:
                raw[q["id"]] = answer(kinds, kernel, q)
                events(0, {**raw[q["id"]], "id": q["id"]})
        return raw, [], 0

    names = [d for d in namespace if isinstance(d, str)]
    suggestions = {name: misnamed.hint(name, names) for name in hw.parts if name not in namespace}
    return Session(hw, rubric, ask, printer, suggestions, [], parts, cores=1).run(), []


def kernel_homework(namespace: dict):
    """The homework a kernel's notebook is: the only one here, the one whose handout names the kernel
    holds, or the one whose answers its cells define."""
    import ast

    from autograder.homework import ids, load
    from autograder.student import kernel

    if len(ids()) == 1:
        return load(ids()[0])
    found = [h for h in ids() if set(load(h).handout.PROVIDED_NAMES) <= set(namespace)]
    if len(found) != 1:
        defined = set()
        for _, source in kernel.history(namespace) or []:
            try:
                defined |= {n.name for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            except SyntaxError:
                continue
        found = [h for h in ids() if defined & set(load(h).handout.ANSWERS)] or found
    return load(found[0] if found else ids()[0])


def report(hw, outcomes: list[Outcome], rubric, notes: list[str]) -> str:
    """The summary under the verdicts: public points per part, what was not checked here, what is left."""
    public: dict[str, tuple[float, float]] = {}
    for o in outcomes:
        got, possible = public.get(o.check.part, (0.0, 0.0))
        public[o.check.part] = (got + (o.check.points if o.passed else 0), possible + o.check.points)
    hidden = sum(c.points for c in rubric.checks if not c.is_public)
    width = max([16, *(len(p) + 2 for p in public)])
    lines = ["", f"{'Part':<{width}}Public points"]
    lines += [f"{part:<{width}}{got:>5g} / {possible:g}" for part, (got, possible) in public.items()]
    got, possible = sum(g for g, _ in public.values()), sum(p for _, p in public.values())
    lines += [f"{'Total':<{width}}{got:>5g} / {possible:g}   (public checks; {rubric.total:g} points in all)", ""]
    undecided = [o for o in outcomes if o.status == NOT_HERE]
    if undecided:
        points = sum(o.check.points for o in undecided)
        lines.append(f"Not checked here: {len(undecided)} check{'s' * (len(undecided) != 1)} ({points:g} points), "
                     "counted as not passed: " + ", ".join(f"[{o.check.number}]" for o in undecided) + ".")
    lines.append(f"Hidden checks ({hidden:g} points, on inputs you have not seen) are graded after you submit.")
    failed = [o for o in outcomes if not o.passed and o.status != NOT_HERE]
    if failed:
        lines += ["", f"To fix ({len(failed)} check{'s' * (len(failed) != 1)}, each with its message above): "
                  + ", ".join(f"[{o.check.number}]" for o in failed) + "."]
    elif not undecided:
        lines += ["", "Every public check passes."]
    if notes:
        lines += ["", "Notes on your notebook:"] + [f"- {n}" for n in notes]
    return "\n".join(lines)
