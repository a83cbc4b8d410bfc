"""How long a student waits for the self-check of the reference, from the unpacked student bundle.

    .venv/bin/python bench/selfcheck.py [--homework nn2] [--python PATH] [--runs 3]

Builds the bundle into a private temporary folder and times, as a student runs them:
(t) the terminal check `python -m autograder check` on all cores;
(t1) the same on one core (taskset), where one child answers everything, trainings last;
(n) the notebook cell `selfcheck.check()` in a kernel whose history (`In`) holds the solved
    notebook's cells, so that the check runs them in children as in a real kernel.
For each: the seconds until the last check without a training was printed, and until the end.
`--python` runs them with another interpreter (a venv with pip's default, CUDA, torch; nbformat,
numpy and scikit-learn beside it). Prints the CPU model: figures, not assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_MODE = """
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
In = [""] + [c.source for c in nb.cells if c.cell_type == "code" and "selfcheck" not in c.source]
from autograder import selfcheck
raise SystemExit(0 if selfcheck.check({"In": In}) else 1)
"""


sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import cpu_model, write_result  # noqa: E402


def timed(command: list[str], cwd: Path) -> dict:
    """Seconds to the last verdict of a check without a training, and to the end; the exit status."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    last_cheap = None
    for line in process.stdout:
        for piece in line.split("\r"):
            if piece.startswith(("  passed", "  FAILED", "  not here")) and "trained with" not in piece:
                last_cheap = time.monotonic() - start
    code = process.wait()
    return {"cheap_s": last_cheap, "total_s": time.monotonic() - start, "exit": code}


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs if r[key] is not None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--homework", default="nn2")
    parser.add_argument("--python", default=sys.executable, help="the interpreter a student has")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="selfcheck-bench-"))  # 0700: student code walks /tmp in other tests
    try:
        bundle = folder / "bundle.zip"
        subprocess.run([sys.executable, "-m", "autograder", "build", "student", "--homework", args.homework,
                        "--out", str(bundle)], cwd=ROOT, check=True, capture_output=True)
        unpacked = folder / "student"
        with zipfile.ZipFile(bundle) as z:
            z.extractall(unpacked)
        solution = ROOT / "reference" / args.homework / "solution.ipynb"
        shutil.copy(solution, unpacked / "solution.ipynb")
        (unpacked / "notebook_mode.py").write_text(NOTEBOOK_MODE)
        check = [args.python, "-m", "autograder", "check", "solution.ipynb"]
        modes = {"(t) terminal, all cores": check,
                 "(t1) terminal, one core": ["taskset", "-c", "0", *check],
                 "(n) notebook cell": [args.python, "notebook_mode.py", "solution.ipynb"]}
        version = subprocess.run([args.python, "-c", "import torch; print(torch.__version__)"],
                                 capture_output=True, text=True).stdout.strip()
        print(f"CPU: {cpu_model()}, {os.cpu_count()} CPUs; Python {args.python}, torch {version}")
        print(f"{'mode':<28}{'checks without training s':>27}{'whole check s':>15}  exit")
        table = ["| mode | checks without training s | whole check s | exit |", "|---|---|---|---|"]
        for name, command in modes.items():
            runs = [timed(command, unpacked) for _ in range(args.runs)]
            print(f"{name:<28}{median(runs, 'cheap_s'):>27.1f}{median(runs, 'total_s'):>15.1f}  "
                  f"{sorted({r['exit'] for r in runs})}")
            table.append(f"| {name} | {median(runs, 'cheap_s'):.1f} | {median(runs, 'total_s'):.1f} | "
                         f"{sorted({r['exit'] for r in runs})} |")
        if args.python == sys.executable:  # the figures of the project's own venv are the docs'
            write_result(f"selfcheck-{args.homework}", f"bench/selfcheck.py --homework {args.homework} --runs {args.runs}",
                         table + ["", f"Medians of {args.runs} runs; Python {sys.version.split()[0]}, torch {version}."])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
