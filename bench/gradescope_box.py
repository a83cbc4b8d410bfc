"""Gradescope's box, as near as one machine gets: the real zip installed by its own setup.sh, and
run_autograder run as Gradescope runs it, as root, inside a cgroup of 0.5 CPU and 768 MB (the
default container), with Landlock switched off as on Gradescope's 4.14 kernel. Needs root and a
cgroup v1 (cpu, memory) or v2 hierarchy this process may write.

    sudo .venv/bin/python bench/gradescope_box.py [--cpu 0.5] [--memory-mb 768] [--cases reference,hanging,slow_training,large] [--large-mb 200]

For each case it prints the wall time (Gradescope shows the student 0 past 600 s), the peak of
the process tree's summed resident memory (sampled every 20 ms), the cgroup's own peak and how
often it hit its limit (an OOM kill would show here), and the score and first line of results.json.
Cases: the reference solution; a hostile one (every answer hangs, and a class body hangs while
the notebook is defined); the slowest one (right values, then both trainings hang: two
train_seconds of 240 s in a row, which only the grading's total time limit, 480 s, keeps under
Gradescope's 600 s); and the reference with 200 MB of outputs (a notebook that printed every
step and kept its plots).
Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from measure import recorded, tree_rss_kb  # noqa: E402

SLOW_AFTER_50_CALLS = ("    calls = [0]\n\n    def reg(self):\n        self.calls[0] += 1\n"
                       "        if self.calls[0] > 50:  # inside fit(): every check before training passes\n"
                       "            import time; time.sleep(10**6)\n")
HANGING_CLASS_BODY = "\n\nclass Helper:\n    while True:  # runs while the notebook is defined\n        pass\n"


class Box:
    """A cgroup of `cpu` CPUs and `memory_mb` MB: v1's cpu and memory hierarchies, or v2's one folder."""

    def __init__(self, name: str, cpu: float, memory_mb: int):
        self.v1 = Path("/sys/fs/cgroup/memory").is_dir()
        period = 100000
        if self.v1:
            self.cpu, self.memory = Path("/sys/fs/cgroup/cpu", name), Path("/sys/fs/cgroup/memory", name)
            for folder in (self.cpu, self.memory):
                folder.mkdir(exist_ok=True)
            (self.cpu / "cpu.cfs_period_us").write_text(str(period))
            (self.cpu / "cpu.cfs_quota_us").write_text(str(int(cpu * period)))
            (self.memory / "memory.limit_in_bytes").write_text(str(memory_mb << 20))
        else:
            self.cpu = self.memory = Path("/sys/fs/cgroup", name)
            self.cpu.mkdir(exist_ok=True)
            (self.cpu / "cpu.max").write_text(f"{int(cpu * period)} {period}")
            (self.cpu / "memory.max").write_text(str(memory_mb << 20))
            (self.cpu / "memory.swap.max").write_text("0")

    def enter_command(self) -> str:
        """Shell words that move the shell into the box before it execs the command."""
        files = [self.cpu / "tasks", self.memory / "tasks"] if self.v1 else [self.cpu / "cgroup.procs"]
        return "; ".join(f"echo $$ > {f}" for f in files)

    def reset(self) -> None:
        if self.v1:
            for name in ("memory.max_usage_in_bytes", "memory.failcnt"):
                (self.memory / name).write_text("0")

    def memory_figures(self) -> dict:
        if self.v1:
            oom = dict(line.split() for line in (self.memory / "memory.oom_control").read_text().splitlines())
            return {"cgroup_peak_mb": int((self.memory / "memory.max_usage_in_bytes").read_text()) / 2**20,
                    "hit_limit": int((self.memory / "memory.failcnt").read_text()),
                    "oom_kills": int(oom.get("oom_kill", 0))}
        events = dict(line.split() for line in (self.memory / "memory.events").read_text().splitlines())
        peak = self.memory / "memory.peak"
        return {"cgroup_peak_mb": int(peak.read_text()) / 2**20 if peak.exists() else float("nan"),
                "hit_limit": int(events.get("max", 0)), "oom_kills": int(events.get("oom_kill", 0))}


def cases(hw, chosen: list[str], folder: Path, large_mb: int) -> dict[str, Path]:
    import catalog

    out = {}
    if "reference" in chosen:
        out["reference"] = hw.reference.with_suffix(".ipynb")
    if "hanging" in chosen:
        source = (ROOT / "tests" / "hostile" / hw.id / "hangs_in_every_answer.py").read_text()
        answers = catalog.answers_of(source, hw)
        first = next(iter(answers))
        answers[first] = HANGING_CLASS_BODY + "\n\n" + answers[first]  # the helper travels with an answer
        (folder / "hanging.ipynb").write_text(catalog.notebook_text(answers, hw))
        out["hanging"] = folder / "hanging.ipynb"
    if "slow_training" in chosen:  # NN2: right values, then each training hangs: two train_seconds in a row
        answers = catalog.reference_answers(hw)
        for name in ("FrobClassifier", "MixClassifier"):
            answers[name] = answers[name].replace("    def reg(self):\n", SLOW_AFTER_50_CALLS)
        (folder / "slow_training.ipynb").write_text(catalog.notebook_text(answers, hw))
        out["slow_training"] = folder / "slow_training.ipynb"
    if "large" in chosen:
        subprocess.run([sys.executable, str(ROOT / "bench" / "large_notebook.py"), str(folder / "large.ipynb"),
                        "--mb", str(large_mb), "--homework", hw.id], check=True, cwd=ROOT)
        out["large"] = folder / "large.ipynb"
    return out


def run_case(installed: dict, box: Box, notebook: Path) -> dict:
    from gradescope_sim import as_plain, autograder_env, new_case

    case = new_case(installed)
    shutil.copy(notebook, case / "submission" / f"{installed['homework']}.ipynb")
    (case / "submission_metadata.json").write_text(json.dumps({"id": 1, "users": [{"name": "Bench"}]}))
    env = autograder_env(installed, case, {"AUTOGRADER_LANDLOCK": "off"})
    box.reset()
    started, peak = time.monotonic(), 0
    process = subprocess.Popen(["bash", "-c", f'{box.enter_command()}; exec bash "$0"', str(case / "source" / "run_autograder")],
                               cwd=case, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    while process.poll() is None:
        peak = max(peak, tree_rss_kb(process.pid))
        time.sleep(0.02)
    wall = time.monotonic() - started
    data = as_plain(json.loads((case / "results" / "results.json").read_text()))
    log = process.stdout.read().decode(errors="replace")
    return {"wall_s": wall, "tree_peak_mb": peak / 1024, **box.memory_figures(), "score": data["score"],
            "first_line": data["output"].splitlines()[0] if data["output"] else "", "log_tail": log[-600:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homework", default="nn2")
    parser.add_argument("--cpu", type=float, default=0.5)
    parser.add_argument("--memory-mb", type=int, default=768)
    parser.add_argument("--cases", default="reference,hanging,slow_training,large")
    parser.add_argument("--large-mb", type=int, default=200, help="outputs of the large notebook (uploads: 512 MB at most)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/gradescope_box.py: needs root (Gradescope runs run_autograder as root, and cgroups are root's)")
    from autograder import homework
    from gradescope_sim import install

    hw = homework.load(args.homework)
    box = Box("gradescope-box", args.cpu, args.memory_mb)
    print(f"installing the {hw.id} zip with its setup.sh ...", flush=True)
    installed = {**install("autograder-student-bench", hw.id), "homework": hw.id}
    folder = Path(tempfile.mkdtemp(prefix="box-cases-"))
    try:
        with recorded("gradescope_box", f"sudo .venv/bin/python bench/gradescope_box.py --cases {args.cases}"):
            for name, notebook in cases(hw, args.cases.split(","), folder, args.large_mb).items():
                mb = notebook.stat().st_size / 2**20
                print(f"\n{name} ({mb:.1f} MB) in {args.cpu} CPU, {args.memory_mb} MB, no Landlock:", flush=True)
                figures = run_case(installed, box, notebook)
                print(figures.pop("log_tail"))
                for key, value in figures.items():
                    print(f"  {key:15} {value:.1f}" if isinstance(value, float) else f"  {key:15} {value}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(installed["base"], ignore_errors=True)


if __name__ == "__main__":
    main()
