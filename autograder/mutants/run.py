"""`autograder mutants`: grade every mutant of a homework's reference with the real grader, and count.

For each mutant (generate.py, with the homework's mutants.py) the homework's equivalence
decider (its equivalence.py) says whether it computes what the reference computes; then the
grader grades it as a student's .py file, trainings included. A non-equivalent mutant is killed
when it loses a point; one with full marks survived, a hole in the grader. An equivalent mutant
must keep every point; if it loses one, the grader takes points from a right answer, which is worse.

Gradings run in worker processes (each grading already uses one child per lane), and share
trainings of equal code through a folder (trainings.py): a mutant of Grad trains what the
reference trains. Mutants are our own code, so the cache is safe here.
"""

from __future__ import annotations

import difflib
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import paths
from autograder.errors import UsageError
from autograder.feedback.sentences import stated_mistakes
from autograder.mutants import families, generate, native



@dataclass
class Outcome:
    id: str
    target: str
    operator: str
    description: str
    equivalent: bool
    why_different: str
    score: float = 0.0
    lost: list[str] = field(default_factory=list)  # parts that lost points
    hints: list[str] = field(default_factory=list)  # mistake sentences the feedback gave
    seconds: float = 0.0
    taken: list[str] = field(default_factory=list)  # the grader's words for each check that lost points

    @property
    def verdict(self) -> str:
        if self.equivalent:
            return "equivalent" if not self.lost else "WRONGLY FAILED"
        return "killed" if self.lost else "SURVIVED"


def hand_written_folder(homework) -> Path | None:
    """The pack's catalog of wrong submissions (Homework.catalog), when it has one."""
    return homework.catalog / "wrong" if homework.catalog else None


def hand_written(homework) -> list[generate.Mutant]:
    """The homework's hand-written wrong submissions, as mutants of their own (target: the first part they break)."""
    found = []
    reference = homework.reference.read_text()
    folder = hand_written_folder(homework)
    for path in sorted(folder.glob("*.py")) if folder and folder.is_dir() else []:
        text = path.read_text()
        loses = next((l.split(":", 1)[1] for l in text.splitlines() if l.startswith("# loses:")), "")
        loses = [p.strip() for p in loses.split(",")]
        summary = next((l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("# mistake:")), "")
        target = next((p for p in homework.parts if p in loses), next(iter(homework.parts)))
        found.append(generate.Mutant(f"hand/{path.stem}", target, "hand-written", summary, reference + "\n\n" + text))
    return found


def grade_one(mutant: generate.Mutant, equivalent: bool, why: str, folder: str, trainings_folder: str,
              homework_id: str) -> Outcome:
    """One grading, in a worker process."""
    from autograder.grading import grade  # imported here: workers start clean
    from autograder.grading.trainings import Trainings

    path = Path(folder) / f"{mutant.id.replace('/', '__')}.py"
    path.write_text(mutant.source)
    started = time.monotonic()
    # unconfined: a mutant is the reference's own code changed by us, not a student's (no wall is needed to run it)
    graded = grade.main(submission=path, results_path=path.with_suffix(".json"),
                        trainings=Trainings(trainings_folder), homework=homework_id, unconfined=True)
    lost = [p for p, (got, possible) in graded.part_scores().items() if got < possible]
    hints = sorted({h for t in graded.data["tests"] for h in stated_mistakes(t["output"])})
    taken = [f"[{t['number']}] {t['name']} (-{t['max_score'] - t['score']:g}): {first_line(t['output'])}"
             for t in graded.data["tests"] if t["score"] < t["max_score"]]
    return Outcome(mutant.id, mutant.target, mutant.operator, mutant.description, equivalent, why,
                   graded.score, lost, hints, time.monotonic() - started, taken)


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]


EVIDENCE = ("the same answers as the reference to every question of a grading but the trainings, where students run "
            "their code (the handout's own inputs in their own dtypes, hidden inputs drawn as the grader draws them), "
            "and the same values and gradients in float64 on random inputs")


def judge(homework, mutants: list[generate.Mutant], reference: str) -> dict[str, tuple[bool, str]]:
    """mutant id -> (equivalent, why: the first difference, or the evidence of equivalence). Where students run
    their code first (native.py): a mutant that raises on the handout's data is not equivalent, whatever float64
    says; then the pack's own float64 check on random inputs."""
    equivalence = homework.mutation()[1]
    decided = {}
    for m in mutants:
        where = native.difference(homework, m.source, reference)
        if where:
            decided[m.id] = (False, f"where students run it: {where}")
            continue
        same, why = equivalence.equivalent(m.source, reference)
        decided[m.id] = (same, EVIDENCE if same else f"in float64 on random inputs: {why}")
    return decided


def run(homework, mutants: list[generate.Mutant], out: Path, jobs: int = 2, progress=print) -> list[Outcome]:
    out.mkdir(parents=True, exist_ok=True)
    decided = judge(homework, mutants, homework.reference.read_text())
    work = Path(tempfile.mkdtemp(prefix="mutants-", dir=out))
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(grade_one, m, *decided[m.id], str(work), str(out / "trainings"), homework.id)
                   for m in mutants]
        for i, future in enumerate(futures, 1):
            outcome = future.result()
            outcomes.append(outcome)
            progress(f"[{i}/{len(mutants)}] {outcome.id}: {outcome.verdict} ({outcome.score:g}, {outcome.seconds:.0f} s)")
    (out / "mutants.json").write_text(json.dumps([asdict(o) | {"verdict": o.verdict} for o in outcomes], indent=1))
    (out / "mutants.md").write_text(report(outcomes, homework.parts))
    return outcomes


def table(outcomes: list[Outcome], parts) -> str:
    rows = ["| part | mutants | killed | equivalent | survived | wrongly failed |", "|---|---|---|---|---|---|"]
    for part in (*parts, "all"):
        mine = [o for o in outcomes if part in ("all", o.target)]
        count = lambda v: sum(1 for o in mine if o.verdict == v)
        rows.append(f"| {part} | {len(mine)} | {count('killed')} | {count('equivalent')} | {count('SURVIVED')} "
                    f"| {count('WRONGLY FAILED')} |")
    non_equivalent = [o for o in outcomes if not o.equivalent]
    killed = sum(1 for o in non_equivalent if o.lost)
    return "\n".join(rows) + f"\n\nkilled {killed} of {len(non_equivalent)} non-equivalent mutants"


def report(outcomes: list[Outcome], parts) -> str:
    lines = ["# Mutation run", "", table(outcomes, parts), "",
             "| mutant | change | verdict | score | how it differs from the reference | hint |", "|---|---|---|---|---|---|"]
    cell = lambda text: text.replace("|", "/")
    for o in outcomes:
        hint = o.hints[0] if o.hints else ""
        why = "" if o.equivalent else o.why_different
        lines.append(f"| `{o.id}` | {o.description.replace('|', chr(92) + '|')} | {o.verdict} | {o.score:g} | "
                     f"{cell(why)} | {cell(hint)} |")
    equivalent = [o for o in outcomes if o.equivalent]
    if equivalent:
        lines += ["", f"Equivalent ({EVIDENCE}):"]
        lines += [f"- `{o.id}`: {o.description}" for o in equivalent]
    return "\n".join(lines) + "\n"


def one_per_family(homework, mutants: list[generate.Mutant]) -> list[generate.Mutant]:
    """One mutant of every family, the cheapest to grade (the fewest trainings its change reaches), and every
    hand-written wrong submission: a run of minutes that exercises every family."""
    cost = trainings_changed(homework)
    chosen: dict[str, generate.Mutant] = {}
    for m in mutants:
        if m.operator == "hand-written":
            chosen[m.id] = m
        elif m.operator not in chosen or cost(m) < cost(chosen[m.operator]):
            chosen[m.operator] = m
    picked = {m.id for m in chosen.values()}
    return [m for m in mutants if m.id in picked]


def trainings_changed(homework):
    """cost(mutant): how many of the reference's trainings the mutant's code changes (each is a training to run:
    a classifier whose code, or any code it calls, differs from the reference's)."""
    from autograder.grading import questions
    from autograder import rubric as rubric_module
    from autograder.grading.submission import read_cells

    rubric = rubric_module.load(homework)
    asked, _ = questions.build(homework.checks(), homework.gradings(), rubric,
                               questions.Asking(rubric, None))
    trained = sorted({q.part for q in asked if q.long})

    def digests(source: str) -> list[str]:
        loaded = read_cells(homework.reference, [("source", source)], homework.handout)
        return [loaded.closure_digest(part) for part in trained]

    reference = digests(homework.reference.read_text())
    return lambda m: sum(a != b for a, b in zip(digests(m.source), reference))


def select(mutants: list[generate.Mutant], sample: int | None) -> list[generate.Mutant]:
    """A fixed sample: evenly spread over the list (so over every target and family), the same every run."""
    if not sample or sample >= len(mutants):
        return mutants
    step = len(mutants) / sample
    return [mutants[int(i * step)] for i in range(sample)]


def mutants_of(homework, include_hand_written: bool = True) -> list[generate.Mutant]:
    """Every generated mutant of the homework's reference, and its hand-written wrong submissions."""
    from autograder.rubric import load as load_rubric

    operators = homework.mutation()[0]
    values = families.public_values(homework, load_rubric(homework))
    mutants = generate.generate(homework.reference.read_text(), operators, homework.answers, values)
    return mutants + (hand_written(homework) if include_hand_written else [])


def refuse_unknown(only: list[str], mutants: list[generate.Mutant], homework_id: str) -> None:
    """--only names mutants that exist (an unknown id would grade nothing and print a table of zeros)."""
    known = [m.id for m in mutants]
    unknown = [i for i in only if i not in set(known)]
    if not unknown:
        return
    guess = difflib.get_close_matches(unknown[0], known, n=1, cutoff=0.6)
    firsts = {}
    for m in mutants:  # the first of each part, and the first hand-written one: what ids look like
        firsts.setdefault("hand" if m.operator == "hand-written" else m.target, m.id)
    raise UsageError(f"--only {' '.join(unknown)}: no such mutant of {homework_id}"
                     f"{f' (did you mean {guess[0]}?)' if guess else ''}; its {len(known)} mutants have ids like "
                     f"{', '.join(firsts.values())}")


def main(*, out: str | Path, homework, sample: int | None = None, jobs: int = 2, only: list[str] | None = None,
         include_hand_written: bool = True, per_family: bool = False) -> int:
    """Exit status 0 when every non-equivalent mutant was killed and no equivalent one lost a point."""
    if not homework.reference.exists():
        print(f"autograder mutants: needs the project checkout ({homework.reference} is missing)", file=sys.stderr)
        return 2
    mutants = mutants_of(homework, include_hand_written)
    if only:
        refuse_unknown(only, mutants, homework.id)
        mutants = [m for m in mutants if m.id in only]
    out = paths.output_folder(out, "--out")
    mutants = one_per_family(homework, mutants) if per_family else select(mutants, sample)
    started = time.monotonic()
    outcomes = run(homework, mutants, Path(out), jobs)
    print(table(outcomes, homework.parts))
    print(f"({len(outcomes)} gradings in {time.monotonic() - started:.0f} s; details in {Path(out) / 'mutants.md'})")
    bad = [o for o in outcomes if o.verdict in ("SURVIVED", "WRONGLY FAILED")]
    for o in bad:
        print(verdict_lines(o))
    return 1 if bad else 0


def verdict_lines(o: Outcome) -> str:
    """A bad verdict with what an instructor needs to tell which side is wrong: for a wrongly failed mutant (a
    grader bug until shown otherwise) the evidence of equivalence beside the grader's words for the lost points."""
    lines = [f"{o.verdict}: {o.id}: {o.description}"]
    if o.verdict == "WRONGLY FAILED":
        lines += [f"    judged equivalent: {o.why_different}", "    yet the grader took points:",
                  *(f"      {taken}" for taken in o.taken)]
    elif o.verdict == "SURVIVED":
        lines.append(f"    it differs from the reference {o.why_different}; the grader gave it {o.score:g} points")
    return "\n".join(lines)
