"""No grading without a wall: what confines student code is known before any work, said, and required.

Without Landlock (an old kernel, a container that disables it; AUTOGRADER_LANDLOCK=off here) and without
a user switch, student code would run with the grader's own rights: `grade` and `batch` refuse, naming
--run-as and --unconfined. Gradings as root hold one account of a pool each (sandbox/accounts.py), so
that gradings side by side never end each other's processes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder.errors import UsageError
from autograder.sandbox import accounts, wall
from autograder.sandbox.accounts import Pool
from autograder.sandbox.processes import Account
from conftest import HANG_SECONDS, NN2, REFERENCE_NOTEBOOK, ROOT

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="switching users and root's lock folder need root")


def a_wall(**changes) -> wall.Wall:
    fields = dict(landlock=0, switched_off=False, network_filter=True, accounts=(), user="ta")
    return wall.Wall(**{**fields, **changes})


# ------------------------------------------------------------------ the wall, and the refusal

def test_no_landlock_and_no_user_switch_is_refused_naming_both_ways_out():
    with pytest.raises(UsageError) as refused:
        a_wall().refuse_unconfined()
    line = str(refused.value)
    assert "\n" not in line and "as ta, the grader's own user" in line
    assert "--run-as USER" in line and "--unconfined" in line and "Landlock" in line


@pytest.mark.parametrize("changes", [{"landlock": 6}, {"accounts": ("student",)}, {"unconfined": True}],
                         ids=["landlock", "user switch", "accepted"])
def test_landlock_a_user_switch_or_an_accepted_risk_lets_the_grading_run(changes):
    assert a_wall(**changes).refuse_unconfined() is None  # no refusal raised


def test_the_line_says_who_runs_student_code_and_what_holds_it_in():
    assert a_wall(landlock=7).describe() == ("Sandbox: student code runs as ta, the grader's own user, with Landlock "
                                             "(ABI 7), the network filter (seccomp), resource limits and time limits")
    pooled = a_wall(accounts=("s1", "s2"), switched_off=True).describe()
    assert "as one of 2 accounts (s1, s2), one per grading" in pooled and "AUTOGRADER_LANDLOCK=off" in pooled
    assert "UNCONFINED (--unconfined)" in a_wall(unconfined=True).describe()
    assert a_wall(landlock=7).to_json()["walled"] is True and a_wall(unconfined=True).to_json()["walled"] is False


def test_the_wall_here_follows_the_landlock_switch(monkeypatch):
    monkeypatch.setenv("AUTOGRADER_LANDLOCK", "off")
    off = wall.here()
    assert off.landlock == 0 and off.accounts == () and not off.walled
    monkeypatch.setenv("AUTOGRADER_LANDLOCK", "on")
    from autograder.child import landlock

    assert wall.here().landlock == landlock.abi()


# ------------------------------------------------------------------ --run-as: accounts that are a wall

@pytest.mark.parametrize("text, message", [
    ("no-such-account-here", "--run-as no-such-account-here: no such user: create an unprivileged account"),
    ("root", "--run-as root: root is root (uid 0), and student code must never run as root"),
    ("nobody,nobody", "--run-as nobody,nobody: an account is named twice"),
    (",", "--run-as ',': name an account"),
])
def test_a_bad_run_as_is_refused_in_one_line(text, message):
    with pytest.raises(UsageError) as refused:
        Pool.parse(text)
    assert str(refused.value).startswith(message)


def test_a_user_switch_needs_root(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(UsageError, match="switching users needs root"):
        wall.refuse_unusable(Pool((Account("nobody", 65534, 65534),)))


@ROOT_ONLY
def test_an_account_that_could_write_the_grader_is_no_wall(tmp_path, monkeypatch):
    open_folder = tmp_path / "site-packages"
    open_folder.mkdir()
    open_folder.chmod(0o777)
    monkeypatch.setattr(wall, "grader_folders", lambda: [open_folder])
    with pytest.raises(UsageError, match=f"nobody can write the grader's folder {open_folder}"):
        wall.refuse_unusable(Pool.parse("nobody"))


@ROOT_ONLY
def test_an_account_that_cannot_run_the_graders_python_is_refused_before_any_work(tmp_path):
    """As on Gradescope's container when the venv lies in a folder the student account cannot enter."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    (private / "venv").symlink_to(Path(sys.prefix))
    python = private / "venv" / "bin" / "python"  # the same venv, reached through a folder nobody else may enter
    (tmp_path / "hw.ipynb").write_bytes(REFERENCE_NOTEBOOK.read_bytes())
    run = subprocess.run([str(python), "-P", "-m", "autograder", "grade", "hw.ipynb", "--run-as", "nobody",
                          "--homework", "nn2"], cwd=tmp_path, capture_output=True, text=True, timeout=HANG_SECONDS,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.startswith("autograder: --run-as nobody: nobody cannot run the grader's Python")
    assert "Permission denied" in run.stderr and len(run.stderr.splitlines()) == 1
    assert not (tmp_path / "results.json").exists()


# ------------------------------------------------------------------ the refusal through the verbs

def cli(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=HANG_SECONDS, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("verb", [["grade", "hw.ipynb"], ["batch", "course", "--out", "out"]], ids=["grade", "batch"])
def test_grade_and_batch_without_landlock_or_run_as_refuse_before_any_work(tmp_path, verb):
    (tmp_path / "hw.ipynb").write_bytes(REFERENCE_NOTEBOOK.read_bytes())
    (tmp_path / "course").mkdir()
    shutil.copy(REFERENCE_NOTEBOOK, tmp_path / "course" / "alice.ipynb")
    before = sorted(tmp_path.rglob("*"))
    run = cli(*verb, "--homework", "nn2", cwd=tmp_path, env={"AUTOGRADER_LANDLOCK": "off"})
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.startswith("autograder: student code would run as ") and len(run.stderr.splitlines()) == 1
    assert "--run-as USER" in run.stderr and "--unconfined" in run.stderr
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, not even the batch's folder


# ------------------------------------------------------------------ one account per grading at once

def pool_of(count: int) -> Pool:
    return Pool(tuple(Account(f"student{k}", 60000 + k, 60000 + k) for k in range(count)))


@pytest.fixture
def locks(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("the accounts' lock folder is root's")
    folder = tmp_path / "locks"
    folder.mkdir(mode=0o700)
    return folder


@ROOT_ONLY
def test_gradings_at_once_hold_different_accounts(locks):
    pool = pool_of(3)
    with accounts.claimed(pool, folder=locks) as first, accounts.claimed(pool, folder=locks) as second:
        assert first.name == "student0" and second.name == "student1"
    with accounts.claimed(pool, folder=locks) as again:
        assert again.name == "student0"  # freed when its grading ended


@ROOT_ONLY
def test_a_grading_that_finds_every_account_held_says_so_and_waits_for_one(locks):
    pool, said, got = pool_of(1), [], []
    release = threading.Event()

    def holder():
        with accounts.claimed(pool, folder=locks):
            release.wait(timeout=HANG_SECONDS)

    thread = threading.Thread(target=holder)
    thread.start()
    time.sleep(0.3)
    waiter = threading.Thread(target=lambda: got.append(accounts.claimed(pool, said.append, locks).__enter__().name))
    waiter.start()
    time.sleep(1.0)
    assert got == [] and len(said) == 1 and "in use by another grading on this machine: waiting" in said[0]
    release.set()
    waiter.join(timeout=HANG_SECONDS)
    thread.join()
    assert got == ["student0"]


@ROOT_ONLY
def test_a_grading_killed_while_it_holds_an_account_frees_it(locks):
    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
            "from autograder.sandbox import accounts; from autograder.sandbox.processes import Account; "
            "pool = accounts.Pool((Account('student0', 60000, 60000),)); "
            "c = accounts.claimed(pool, folder=Path(sys.argv[2])); c.__enter__(); print('held', flush=True); "
            "time.sleep(600)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(locks)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    with accounts.claimed(pool_of(1), folder=locks) as account:
        assert account.name == "student0"


@ROOT_ONLY
def test_a_lock_folder_others_could_have_made_is_refused(tmp_path):
    folder = tmp_path / "locks"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    with pytest.raises(UsageError, match="only root may open"):
        accounts.lock_folder(folder)
