"""The processes student code leaves behind, and the account it runs as: the grader's cleanup, on Linux.

Used only where the grader keeps every layer (Gradescope, a TA's machine): the grading process
is a child subreaper, every process a child detaches is found in /proc and killed, and files the
student account left in the world-writable folders are removed. The self-check on a student's
own computer needs none of it.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    """The unprivileged user student code runs as when the grader is root (as on Gradescope)."""

    name: str
    uid: int
    gid: int

    @classmethod
    def named(cls, name: str) -> "Account":
        import pwd  # POSIX only: a user switch happens on Linux, as root

        entry = pwd.getpwnam(name)  # KeyError: no such user
        if entry.pw_uid == 0:
            raise ValueError("student code must not run as root")
        return cls(name, entry.pw_uid, entry.pw_gid)


def become_subreaper() -> None:
    """Orphans of our children become ours, not init's, so that a sweep finds them (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError, TypeError):
        pass


def sweep(started: set[int], account: "Account | None", lock) -> None:
    """Kill what children left behind: adopted orphans and, when dropped to an account, all its processes."""
    for _ in range(100):
        with lock:
            me = os.getpid()
            # Children still answering (other lanes) are spared; anything else of the account goes.
            pids = [pid for pid, (uid, ppid) in _processes().items() if pid not in started
                    and (ppid == me or (account is not None and uid == account.uid))]
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            _reap_adopted(started)
        if not pids:
            return
        time.sleep(0.02)


def clean_shared_folders(account: "Account | None") -> None:
    """Remove what the student account left in the world-writable folders (root only)."""
    if account is None:
        return
    for e in owned_entries(account.uid):
        try:
            if e.is_dir(follow_symlinks=False):
                shutil.rmtree(e.path, ignore_errors=True)
            else:
                os.unlink(e.path)
        except OSError:
            pass


def _reap_adopted(started: set[int]) -> None:
    """Collect the exit status of dead adopted orphans; our own children are waited for by Popen."""
    me = os.getpid()
    for pid, (_, ppid) in _processes(include_zombies=True).items():
        if ppid == me and pid not in started:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def process_table():
    """(pid, fields of /proc/<pid>/status) for every process that can be read."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status") as f:
                    yield int(entry), dict(line.split(":", 1) for line in f if ":" in line)
            except OSError:
                continue


def _processes(include_zombies: bool = False) -> dict[int, tuple[int, int]]:
    """pid -> (real uid, parent pid) of every process; zombies (dead, not yet reaped) only when asked."""
    found = {}
    for pid, fields in process_table():
        if fields.get("State", "").strip().startswith("Z") and not include_zombies:
            continue
        try:
            found[pid] = (int(fields["Uid"].split()[0]), int(fields["PPid"]))
        except (KeyError, ValueError):
            continue
    return found


def tasks_of(uid: int) -> int:
    """Processes and threads the user runs now: what RLIMIT_NPROC counts."""
    count = 0
    for _, fields in process_table():
        try:
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields.get("Threads", "1"))
        except (KeyError, ValueError):
            continue
    return count


SHARED_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm")  # writable by every user


def owned_entries(uid: int) -> list[os.DirEntry]:
    """Top-level entries of the world-writable folders that belong to `uid`."""
    found = []
    for folder in SHARED_FOLDERS:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            try:
                if e.stat(follow_symlinks=False).st_uid == uid:
                    found.append(e)
            except OSError:
                pass
    return found

