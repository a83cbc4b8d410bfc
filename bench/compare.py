"""Grading against running the notebook: the table of issue "fast grading", on this machine.

    .venv/bin/pip install -r bench/requirements.txt     # nbclient and a kernel, for (a) only
    .venv/bin/python bench/compare.py [--runs 3] [--batch-runs 1] [--skip-batch]

(a) the solved notebook executed top to bottom with nbclient, the way notebook-executing
    graders work (baselines, three 10,000-step trainings, prints); the notebook's own
    self-check cell, which is ours, is left out;
(b) one `autograder grade` of the same notebook, cold; its timeline says when each training ended;
(c) one bare 10,000-step training of the handout's network in a fresh process (Python,
    torch, the handout's code with one torch thread as the grader uses, fit), for each of the
    handout's network, FrobClassifier and MixClassifier, with subnormal floats flushed to zero
    (as the grader's children) and without (as a plain kernel);
(d) a batch of the 33 distinct submissions of bench/batch.py (the test catalog, the reference,
    the handout) with --jobs 1 and 2;
(e) (b) again under a 50% CPU quota (Gradescope's default container), when this process may
    create a cgroup (root);
(f) the faster path changes no score: each of those submissions graded with two children
    side by side (`autograder grade --lanes 2`) gets, part by part, what the batch gave it with
    one child answering everything.

Each of (a)-(c) and (e) is the median of --runs cold runs; wall time, CPU time of all
processes and the peak of their summed resident memory. Then the ratios and the targets. The
first line names the CPU: Intel and AMD differ (subnormal arithmetic is microcode on Intel).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PYTHON, ROOT, cpu_model, measured, median_of, recorded  # noqa: E402

NOTEBOOK = ROOT / "reference" / "nn2" / "solution.ipynb"
TARGETS = {"b/a": 0.35, "b/c": 1.5, "trainings": 1.2, "peak_mb": 700, "speedup": 1.8, "half_cpu_s": 30}

RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells = [c for c in nb.cells if "selfcheck" not in c.source]
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
"""

# argv: the repository, the class to train, "flush" or "keep" (subnormal floats).
BARE_TRAINING = """
import sys, time
sys.path.insert(0, sys.argv[1])
import torch
from autograder.homeworks.nn2.child import answers
namespace, _ = answers.prepare([], {}, lambda *a: [], child=True)
exec(open(sys.argv[1] + "/reference/nn2/solution.py").read(), namespace)  # the reference's two classes
torch.set_flush_denormal(sys.argv[3] == "flush")
start = time.monotonic()
namespace[sys.argv[2]]().fit(namespace["Xtrain"], namespace["Ttrain"])
print(f"{time.monotonic() - start:.2f}")
"""
TRAINED = ("NeuralNetworkClassifier", "FrobClassifier", "MixClassifier")


def run_a(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(ROOT / "reference" / "nn2" / "utils.py", Path(tmp) / "utils.py")
        return median_of([measured([PYTHON, "-c", RUN_NOTEBOOK, str(NOTEBOOK), tmp]) for _ in range(runs)])


def run_b(runs: int, prefix: list[str] | None = None) -> dict:
    """The grading's figures, and the seconds at which each training ended (its timeline)."""
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "meta.json"
        command = [*(prefix or []), str(ROOT / ".venv" / "bin" / "autograder"), "grade", str(NOTEBOOK),
                   "--results", str(Path(tmp) / "r.json"), "--meta", str(meta)]
        for _ in range(runs):
            m = measured(command)
            ended = {event: t for t, _, event in json.loads(meta.read_text())["timeline"] if event.endswith("/train")}
            found.append(m | {f"{event} s": t for event, t in ended.items()})
        return median_of(found)


def run_c(runs: int) -> dict[str, dict]:
    """A bare training of each class, with subnormal floats flushed and kept: wall and the fit alone."""
    out = {}
    for cls in TRAINED:
        for mode in ("flush", "keep"):
            runs_ = [measured([PYTHON, "-c", BARE_TRAINING, str(ROOT), cls, mode], output=True) for _ in range(runs)]
            out[f"{cls} {mode}"] = median_of([r | {"fit_s": float(r.pop("stdout"))} for r in runs_])
    return out


def run_d(runs: int) -> tuple[dict[int, dict], list[str]]:
    """The batch with 1 and 2 jobs, and (f): the submissions whose scores differ between paths."""
    from batch import course  # bench/batch.py: the distinct submissions

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "course"
        folder.mkdir()
        n = course(folder)
        for jobs in (1, 2):
            rows = []
            for r in range(runs):
                target = Path(tmp) / f"out-{jobs}-{r}"
                rows.append(measured([str(ROOT / ".venv" / "bin" / "autograder"), "batch", str(folder),
                                      "--out", str(target), "--jobs", str(jobs)]))
            out[jobs] = median_of(rows) | {"submissions": n}
        return out, differing_scores(folder, Path(tmp) / "out-1-0" / "grades.csv")


def differing_scores(folder: Path, grades_csv: Path) -> list[str]:
    parts = ("Mix", "Grad", "FrobClassifier", "MixClassifier", "total")
    batch = {row["student"]: [float(row[p]) for p in parts] for row in csv.DictReader(grades_csv.open())}
    differ = []
    for notebook in sorted(folder.glob("*.ipynb")):
        meta = folder / f"{notebook.stem}.meta.json"
        subprocess.run([str(ROOT / ".venv" / "bin" / "autograder"), "grade", str(notebook), "--lanes", "2",
                        "--results", str(folder / f"{notebook.stem}.results.json"), "--meta", str(meta)],
                       check=True, stdout=subprocess.DEVNULL)
        scores = json.loads(meta.read_text())["parts"]
        two = [scores[p][0] for p in parts[:-1]]
        two.append(sum(two))
        if batch.get(notebook.stem) != two:
            differ.append(f"{notebook.stem}: batch {batch.get(notebook.stem)} vs two children {two}")
    return differ


def half_cpu_prefix() -> list[str] | None:
    """A command prefix that runs its command in a cgroup limited to 50% of one CPU, or None."""
    if os.geteuid() != 0:
        return None
    if Path("/sys/fs/cgroup/cpu").is_dir():
        group = Path("/sys/fs/cgroup/cpu/nn2-bench-half")
        group.mkdir(exist_ok=True)
        (group / "cpu.cfs_period_us").write_text("100000")
        (group / "cpu.cfs_quota_us").write_text("50000")
        tasks = group / "tasks"
    else:
        group = Path("/sys/fs/cgroup/nn2-bench-half")
        try:
            group.mkdir(exist_ok=True)
            (group / "cpu.max").write_text("50000 100000")
        except OSError:
            return None
        tasks = group / "cgroup.procs"
    return ["bash", "-c", f'echo $$ > {tasks}; exec "$@"', "half-cpu"]


def row(name: str, m: dict) -> str:
    return f"| {name} | {m['wall_s']:.1f} | {m['cpu_s']:.1f} | {m['peak_mb']:.0f} |"


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--batch-runs", type=int, default=1)
    p.add_argument("--skip-batch", action="store_true")
    p.add_argument("--json", default=None, help="also write the figures here")
    args = p.parse_args()
    try:
        import nbclient  # noqa: F401
        import ipykernel  # noqa: F401
    except ImportError:
        print("needs nbclient and ipykernel: .venv/bin/pip install -r bench/requirements.txt", file=sys.stderr)
        return 2
    started = time.monotonic()
    a, b, c = run_a(args.runs), run_b(args.runs), run_c(args.runs)
    prefix = half_cpu_prefix()
    half = run_b(args.runs, prefix) if prefix else None
    batch, differ = (None, None) if args.skip_batch else run_d(args.batch_runs)

    with recorded("compare", "bench/compare.py", fenced=False):
        print(f"machine: {os.cpu_count()} cores ({cpu_model()}), {platform.system()} {platform.release()}, "
              f"Python {platform.python_version()}; medians of {args.runs} cold runs")
        print()
        print("| | wall s | CPU s | peak MB (all processes) |")
        print("|---|---|---|---|")
        print(row("(a) notebook top to bottom (nbclient)", a))
        print(row("(b) autograder grade, cold", b))
        for name, m in c.items():
            cls, mode = name.split()
            words = "subnormals flushed" if mode == "flush" else "subnormals kept"
            print(row(f"(c) bare 10,000-step training of {cls}, {words} (fit alone {m['fit_s']:.1f} s)", m))
        if half:
            print(row("(e) autograder grade at 0.5 CPU", half))
        if batch:
            for jobs, m in batch.items():
                print(f"| (d) batch of {m['submissions']}, --jobs {jobs} | {m['wall_s']:.1f} | {m['cpu_s']:.1f} | "
                      f"{m['peak_mb']:.0f} |")
        print()
        ends = {k: v for k, v in b.items() if k.endswith("/train s")}
        print("(b) trainings ended at " + ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in ends.items()))
        print()
        fits = [c[f"{cls} flush"]["fit_s"] for cls in TRAINED[1:]]
        figures = {"b/a": b["wall_s"] / a["wall_s"], "b/c": b["wall_s"] / c["NeuralNetworkClassifier flush"]["wall_s"],
                   "trainings": max(fits) / min(fits), "peak_mb": b["peak_mb"]}
        if batch:
            figures["speedup"] = batch[1]["wall_s"] / batch[2]["wall_s"]
        if half:
            figures["half_cpu_s"] = half["wall_s"]
        failed = 0
        if differ is not None:
            print(f"(f) one child vs two, scores per part of {batch[1]['submissions']} submissions: "
                  f"{'all equal' if not differ else 'DIFFERENT: ' + '; '.join(differ)}")
            failed += bool(differ)
        for key, value in figures.items():
            target = TARGETS[key]
            ok = value >= target if key == "speedup" else value <= target
            failed += not ok
            bound = "at least" if key == "speedup" else "at most"
            print(f"{key:>10}: {value:7.2f}   target {bound} {target:g}   {'ok' if ok else 'MISSED'}")
    print(f"({time.monotonic() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"a": a, "b": b, "c": c, "half": half, "batch": batch,
                                               "figures": figures}, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
