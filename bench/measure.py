"""Running a command the way a user would, and measuring it: wall time, CPU time of the
process and everything it started, and the peak of their summed resident memory
(sampled every 20 ms from /proc). Figures, not assertions: machines are noisy.
"""

from __future__ import annotations

import contextlib
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.sandbox.processes import process_table  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")


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


def measured(command: list[str], output: bool = False, **popen) -> dict:
    """wall_s, cpu_s (user + system of the whole tree) and peak_mb of one run of `command`; with
    `output`, also what it printed (stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out if output else subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   **popen)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.02)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if process.returncode != 0:
            raise RuntimeError(f"{command[:4]} failed: {process.stderr.read().decode()[-2000:]}")
        out.seek(0)
        printed = out.read().decode()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak / 1024, **({"stdout": printed} if output else {})}


def cpu_model() -> str:
    """The CPU's model name (Intel and AMD differ in what is slow), from /proc/cpuinfo."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def write_result(name: str, command: str, lines: list[str]) -> Path:
    """bench/results/NAME.md: the figures with the date, the commit, the CPU model and the command that measured
    them; the docs include these files, so no figure in them is typed by hand."""
    import datetime
    import os

    root = Path(__file__).resolve().parent.parent
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    head = [f"Measured {datetime.date.today().isoformat()} at commit {commit} on {cpu_model()} "
            f"({os.cpu_count()} CPUs) by `{command}`:", ""]
    path = root / "bench" / "results" / f"{name}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(head + lines) + "\n")
    print(f"wrote {path.relative_to(root)}")
    return path


class _Tee:
    def __init__(self, buffer):
        self.buffer = buffer

    def write(self, text):
        sys.__stdout__.write(text)
        self.buffer.write(text)

    def flush(self):
        sys.__stdout__.flush()


@contextlib.contextmanager
def recorded(name: str, command: str, fenced: bool = True):
    """Print as usual, and write what was printed to bench/results/NAME.md (write_result), as text in a fence
    or (fenced=False) as the Markdown it already is."""

    buffer = io.StringIO()
    with contextlib.redirect_stdout(_Tee(buffer)):
        yield
    lines = buffer.getvalue().rstrip("\n").splitlines()
    write_result(name, command, ["```text", *lines, "```"] if fenced else lines)
