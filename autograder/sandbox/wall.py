"""What confines student code on this machine, known before any grading, and the refusal to grade without it.

Two layers keep student code away from the grader's files and the TA's: Landlock (the child
locks itself in; Linux 5.13+ with Landlock enabled) and a user switch (as root, children run as
an unprivileged account that cannot write the grader's files). Resource limits, the subreaper and
the network filter hold everywhere, but none of them keeps a write out of the grader's virtual
environment, where a `.pth` file would run in every later grading, the grader's own included.

So `grade` and `batch` refuse to run student code as the grader's own user where Landlock is
missing, unless the operator switches users (`--run-as`) or accepts the risk (`--unconfined`).
The Gradescope container always switches users (gradescope/run.py).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.child import landlock, seccomp
from autograder.errors import UsageError
from autograder.sandbox import kit
from autograder.sandbox.accounts import Pool

PROBE_SECONDS = 60


@dataclass(frozen=True)
class Wall:
    """What holds student code in, as this grader will run it here."""

    landlock: int  # the Landlock ABI children lock themselves in with; 0: none (or AUTOGRADER_LANDLOCK=off)
    switched_off: bool  # Landlock exists but AUTOGRADER_LANDLOCK=off (a test switch) keeps the children out of it
    network_filter: bool  # the kernel takes seccomp filters: no socket but unix ones
    accounts: tuple[str, ...]  # the accounts student code runs as; (): the grader's own user
    user: str  # the grader's own user
    unconfined: bool = False  # the operator accepted grading with neither Landlock nor a user switch

    @property
    def walled(self) -> bool:
        return bool(self.landlock or self.accounts)

    def who(self) -> str:
        if not self.accounts:
            return f"as {self.user}, the grader's own user"
        if len(self.accounts) == 1:
            return f"as {self.accounts[0]}"
        return f"as one of {len(self.accounts)} accounts ({', '.join(self.accounts)}), one per grading"

    def describe(self) -> str:
        """One line for the operator: who student code runs as and what holds it in."""
        layers = [f"Landlock (ABI {self.landlock})" if self.landlock else self.no_landlock(),
                  "the network filter (seccomp)" if self.network_filter else "no network filter (no seccomp here)",
                  "resource limits and time limits"]
        line = f"Sandbox: student code runs {self.who()}, with {', '.join(layers)}"
        if not self.walled:
            line += (f"; UNCONFINED (--unconfined): student code can read and write whatever {self.user} can, "
                     "the grader's own files included")
        return line

    def no_landlock(self) -> str:
        return "no Landlock (switched off: AUTOGRADER_LANDLOCK=off)" if self.switched_off else \
            f"no Landlock (this kernel, Linux {platform.release()}, has none)"

    def to_json(self) -> dict:
        return {**asdict(self), "accounts": list(self.accounts), "walled": self.walled, "described": self.describe()}

    def refuse_unconfined(self) -> None:
        """Refused before any work: student code as the grader's own user with no Landlock, not accepted."""
        if self.walled or self.unconfined:
            return
        raise UsageError(f"student code would run {self.who()}, with {self.no_landlock()}: it could write the "
                         "grader's files and yours (a .pth file in the grader's venv runs in every later grading). "
                         "Run the grader as root with --run-as USER (an unprivileged account that cannot write the "
                         "grader's files), or pass --unconfined to accept the risk")


def here(run_as: Pool | None = None, unconfined: bool = False) -> Wall:
    """The wall this machine gives, with the accounts of `run_as` checked: each one can run the grader's Python
    and cannot write the grader's files."""
    from autograder.sandbox.runner import landlock_wanted

    abi = landlock.abi()
    if run_as is not None:
        refuse_unusable(run_as)
    return Wall(abi if landlock_wanted() else 0, bool(abi) and not landlock_wanted(), seccomp_available(),
                run_as.names if run_as else (), user_name(), unconfined)


def seccomp_available() -> bool:
    """Whether this kernel takes seccomp filters for this process's system call table (seccomp.py installs them)."""
    return seccomp.native_arch() is not None and Path("/proc/sys/kernel/seccomp/actions_avail").exists()


def user_name() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"uid {os.geteuid()}"


def refuse_unusable(pool: Pool) -> None:
    """Each account of the pool, before any work: a user switch needs root, and an account that could write the
    grader's files, or cannot run its Python, is no wall."""
    if os.geteuid() != 0:
        raise UsageError(f"--run-as {pool}: switching users needs root, and the grader runs as {user_name()}: run "
                         "it as root, or without --run-as where Landlock holds student code in")
    for account in pool.accounts:
        for folder in grader_folders():
            if writable_by(folder, account):
                raise UsageError(f"--run-as {account.name}: {account.name} can write the grader's folder {folder}: "
                                 "name an account that owns none of the grader's files and is in none of its groups")
        problem = cannot_run_python(account)
        if problem:
            raise UsageError(f"--run-as {account.name}: {account.name} cannot run the grader's Python "
                             f"({sys.executable}): {problem}; install the grader where every account may read and "
                             "run it (not under /root or another private folder)")


def grader_folders() -> list[Path]:
    """Where a write would change what every later grading runs: the grader's package, its venv, site-packages."""
    folders = {kit.PACKAGE, Path(sys.prefix), *map(Path, kit.site_dirs())}
    return sorted(f for f in folders if f.is_dir())


def writable_by(folder: Path, account) -> bool:
    """Whether `account` may create files in `folder`, by its mode bits (root aside: it is never an account here)."""
    info = folder.stat()
    groups = set(os.getgrouplist(account.name, account.gid))
    if info.st_uid == account.uid:
        return bool(info.st_mode & 0o200)
    if info.st_gid in groups:
        return bool(info.st_mode & 0o020)
    return bool(info.st_mode & 0o002)


def cannot_run_python(account) -> str:
    """Why `account` cannot start the grader's Python and find numpy and torch, or '' when it can."""
    probe = ("import sys, json, importlib.util as u; sys.path[:0] = json.loads(sys.argv[1]); "
             "missing = [m for m in ('numpy', 'torch') if u.find_spec(m) is None]; "
             "sys.exit('cannot read ' + ', '.join(missing) + ' in ' + ':'.join(sys.path[:2]) if missing else 0)")
    import json

    try:
        run = subprocess.run([sys.executable, "-I", "-S", "-c", probe, json.dumps(kit.site_dirs())], cwd="/",
                             env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, user=account.uid, group=account.gid,
                             extra_groups=[], capture_output=True, text=True, timeout=PROBE_SECONDS)
    except OSError as exc:
        return exc.strerror or str(exc)
    except subprocess.TimeoutExpired:
        return f"it did not start within {PROBE_SECONDS} s"
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        return lines[-1].strip() if lines else f"exit status {run.returncode}"
    return ""
