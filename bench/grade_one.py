"""Time and memory of grading one submission, cold, as a user runs it.

    .venv/bin/python bench/grade_one.py [SUBMISSION] [--runs 3]

Prints wall time, CPU time of all processes, and the peak of the summed
resident memory of the grader and all its children (sampled every 20 ms from
/proc), for each run and their medians. Figures, not assertions: machines are noisy.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.sandbox.runner import process_table  # noqa: E402


def tree_rss_kb(root_pid: int) -> int:
    """Summed VmRSS of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for pid, fields in process_table():
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def one_run(submission: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "autograder"), "grade", str(submission),
                                    "--results", os.path.join(tmp, "r.json")], stdout=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.02)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("submission", nargs="?", default=str(ROOT / "reference" / "solution.ipynb"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [one_run(Path(args.submission)) for _ in range(args.runs)]
    print(f"grading {args.submission} on {os.cpu_count()} cores, {args.runs} cold runs")
    print(f"{'run':>4} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
    for i, r in enumerate(rows, 1):
        print(f"{i:>4} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['peak_mb']:8.0f}")
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"{'med':>4} {med['wall_s']:8.2f} {med['cpu_s']:8.2f} {med['peak_mb']:8.0f}")


if __name__ == "__main__":
    sys.exit(main())
