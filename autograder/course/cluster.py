"""`autograder batch --scheduler ADDRESS`: each grading runs on a Dask cluster's workers.

A task is one `autograder grade` process on a worker, exactly as a local batch runs it (the same
sandbox, limits and user drop): student code never runs in the worker's own process. The task
carries the submission's bytes, the rubric and its secret seed, so workers need the same
installed grader but no shared folder of the course; it brings back results.json, the grader's
meta and its error output. This process writes state/, feedback/, the sheet and the report, so
resuming, --regrade, the cache and merge work as in a local batch.

A worker that dies while grading: the scheduler gives its task to another worker; a task whose
workers died more often than Dask's `distributed.scheduler.allowed-failures` (3 by default) is a
grader error with a row that says so, graded again on the next run like every grader error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from autograder import __version__
from autograder.course import gradings
from autograder.errors import UsageError
from autograder.grading.seed import read_seed

CONNECT_SECONDS = 10
WORKERS_WAIT_SECONDS = 60  # workers of a job queue start a little after their scheduler
SCHEMES = ("tcp://", "tls://")


def check_address(address: str) -> None:
    """Refused before any work: a scheduler's address is tcp://HOST:PORT or tls://HOST:PORT."""
    rest = next((address[len(s):] for s in SCHEMES if address.startswith(s)), None)
    host, _, port = (rest or "").rpartition(":")
    if rest is None or not host or not port.isdigit():
        raise UsageError(f"--scheduler {address}: expected tcp://HOST:PORT or tls://HOST:PORT, the address "
                         "`dask scheduler` prints (for example tcp://127.0.0.1:8786)")


def connect(address: str):
    """A client of the scheduler at `address` that has a worker, or a one-line refusal."""
    check_address(address)
    import distributed  # only with --scheduler: a local batch never imports Dask

    # Dask logs its reconnection attempts with tracebacks; every grading they cost has its own row and reason.
    for name in ["distributed", *logging.root.manager.loggerDict]:  # Dask gives some children levels of their own
        if name.split(".")[0] == "distributed":
            logging.getLogger(name).setLevel(logging.CRITICAL)
    check_tls_settings(address)
    try:
        client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if isinstance(exc, TimeoutError) or str(exc).startswith("Timed out"):
            raise UsageError(f"--scheduler {address}: no Dask scheduler answered within {CONNECT_SECONDS} s: start one "
                             "(`.venv/bin/dask scheduler --host 127.0.0.1`) or check the address") from None
        raise UsageError(f"--scheduler {address}: could not connect ({exc}): check the address (tcp:// or tls://, as "
                         "the scheduler prints it) and, for tls://, the files Dask's TLS settings name") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_WAIT_SECONDS)
    except TimeoutError:
        client.close()
        raise UsageError(f"--scheduler {address}: the scheduler has had no worker for {WORKERS_WAIT_SECONDS} s: start "
                         f"`.venv/bin/dask worker {address}` where the same grader is installed") from None
    return client


TLS_SETTINGS = {"ca-file": "DASK_DISTRIBUTED__COMM__TLS__CA_FILE", "client.cert": "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT",
                "client.key": "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY"}


def check_tls_settings(address: str) -> None:
    """A tls:// scheduler needs Dask's TLS settings (its `Security` reads them): refused before connecting."""
    import dask

    missing = [env for key, env in TLS_SETTINGS.items() if not dask.config.get(f"distributed.comm.tls.{key}", None)]
    if address.startswith("tls://") and missing:
        raise UsageError(f"--scheduler {address}: a tls:// scheduler needs Dask's TLS settings, and {', '.join(missing)} "
                         "are not set: set them to the cluster's CA, certificate and key files (docs/tas.md: Dask)")


def refuse_other_graders(client, address: str, homework_id: str, pool=None, unconfined: bool = False) -> list[dict]:
    """Before any work: every worker there now grades as this machine would, and holds student code in as the
    batch asks (a later worker is checked per task). Returns each kind of worker's wall (sandbox/wall.py)."""
    mine = installation(homework_id)
    try:
        theirs = client.run(worker_check, homework_id, str(pool) if pool else None, unconfined)
    except Exception as exc:  # a worker without the grader cannot even import it
        raise UsageError(f"--scheduler {address}: a worker could not load the grader ({type(exc).__name__}: {exc}): "
                         "start workers from the grader's .venv (`.venv/bin/dask worker`)") from None
    other = {w: i["installation"] for w, i in theirs.items() if i["installation"] != mine}
    if other:
        worker, found = next(iter(other.items()))
        raise UsageError(f"--scheduler {address}: {len(other)} worker(s) have another grader ({worker}: {found}; "
                         f"here: {mine}): install the same grader on every worker (the same setup.sh, docs/tas.md: Dask)")
    refused = {w: i["refused"] for w, i in theirs.items() if i["refused"]}
    if refused:
        worker, why = next(iter(refused.items()))
        raise UsageError(f"--scheduler {address}: {len(refused)} worker(s) cannot hold student code in ({worker}: {why})")
    threads = sum(w.get("nthreads", 0) for w in client.scheduler_info(n_workers=-1)["workers"].values())
    print(f"Grading on the Dask cluster at {address}: {len(theirs)} workers, {threads} gradings at once", flush=True)
    walls = {json.dumps(i["wall"], sort_keys=True): i["wall"] for i in theirs.values()}
    return [{**w, "described": f"{w['described']} (on {n} Dask worker{'s' if n > 1 else ''})"}
            for w, n in ((w, sum(1 for i in theirs.values() if i["wall"] == w)) for w in walls.values())]


def worker_check(homework_id: str, run_as: str | None, unconfined: bool) -> dict:
    """On a worker: its grader, and the wall it would grade with, or why it cannot grade as asked."""
    from autograder.errors import UsageError as Refused
    from autograder.sandbox import wall
    from autograder.sandbox.accounts import Pool

    try:
        found = wall.here(Pool.parse(run_as) if run_as else None, unconfined)
        found.refuse_unconfined()
        return {"installation": installation(homework_id), "wall": found.to_json(), "refused": ""}
    except Refused as exc:
        return {"installation": installation(homework_id), "wall": None, "refused": str(exc)}


@dataclass(frozen=True)
class Parcel:
    """What a worker needs to grade one submission, as plain data."""

    name: str  # the file's name (its suffix says notebook or .py)
    content: bytes
    homework: str
    rubric_name: str
    rubric: bytes
    seed_file: str  # where the rubric looks for its seed, relative to the rubric
    seed: str
    limit: float
    grader: str  # the sending machine's grader (installation()): a worker with another one refuses
    confinement: tuple[str, ...] = ()  # --run-as and --unconfined, as the batch was given them


class Runner:
    """Gradings on the cluster's workers: every pending one sent at once, each given back as it comes (the batch
    saves it, as a local one)."""

    def grade(self, pending: dict, job):
        """(digest, outcome) of each pending grading (digest -> its entry), as each comes back."""
        from distributed import as_completed

        futures = {}
        for digest, entry in pending.items():
            # pure=False: a key of its own, never shared with another batch's task of equal code and another rubric
            futures[job.cluster.submit(grade_parcel, parcel(entry, job), pure=False)] = digest
        for future in as_completed(list(futures), loop=job.cluster.loop):
            yield futures[future], received(future, job)


def parcel(entry, job) -> Parcel:
    rubric = job.rubric
    try:
        seed_file = rubric.seed_file.resolve().relative_to(rubric.path.resolve().parent)
    except ValueError:
        raise UsageError(f"{rubric.path}: seed_file {rubric.seed_file} lies outside the rubric's folder, and a "
                         "Dask worker receives the rubric and its seed only: put the seed file beside the rubric") from None
    read_seed(rubric.seed_file)  # created now if missing: every worker must draw the same hidden inputs
    return Parcel(entry.path.name, entry.path.read_bytes(), job.homework.id, rubric.path.name,
                  rubric.path.read_bytes(), str(seed_file), rubric.seed_file.read_text(),
                  gradings.time_limit(rubric), installation(job.homework.id), tuple(job.confinement.arguments()))


def received(future, job) -> gradings.Outcome:
    """The outcome of a task that came back, or a grader error saying why it did not."""
    from distributed import KilledWorker

    try:
        answer = future.result()
    except KilledWorker:
        return gradings.failed(job.rubric, "the Dask workers that took this grading died each time (Dask's allowed-failures, "
                                 "3 by default): no grade; rerun the same command to grade it again")
    except BaseException as exc:  # the scheduler went away (a cancelled future), a worker could not run it, ...
        if isinstance(exc, KeyboardInterrupt):
            raise
        if "Cancelled" in type(exc).__name__:
            return gradings.failed(job.rubric, "the batch lost the Dask scheduler before this grading came back: rerun the "
                                     "same command to grade it again (the finished ones are kept)")
        why = " ".join(f"{type(exc).__name__}: {exc}".split())  # one line in the sheet
        return gradings.failed(job.rubric, f"the Dask cluster did not grade it ({why}); rerun the same command to grade it again")
    if isinstance(answer, str):  # the worker refused: another grader
        return gradings.failed(job.rubric, answer)
    return gradings.outcome_of(answer, job.rubric, gradings.time_limit(job.rubric))


def grade_parcel(p: Parcel):
    """On a worker: one `autograder grade` process, as a local batch runs it; a Ran, or why not (a str)."""
    mine = installation(p.homework)
    if mine != p.grader:
        from distributed import get_worker

        return (f"the Dask worker {get_worker().address} has another grader ({mine}) than the machine that sent the "
                f"batch ({p.grader}): install the same grader on every worker (the same setup.sh, docs/tas.md: Dask)")
    check = worker_check(p.homework, *confinement_of(p.confinement))
    if check["refused"]:
        from distributed import get_worker

        return f"the Dask worker {get_worker().address} cannot hold student code in as the batch asks: {check['refused']}"
    with tempfile.TemporaryDirectory(prefix="autograder-batch-") as tmp:
        folder = Path(tmp)
        (folder / "submission").mkdir()
        path = folder / "submission" / Path(p.name).name
        path.write_bytes(p.content)
        rubric = folder / "rubric" / Path(p.rubric_name).name
        seed = rubric.parent / p.seed_file
        seed.parent.mkdir(parents=True, exist_ok=True)
        rubric.write_bytes(p.rubric)
        seed.write_text(p.seed)
        seed.chmod(0o600)
        return gradings.run_grade(path, folder, p.homework, rubric, p.limit, list(p.confinement))


def confinement_of(arguments: tuple[str, ...]) -> tuple[str | None, bool]:
    """(--run-as's accounts or None, --unconfined) from a parcel's arguments."""
    run_as = arguments[arguments.index("--run-as") + 1] if "--run-as" in arguments else None
    return run_as, "--unconfined" in arguments


@lru_cache(maxsize=None)
def installation(homework_id: str) -> str:
    """This machine's grader: its version and a digest of its code and the homework's pack (seeds aside)."""
    from autograder.homework import load

    package = Path(__file__).resolve().parent.parent
    pack = load(homework_id).folder.resolve()
    digest = hashlib.sha256()
    for folder in [package] + ([] if pack.is_relative_to(package) else [pack]):
        for f in sorted(folder.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and f.name != "secret_seed":
                digest.update(str(f.relative_to(folder)).encode() + b"\0" + f.read_bytes())
    from importlib.metadata import version

    return f"autograder {__version__} (code {digest.hexdigest()[:12]}), torch {version('torch')}, Python " \
           f"{sys.version_info.major}.{sys.version_info.minor}"
