"""`autograder batch --scheduler`: a real Dask scheduler and two workers on 127.0.0.1, started here."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markupsafe import escape

from catalog import notebook_text, reference_answers
from conftest import HANG_SECONDS, NN2, ROOT, edited, total_without
from test_batch import kinds

DASK = Path(sys.executable).parent / "dask"
# Mix reports how many ways it reached the scheduler: 1000 means none (the hostile catalog's pattern).
REACH = """def Mix(nn):
    import socket
    reached = 0
    try:
        socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
        reached += 1
    except OSError:
        pass
    try:
        from distributed import Client
        Client("tcp://127.0.0.1:PORT", timeout=1).close()
        reached += 1
    except Exception:
        pass
    return 1000.0 + reached"""


class Cluster:
    """A scheduler and its workers, each a process of its own, started from this venv's `dask`."""

    def __init__(self, folder: Path, workers: int, env: dict | None = None, tls: list[str] | None = None):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        # TMPDIR: a killed worker's unfinished grading folder stays in this private folder.
        self.env, self.folder, self.processes = {**os.environ, "TMPDIR": str(folder), **(env or {})}, folder, []
        self.tls = tls or []  # the certificate options of `dask scheduler` and `dask worker`
        try:
            self.start_all(folder / "scheduler.json", workers)
        except BaseException:  # no process of a half-started cluster outlives the test
            self.stop()
            raise

    def start_all(self, scheduler_file: Path, workers: int) -> None:
        folder = self.folder
        self.start("scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(scheduler_file),
                   *(["--protocol", "tls", *self.tls] if self.tls else []))
        deadline = time.monotonic() + HANG_SECONDS
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]
        for n in range(workers):
            self.start("worker", self.address, "--nthreads", "1", "--no-nanny", "--local-directory",
                       str(folder / f"worker{n}"), *self.tls)
        if workers and not self.tls:
            with self.client() as c:
                c.wait_for_workers(workers, timeout=HANG_SECONDS)

    def start(self, *args: str) -> None:
        log = open(self.folder / f"{args[0]}{len(self.processes)}.log", "w")
        self.processes.append(subprocess.Popen([str(DASK), *args, "--no-dashboard"], stdout=log,
                                               stderr=subprocess.STDOUT, env=self.env, cwd=self.folder))

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30, set_as_default=False)

    def stop(self) -> None:
        for p in self.processes:  # killed: a worker told to stop first finishes closing for half a minute
            p.kill()
            p.wait(timeout=HANG_SECONDS)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("dask"), workers=2)
    yield c
    c.stop()


@pytest.fixture(scope="module")
def course(tmp_path_factory, catalog_notebook):
    """Students of the kinds test_batch.py grades (the reference twice: one grading, two rows; not the second right
    one nor the hanging one, whose time the suite spends elsewhere), and the rubric with a 3-second call limit;
    graded once by a local batch on this machine's CPUs."""
    base = tmp_path_factory.mktemp("cluster-course")
    folder, expected = base / "folder", {}
    folder.mkdir()
    table = kinds(catalog_notebook)
    table["reference2"] = table["reference"]
    graded = {k: v for k, v in table.items() if k not in ("einsum", "hanging")}
    for kind, (data, total, status) in graded.items():
        expected[kind] = (total, status)
        (folder / kind).mkdir()
        if data is not None:
            (folder / kind / "homework.ipynb").write_bytes(data)
    rubric = base / "rubric.toml"
    rubric.write_text(edited(NN2.rubric_path.read_text(), "call_seconds = 30", "call_seconds = 3"))
    local = base / "local"
    run = batch(folder, "--out", local, "--rubric", rubric, "--jobs", "2")
    assert run.returncode == 0, run.stderr
    return {"folder": folder, "rubric": rubric, "local": local, "expected": expected,
            "files": {kind: data for kind, (data, _, _) in table.items()}}


def batch(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "autograder", "batch", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=HANG_SECONDS, **kwargs)


def sheet(out: Path) -> dict[str, dict]:
    """grades.csv by student, without the seconds each grading took (the one column a machine changes)."""
    with open(out / "grades.csv") as f:
        return {row["student"]: {k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(f)}


def assert_every_row_right(out: Path, course) -> None:
    rows = sheet(out)
    assert {s: (float(r["total"]), r["status"]) for s, r in rows.items()} == course["expected"]
    assert rows == sheet(course["local"])
    for student in rows:  # what each student reads, word for word
        assert feedback(out, student) == feedback(course["local"], student), student


def feedback(out: Path, student: str) -> dict:
    """The student's copy, but for how long the grading took."""
    data = json.loads((out / "feedback" / f"{student}.json").read_text())
    return {k: v for k, v in data.items() if k != "execution_time"}


@pytest.mark.slow
def test_a_course_graded_on_the_cluster_equals_the_local_batch_row_for_row(cluster, course, tmp_path):
    out = tmp_path / "out"
    run = batch(course["folder"], "--out", out, "--rubric", course["rubric"], "--scheduler", cluster.address)
    assert run.returncode == 0, run.stderr
    assert f"Grading on the Dask cluster at {cluster.address}: 2 workers, 2 gradings at once" in run.stdout
    walls = json.loads((out / "batch.json").read_text())["sandbox"]
    assert [w["described"] for w in walls] == [f"{walls[0]['described'].removesuffix(' (on 2 Dask workers)')} "
                                               "(on 2 Dask workers)"] and walls[0]["walled"]
    assert walls[0]["described"] in run.stdout and str(escape(walls[0]["described"])) in (out / "report.html").read_text()
    assert_every_row_right(out, course)
    assert run.stderr.count(" points (grader errors 0, ") == len(course["expected"])  # the progress, row by row
    assert (out / "summary.json").read_text() == (course["local"] / "summary.json").read_text()
    again = batch(course["folder"], "--out", out, "--rubric", course["rubric"], "--scheduler", cluster.address)
    assert f"{len(course['expected'])} already graded with this rubric" in again.stdout  # resumes as a local batch
    assert_every_row_right(out, course)


@pytest.mark.slow
def test_a_worker_killed_mid_run_leaves_every_row_right(course, tmp_path):
    c = Cluster(tmp_path / "dask", workers=2)
    try:
        command = [sys.executable, "-m", "autograder", "batch", str(course["folder"]), "--out", str(tmp_path / "out"),
                   "--rubric", str(course["rubric"]), "--scheduler", c.address]
        run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in run.stderr:  # the first grading back from a worker: the others are running now
            if " no submission, " not in line:
                break
        with c.client() as client:
            busy = {w: tasks for w, tasks in client.processing().items() if tasks}
            assert busy, "no worker was grading when one was to be killed"
            victim = next(iter(busy))
            pid = client.run(os.getpid, workers=[victim])[victim]
            os.kill(pid, signal.SIGKILL)
        rest = run.stderr.read()
        assert run.wait(timeout=HANG_SECONDS) == 0, rest
        assert_every_row_right(tmp_path / "out", course)
    finally:
        c.stop()


def hanging_batch_running(c: Cluster, course, tmp_path: Path) -> subprocess.Popen:
    """A batch of one hanging notebook on `c`, returned once its one worker is grading it."""
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "hanging.ipynb").write_bytes(course["files"]["hanging"])
    command = [sys.executable, "-m", "autograder", "batch", str(folder), "--out", str(tmp_path / "out"),
               "--rubric", str(course["rubric"]), "--scheduler", c.address]
    run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with c.client() as client:
        deadline = time.monotonic() + HANG_SECONDS
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any(client.processing().values()), "the grading never started"
    return run


@pytest.mark.slow
def test_a_grading_whose_workers_all_died_is_a_grader_error_that_says_so(course, tmp_path):
    """The scheduler told to give up after one death (Dask's allowed-failures, 3 by default)."""
    c = Cluster(tmp_path / "dask", workers=1, env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    try:
        run = hanging_batch_running(c, course, tmp_path)
        with c.client() as client:
            (worker, pid), = client.run(os.getpid).items()
        os.kill(pid, signal.SIGKILL)
        _, err = run.communicate(timeout=HANG_SECONDS)
        assert run.returncode == 1 and "rerun the same command to grade them again" in err
        row = sheet(tmp_path / "out")["hanging"]
        assert row["status"] == "grader error" and row["reason"].startswith("the Dask workers that took this grading "
                                                                            "died each time")
    finally:
        c.stop()


@pytest.mark.slow
def test_a_scheduler_lost_mid_run_leaves_rows_that_say_so_and_no_traceback(course, tmp_path):
    c = Cluster(tmp_path / "dask", workers=1)
    try:
        run = hanging_batch_running(c, course, tmp_path)
        c.processes[0].kill()  # the scheduler
        _, err = run.communicate(timeout=HANG_SECONDS)
        assert run.returncode == 1 and "Traceback" not in err, err
        row = sheet(tmp_path / "out")["hanging"]
        assert row["status"] == "grader error"
        assert row["reason"] == ("the batch lost the Dask scheduler before this grading came back: rerun the same "
                                 "command to grade it again (the finished ones are kept)")
    finally:
        c.stop()


@pytest.mark.slow
def test_student_code_on_a_worker_cannot_reach_the_scheduler(cluster, tmp_path):
    port = cluster.address.rsplit(":", 1)[1]
    folder = tmp_path / "course"
    folder.mkdir()
    # The classifiers left as handed out: their trainings would call this Mix at every step.
    answers = {**reference_answers(), "Mix": REACH.replace("PORT", port), "FrobClassifier": "", "MixClassifier": ""}
    (folder / "mallory.ipynb").write_text(notebook_text(answers))
    out = tmp_path / "out"
    run = batch(folder, "--out", out, "--scheduler", cluster.address, "--homework", "nn2")
    assert run.returncode == 0, run.stderr
    row = sheet(out)["mallory"]
    assert float(row["total"]) == total_without("Mix", "FrobClassifier", "MixClassifier") and row["status"] == "graded"
    feedback = (out / "ta" / "mallory.json").read_text()
    assert "Mix(nn) returned 1000 on" in feedback and "returned 1001" not in feedback and "returned 1002" not in feedback


@pytest.mark.slow
def test_a_worker_with_another_grader_refuses_the_task_and_says_why(cluster):
    from autograder.course import cluster as cluster_module

    parcel = cluster_module.Parcel("hw.ipynb", b"{}", "nn2", "rubric.toml", b"", "secret_seed", "0", 60.0,
                                   "autograder 0.0.1 (code 000000000000), torch 1.0, Python 3.9")
    with cluster.client() as client:
        answer = client.submit(cluster_module.grade_parcel, parcel, pure=False).result(timeout=HANG_SECONDS)
    assert answer.startswith("the Dask worker tcp://127.0.0.1:") and "install the same grader on every worker" in answer
    assert "(autograder 0.0.1 (code 000000000000)" in answer or "batch (autograder 0.0.1" in answer


@pytest.mark.slow
def test_workers_without_a_wall_refuse_the_batch_before_any_work_and_a_task_they_cannot_confine(tmp_path):
    """Workers where Landlock is off (AUTOGRADER_LANDLOCK=off, as a node without it) and no --run-as: the batch is
    refused before any work, naming the worker and the ways out; a parcel asking for an account the worker lacks
    is refused by the worker with the reason."""
    from autograder.course import cluster as cluster_module

    c = Cluster(tmp_path / "dask", workers=1, env={"AUTOGRADER_LANDLOCK": "off"})
    try:
        folder, out = tmp_path / "course", tmp_path / "out"
        folder.mkdir()
        (folder / "alice.ipynb").write_text(notebook_text(reference_answers(NN2), NN2))
        run = batch(folder, "--out", out, "--homework", "nn2", "--scheduler", c.address)
        assert run.returncode == 2, run.stdout + run.stderr
        assert run.stderr.startswith(f"autograder: --scheduler {c.address}: 1 worker(s) cannot hold student code in")
        assert "--run-as USER" in run.stderr and "--unconfined" in run.stderr and len(run.stderr.splitlines()) == 1
        assert not (out / "batch.json").exists()
        parcel = cluster_module.Parcel("hw.ipynb", b"{}", "nn2", "rubric.toml", b"", "secret_seed", "0", 60.0,
                                       cluster_module.installation("nn2"), ("--run-as", "no-such-account-here"))
        with c.client() as client:
            answer = client.submit(cluster_module.grade_parcel, parcel, pure=False).result(timeout=HANG_SECONDS)
        assert answer.startswith("the Dask worker tcp://127.0.0.1:") and "cannot hold student code in" in answer
        assert "--run-as no-such-account-here: no such user" in answer
    finally:
        c.stop()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make the cluster's certificate")
def test_a_tls_cluster_grades_with_the_readmes_settings(tmp_path, catalog_notebook):
    """The README's TLS recipe: a certificate for the cluster, scheduler and worker started with it, the batch given
    it through Dask's settings."""
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                           "/CN=autograder", "-keyout", str(keys / "cluster.key"), "-out", str(keys / "cluster.pem")],
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    tls = ["--tls-ca-file", str(keys / "cluster.pem"), "--tls-cert", str(keys / "cluster.pem"), "--tls-key",
           str(keys / "cluster.key")]
    c = Cluster(tmp_path / "dask", workers=1, tls=tls)
    try:
        folder = tmp_path / "course"
        folder.mkdir()
        (folder / "bob.ipynb").write_bytes(kinds(catalog_notebook)["wrong"][0])
        plain = batch(folder, "--out", tmp_path / "plain", "--homework", "nn2", "--scheduler", c.address)
        assert plain.returncode == 2 and "a tls:// scheduler needs Dask's TLS settings" in plain.stderr
        settings = {"DASK_DISTRIBUTED__COMM__TLS__CA_FILE": str(keys / "cluster.pem"),
                    "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": str(keys / "cluster.pem"),
                    "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": str(keys / "cluster.key"),
                    "DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION": "True"}
        run = batch(folder, "--out", tmp_path / "out", "--homework", "nn2", "--scheduler", c.address,
                    env={**os.environ, **settings})
        assert run.returncode == 0, run.stderr
        assert float(sheet(tmp_path / "out")["bob"]["total"]) == kinds(catalog_notebook)["wrong"][1]
    finally:
        c.stop()


def test_a_scheduler_without_workers_is_refused_with_one_line(tmp_path, monkeypatch):
    from autograder.course import cluster as cluster_module
    from autograder.errors import UsageError

    c = Cluster(tmp_path / "dask", workers=0)
    monkeypatch.setattr(cluster_module, "WORKERS_WAIT_SECONDS", 1)
    try:
        with pytest.raises(UsageError) as refused:
            cluster_module.connect(c.address)
        assert str(refused.value) == (f"--scheduler {c.address}: the scheduler has had no worker for 1 s: start "
                                      f"`.venv/bin/dask worker {c.address}` where the same grader is installed")
    finally:
        c.stop()


def test_without_a_scheduler_a_batch_never_imports_dask(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "bob.ipynb").write_text("{broken")  # graded in a second, as unreadable
    code = ("import sys\nfrom autograder.course import batch\n"
            f"batch.main(source={str(tmp_path / 'course')!r}, out={str(tmp_path / 'out')!r}, homework='nn2')\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=HANG_SECONDS)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "grades.csv").exists()
