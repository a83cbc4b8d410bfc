"""The accounts student code runs as when the grader is root: a pool, one account per grading at a time.

After each child the grader kills every process of the account student code ran as and removes
its files in the world-writable folders (processes.sweep, processes.clean_shared_folders): that
is how a detached or forked process of a student is sure to end. Two gradings side by side on one
machine (a course's own container host, CI, anyone trying the Gradescope zip twice) must
therefore never share an account, or each one's sweep kills the other's children.

So a grading claims an account of its pool for its whole length: an exclusive flock on a file
named after the account, in a folder only root may write. A grading that finds every account
claimed says so and waits for the first one freed. The kernel drops a flock with the process
that held it, so a grading that is killed frees its account; the next one to claim it sweeps
whatever the dead one left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError
from autograder.sandbox.processes import Account

LOCKS = Path("/run/autograder-accounts")
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Pool:
    """The unprivileged accounts a grader may run student code as, in the order they are tried."""

    accounts: tuple[Account, ...]

    @classmethod
    def parse(cls, text: str, option: str = "--run-as") -> "Pool":
        """`USER` or `USER,USER,...`: each an existing account that is not root; UsageError naming the bad one."""
        names = [n.strip() for n in text.split(",") if n.strip()]
        if not names:
            raise UsageError(f"{option} {text!r}: name an account, or several separated by commas")
        if len(set(names)) != len(names):
            raise UsageError(f"{option} {text}: an account is named twice: name each once")
        return cls(tuple(account(name, option) for name in names))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.accounts)

    def __str__(self) -> str:
        return ",".join(self.names)


def account(name: str, option: str) -> Account:
    try:
        return Account.named(name)
    except KeyError:
        raise UsageError(f"{option} {name}: no such user: create an unprivileged account first (as root: useradd "
                         f"--system --no-create-home --shell /usr/sbin/nologin {name})") from None
    except ValueError:
        raise UsageError(f"{option} {name}: {name} is root (uid 0), and student code must never run as root: "
                         "name an unprivileged account") from None


def lock_folder(folder: Path = LOCKS) -> Path:
    """The folder of the accounts' lock files: made by root, 0700, and refused when anyone else could have
    made or changed it (student code may write /tmp, never /run)."""
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise UsageError(f"the student accounts cannot be locked: {folder}: {exc.strerror or exc} (the grader must "
                         "run as root to switch users)") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o077:
        raise UsageError(f"the student accounts cannot be locked: {folder} is not a folder of root's that only root "
                         "may open (mode 0700): remove it and grade again")
    return folder


def try_lock(path: Path) -> int | None:
    """An open descriptor holding the exclusive lock on `path`, or None when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def claimed(pool: Pool | None, say=lambda text: None, folder: Path = LOCKS):
    """The account of `pool` this grading holds until the block ends (None without a pool: no user switch)."""
    if pool is None:
        yield None
        return
    locks = lock_folder(folder)
    waited = False
    while True:
        for candidate in pool.accounts:
            fd = try_lock(locks / f"{candidate.uid}.lock")  # by uid: two names of one user are one account
            if fd is None:
                continue
            try:
                yield candidate
            finally:
                os.close(fd)
            return
        if not waited:
            say(f"every student account ({pool}) is in use by another grading on this machine: waiting for one "
                "(gradings that share an account would end each other's processes)")
            waited = True
        time.sleep(POLL_SECONDS)
