"""The Slurm array script of docs/tas.md, submitted with sbatch as written to a one-node Slurm on this machine.

Debian's Slurm (slurmctld, slurmd, slurm-client) and munge, which .ci/run installs when it runs as root:
the test starts munged, slurmctld and slurmd on free ports with their state in a private folder, submits
the script from the folder of the course's zip, waits, merges the eight shards and compares the sheet
with a local batch's. Skipped, saying why, where Slurm is not installed or the test is not root.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from conftest import HANG_SECONDS, ROOT
from test_batch import kinds
from test_cluster import sheet

pytestmark = pytest.mark.slow

DAEMONS = {name: shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
           for name in ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scancel")}
MISSING = sorted(name for name, path in DAEMONS.items() if path is None)


def readme_script(where: str, placeholder: str) -> str:
    """A script as docs/tas.md gives it (unindented), its one placeholder (the grader's checkout) filled in."""
    readme = (ROOT / "docs" / "tas.md").read_text()
    script = textwrap.dedent(re.search(where, readme, re.S).group(1))
    assert placeholder in script
    return script.replace(placeholder, placeholder.replace("/path/to/nn2-autograder", str(ROOT)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Slurm:
    """munged, slurmctld and slurmd for this machine alone, everything of theirs in `folder` (0700)."""

    def __init__(self, folder: Path):
        self.folder, self.processes, self.env = folder, [], dict(os.environ)
        try:
            self.start_all()
        except BaseException:  # no daemon of a half-started Slurm outlives the test
            self.stop()
            raise

    def start_all(self) -> None:
        folder = self.folder
        folder.mkdir(mode=0o700)
        for sub in ("munge", "state", "spool"):
            (folder / sub).mkdir(mode=0o700)
        key = folder / "munge" / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o600)
        m = folder / "munge"
        self.start(DAEMONS["munged"], "-F", "-f", f"--socket={m / 'socket'}", f"--key-file={key}",
                   f"--log-file={m / 'log'}", f"--pid-file={m / 'pid'}", f"--seed-file={m / 'seed'}")
        self.wait_for(lambda: (m / "socket").exists(), "munged's socket")
        self.conf = folder / "slurm.conf"
        self.conf.write_text(self.config(m / "socket"))
        # TMPDIR: the jobs' scratch folders (a Dask worker's) stay in this private folder, never in /tmp
        (folder / "tmp").mkdir(mode=0o700)
        self.env = {**os.environ, "SLURM_CONF": str(self.conf), "TMPDIR": str(folder / "tmp")}
        self.start(DAEMONS["slurmctld"], "-D", "-f", str(self.conf))
        self.start(DAEMONS["slurmd"], "-D", "-f", str(self.conf))
        self.wait_for(self.node_is_up, "the node to come up")

    def config(self, munge_socket: Path) -> str:
        node = subprocess.run([DAEMONS["slurmd"], "-C"], capture_output=True, text=True, check=True).stdout
        node = next(line for line in node.splitlines() if line.startswith("NodeName="))
        f = self.folder
        return "\n".join([
            "ClusterName=autograder", f"SlurmctldHost={socket.gethostname()}(127.0.0.1)", "SlurmUser=root",
            "SlurmdUser=root", "AuthType=auth/munge", f"AuthInfo=socket={munge_socket}", "CredType=cred/munge",
            f"SlurmctldPort={free_port()}", f"SlurmdPort={free_port()}", f"StateSaveLocation={f / 'state'}",
            f"SlurmdSpoolDir={f / 'spool'}", f"SlurmctldPidFile={f / 'slurmctld.pid'}",
            f"SlurmdPidFile={f / 'slurmd.pid'}", f"SlurmctldLogFile={f / 'slurmctld.log'}",
            f"SlurmdLogFile={f / 'slurmd.log'}", "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none", "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none", "MpiDefault=none", "SwitchType=switch/none", "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU_Memory", "ReturnToService=2",
            f"{node.split(' UpTime=')[0]} NodeAddr=127.0.0.1 State=UNKNOWN",
            f"PartitionName=grading Nodes={socket.gethostname()} Default=YES MaxTime=INFINITE State=UP", ""])

    def start(self, *command) -> None:
        log = open(self.folder / f"{Path(command[0]).name}.out", "w")
        self.processes.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))

    def node_is_up(self) -> bool:
        run = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, env=self.env)
        return run.returncode == 0 and run.stdout.strip() == "idle"

    def wait_for(self, ready, what: str) -> None:
        deadline = time.monotonic() + HANG_SECONDS
        while not ready():
            assert time.monotonic() < deadline and all(p.poll() is None for p in self.processes), \
                f"waiting for {what}: " + self.logs()
            time.sleep(0.3)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.folder.glob("*.out")) + sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        subprocess.run([DAEMONS["scancel"], "--user", "root"], env=self.env, capture_output=True)
        for p in reversed(self.processes):
            p.terminate()
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


NEEDS_SLURM = pytest.mark.skipif(
    bool(MISSING) or os.geteuid() != 0,
    reason=f"Slurm's daemons need root and Debian's slurmctld, slurmd, slurm-client and munge "
           f"({', '.join(MISSING) or 'all installed'} missing; .ci/run installs them with apt as root)")


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    s = Slurm(tmp_path_factory.mktemp("slurm") / "daemons")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def download(tmp_path_factory, catalog_notebook):
    """A course's zip of four students (right, untouched, unreadable, empty) in the folder sbatch runs in, and
    its sheet from one local batch: the packaged rubric, as the script uses."""
    here = tmp_path_factory.mktemp("slurm-course")
    table = kinds(catalog_notebook)
    with zipfile.ZipFile(here / "submissions.zip", "w") as z:
        for kind in ("reference", "handout", "broken", "empty"):
            data = table[kind][0]
            z.writestr(f"{kind}/" + ("homework.ipynb" if data is not None else ""), data or b"")
    local = here.parent / "local"
    run = subprocess.run([sys.executable, "-m", "autograder", "batch", str(here / "submissions.zip"), "--out",
                          str(local)], cwd=ROOT, capture_output=True, text=True, timeout=HANG_SECONDS)
    assert run.returncode == 0, run.stderr
    assert {r["status"] for r in sheet(local).values()} == {"graded", "unreadable", "no submission"}
    return here, sheet(local)


@NEEDS_SLURM
def test_the_readmes_slurm_array_script_grades_a_course_as_one_local_batch(slurm, download):
    here, local = download
    (here / "grade.sbatch").write_text(readme_script(r"A Slurm\narray job.*?```sh\n(.*?)```", "GRADER=/path/to/nn2-autograder\n"))
    submitted = subprocess.run([DAEMONS["sbatch"], "--wait", "grade.sbatch"], cwd=here, env=slurm.env,
                               capture_output=True, text=True, timeout=HANG_SECONDS)
    outputs = "\n".join(p.read_text() for p in sorted(here.glob("slurm-*.out")))
    assert submitted.returncode == 0, submitted.stdout + submitted.stderr + outputs + slurm.logs()
    shards = sorted(str(p) for p in (here / "shards").iterdir())
    assert len(shards) == 8
    merged = subprocess.run([str(ROOT / ".venv" / "bin" / "autograder"), "merge", *shards, "--out", "final"],
                            cwd=here, capture_output=True, text=True, timeout=HANG_SECONDS)
    assert merged.returncode == 0, merged.stderr
    assert sheet(here / "final") == local


@NEEDS_SLURM
def test_the_readmes_dask_jobqueue_script_starts_workers_that_grade_as_one_local_batch(slurm, download, tmp_path):
    here, local = download
    script = tmp_path / "dask_on_slurm.py"
    script.write_text(readme_script(r"```python\n(  # dask_on_slurm.py.*?)```", 'GRADER = "/path/to/nn2-autograder"'))
    log = tmp_path / "dask_on_slurm.log"  # Dask's own log lines: the address alone is on standard output
    up = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), str(script)], cwd=tmp_path, env=slurm.env,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    try:
        address = up.stdout.readline().strip()
        assert address.startswith("tcp://"), address + log.read_text()
        out = tmp_path / "out"
        run = subprocess.run([str(ROOT / ".venv" / "bin" / "autograder"), "batch", str(here / "submissions.zip"),
                              "--out", str(out), "--scheduler", address], cwd=tmp_path, capture_output=True,
                             text=True, timeout=HANG_SECONDS)
        assert run.returncode == 0, run.stdout + run.stderr + slurm.logs()
        assert sheet(out) == local
        up.communicate("\n", timeout=HANG_SECONDS)  # the script's Enter: its cluster and jobs end
        assert up.returncode == 0
    finally:
        up.kill()
