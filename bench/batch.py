"""Wall time of a batch of every NN2 catalog submission (41 today) with 1 and with 2 jobs, on this machine.

    .venv/bin/python bench/batch.py

The submissions are all different (the NN2 catalog's 39, the reference and
the handout), so nothing is deduplicated or cached: every one is really graded.
Figures, not assertions: machines are noisy.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import catalog  # noqa: E402
from measure import write_result  # noqa: E402


def course(folder: Path) -> int:
    shutil.copy(ROOT / "reference" / "nn2" / "solution.ipynb", folder / "reference.ipynb")
    shutil.copy(ROOT / "student_template" / "nn2" / "neural_networks_2.ipynb", folder / "handout.ipynb")
    for kind in ("correct", "wrong"):
        for entry in catalog.entries(kind):
            catalog.notebook(entry, folder)
    return len(list(folder.glob("*.ipynb")))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "course"
        folder.mkdir()
        n = course(folder)
        rows = []
        for jobs in (1, 2):
            started = time.monotonic()
            subprocess.run([str(ROOT / ".venv" / "bin" / "autograder"), "batch", str(folder), "--out",
                            str(Path(tmp) / f"out{jobs}"), "--jobs", str(jobs)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            rows.append((jobs, time.monotonic() - started))
    print(f"batch of {n} distinct submissions")
    print(f"{'jobs':>5} {'wall s':>8} {'s/submission':>13}")
    for jobs, wall in rows:
        print(f"{jobs:>5} {wall:8.1f} {wall / n:13.2f}")
    print(f"speed-up from 1 to 2 jobs: {rows[0][1] / rows[1][1]:.2f}")
    table = ["| jobs | wall s | s per submission |", "|---|---|---|"]
    table += [f"| {jobs} | {wall:.1f} | {wall / n:.2f} |" for jobs, wall in rows]
    write_result("batch", "bench/batch.py", table + ["", f"{n} distinct NN2 submissions; speed-up from 1 to 2 jobs "
                                                     f"{rows[0][1] / rows[1][1]:.2f}."])


if __name__ == "__main__":
    main()
