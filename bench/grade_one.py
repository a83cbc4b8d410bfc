"""Time and memory of grading one submission, cold, as a user runs it.

    .venv/bin/python bench/grade_one.py [SUBMISSION] [--runs 3]

Prints wall time, CPU time of all processes, and the peak of the summed
resident memory of the grader and all its children (sampled every 20 ms from
/proc), for each run and their medians. Figures, not assertions: machines are noisy.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from measure import measured, median_of, write_result  # noqa: E402


def one_run(submission: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return measured([str(ROOT / ".venv" / "bin" / "autograder"), "grade", str(submission),
                         "--results", os.path.join(tmp, "r.json")])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("submission", nargs="?", default=str(ROOT / "reference" / "nn2" / "solution.ipynb"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [one_run(Path(args.submission)) for _ in range(args.runs)]
    print(f"grading {args.submission} on {os.cpu_count()} cores, {args.runs} cold runs")
    print(f"{'run':>4} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
    for i, r in enumerate(rows, 1):
        print(f"{i:>4} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['peak_mb']:8.0f}")
    med = median_of(rows)
    print(f"{'med':>4} {med['wall_s']:8.2f} {med['cpu_s']:8.2f} {med['peak_mb']:8.0f}")
    name = Path(args.submission).relative_to(ROOT) if Path(args.submission).resolve().is_relative_to(ROOT) else args.submission
    table = ["| run | wall s | CPU s | peak MB |", "|---|---|---|---|"]
    table += [f"| {i} | {r['wall_s']:.2f} | {r['cpu_s']:.2f} | {r['peak_mb']:.0f} |" for i, r in enumerate(rows, 1)]
    table += [f"| median | {med['wall_s']:.2f} | {med['cpu_s']:.2f} | {med['peak_mb']:.0f} |"]
    write_result("grade_one", f"bench/grade_one.py {name} --runs {args.runs}", table)


if __name__ == "__main__":
    sys.exit(main())
