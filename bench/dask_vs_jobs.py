"""A batch on a 2-worker Dask cluster of this machine against `--jobs 2`: the overhead per submission.

    .venv/bin/python bench/dask_vs_jobs.py [N]

N distinct NN2 submissions (default: all, the catalog's, the reference and the handout), so nothing is
deduplicated: every one is really graded, once by `batch --jobs 2` and once by `batch --scheduler` with a
`dask scheduler` and two `dask worker --nthreads 1` on 127.0.0.1 (started before the clock starts). Both
sheets must agree but for the seconds column. Prints the CPU model: figures, not assertions.
"""

import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import course  # noqa: E402
from measure import cpu_model, recorded  # noqa: E402


def timed_batch(folder: Path, out: Path, *extra: str) -> float:
    started = time.monotonic()
    subprocess.run([str(BIN / "autograder"), "batch", str(folder), "--out", str(out), "--homework", "nn2", *extra],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def sheet(out: Path) -> dict:
    with open(out / "grades.csv") as f:
        return {r["student"]: {k: v for k, v in r.items() if k != "seconds"} for r in csv.DictReader(f)}


def start_cluster(tmp: Path) -> tuple[str, list]:
    scheduler_file = tmp / "scheduler.json"
    processes = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    while not scheduler_file.exists():
        time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    for n in range(2):
        processes.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny",
                                           "--no-dashboard", "--local-directory", str(tmp / f"w{n}")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client

    with Client(address, set_as_default=False) as c:
        c.wait_for_workers(2)
    return address, processes


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:  # 0700, removed at the end
        tmp = Path(tmp)
        folder = tmp / "course"
        folder.mkdir()
        course(folder)
        for extra in sorted(folder.glob("*.ipynb"))[limit:] if limit else []:
            extra.unlink()
        n = len(list(folder.glob("*.ipynb")))
        local = timed_batch(folder, tmp / "local", "--jobs", "2")
        address, processes = start_cluster(tmp)
        try:
            dask = timed_batch(folder, tmp / "dask", "--scheduler", address)
        finally:
            for p in processes:
                p.kill()
        same = sheet(tmp / "local") == sheet(tmp / "dask")
    with recorded("dask_vs_jobs", f"bench/dask_vs_jobs.py {n}"):
        print(f"{cpu_model()}, 2 cores; {n} distinct submissions")
        print(f"{'':>28} {'wall s':>8} {'s/submission':>13}")
        print(f"{'batch --jobs 2':>28} {local:8.1f} {local / n:13.2f}")
        print(f"{'batch --scheduler (2 x 1)':>28} {dask:8.1f} {dask / n:13.2f}")
        print(f"overhead of Dask per submission: {(dask - local) / n:+.2f} s; sheets equal: {same}")


if __name__ == "__main__":
    main()
