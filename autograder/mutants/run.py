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

from .. import paths
from ..errors import UsageError
from ..feedback import stated_mistakes
from . import families, generate



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
    from .. import grade  # imported here: workers start clean
    from ..trainings import Trainings

    path = Path(folder) / f"{mutant.id.replace('/', '__')}.py"
    path.write_text(mutant.source)
    started = time.monotonic()
    # unconfined: a mutant is the reference's own code changed by us, not a student's (no wall is needed to run it)
    graded = grade.main(submission=path, results_path=path.with_suffix(".json"),
                        trainings=Trainings(trainings_folder), homework=homework_id, unconfined=True)
    lost = [p for p, (got, possible) in graded.part_scores().items() if got < possible]
    hints = sorted({h for t in graded.data["tests"] for h in stated_mistakes(t["output"])})
    return Outcome(mutant.id, mutant.target, mutant.operator, mutant.description, equivalent, why,
                   graded.score, lost, hints, time.monotonic() - started)


def run(homework, mutants: list[generate.Mutant], out: Path, jobs: int = 2, progress=print) -> list[Outcome]:
    out.mkdir(parents=True, exist_ok=True)
    reference = homework.reference.read_text()
    equivalence = homework.module("equivalence")
    decided = {m.id: equivalence.equivalent(m.source, reference) for m in mutants}
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
    lines = ["# Mutation run", "", table(outcomes, parts), "", "| mutant | change | verdict | score | hint |",
             "|---|---|---|---|---|"]
    for o in outcomes:
        hint = o.hints[0] if o.hints else ""
        change = o.description.replace("|", "\\|")
        lines.append(f"| `{o.id}` | {change} | {o.verdict} | {o.score:g} | {hint.replace('|', '/')} |")
    equivalent = [o for o in outcomes if o.equivalent]
    if equivalent:
        lines += ["", "Equivalent (same values and gradients as the reference on random inputs, in float64):"]
        lines += [f"- `{o.id}`: {o.description}" for o in equivalent]
    return "\n".join(lines) + "\n"


def select(mutants: list[generate.Mutant], sample: int | None) -> list[generate.Mutant]:
    """A fixed sample: evenly spread over the list (so over every target and family), the same every run."""
    if not sample or sample >= len(mutants):
        return mutants
    step = len(mutants) / sample
    return [mutants[int(i * step)] for i in range(sample)]


def mutants_of(homework, include_hand_written: bool = True) -> list[generate.Mutant]:
    """Every generated mutant of the homework's reference, and its hand-written wrong submissions."""
    from ..rubric import load as load_rubric

    operators = homework.module("mutants")
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
         include_hand_written: bool = True) -> int:
    """Exit status 0 when every non-equivalent mutant was killed and no equivalent one lost a point."""
    if not homework.reference.exists():
        print(f"autograder mutants: needs the project checkout ({homework.reference} is missing)", file=sys.stderr)
        return 2
    mutants = mutants_of(homework, include_hand_written)
    if only:
        refuse_unknown(only, mutants, homework.id)
        mutants = [m for m in mutants if m.id in only]
    out = paths.output_folder(out, "--out")
    mutants = select(mutants, sample)
    started = time.monotonic()
    outcomes = run(homework, mutants, Path(out), jobs)
    print(table(outcomes, homework.parts))
    print(f"({len(outcomes)} gradings in {time.monotonic() - started:.0f} s; details in {Path(out) / 'mutants.md'})")
    bad = [o for o in outcomes if o.verdict in ("SURVIVED", "WRONGLY FAILED")]
    for o in bad:
        print(f"{o.verdict}: {o.id}: {o.description}")
    return 1 if bad else 0
