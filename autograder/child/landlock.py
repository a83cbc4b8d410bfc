"""Landlock: the child locks itself in before any student code runs (Linux 5.13+, no root needed).

On a TA's laptop the grader cannot switch users, so student code would run with
all of the TA's rights. Landlock lets an ordinary process give rights up for
itself and every process it starts, irreversibly:

* files: read and execute only Python, its packages and system folders (so not
  the grader's source, rubric, seed or reference); write only in the scratch
  folder (so no results.json elsewhere, no edits to the grader);
* network (ABI 4+): no TCP connect or bind;
* scope (ABI 6+): no signals to processes outside the sandbox (the grader) and
  no abstract unix sockets; ptrace and /proc/<pid>/mem of outside processes are
  denied by every ABI.

Each right is asked for only when the running kernel knows it. Without Landlock
(an old kernel, or a container that disables it) `restrict` returns 0 and the
other limits still hold; the parent records the ABI it got.
"""

from __future__ import annotations

import ctypes
import os
import struct

# Syscall numbers of the generic table, the same on x86_64 and arm64.
CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
# Rights that exist from ABI 1, 2, 3 and 5 on; ABI 4 and 6 add network and scope rights.
FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
FILE_ONLY_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | (1 << 14) | (1 << 15)  # rights a plain file can carry
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

READ = EXECUTE | READ_FILE | READ_DIR
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev", "/opt")


def abi() -> int:
    """The Landlock ABI version of the running kernel, 0 when it has none."""
    libc = ctypes.CDLL(None, use_errno=True)
    version = libc.syscall(CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(0, version)


def restrict(readable: list[str], writable: list[str], hidden: list[str]) -> int:
    """Lock this process in: read `readable` (and system folders), write only `writable`.

    Paths in `hidden` stay unreadable even beneath a readable folder (the grader's own
    package and checkout, wherever it is installed). Returns the ABI used, 0 if none.
    """
    version = abi()
    if version < 1:
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    fs = FS_RIGHTS_BY_ABI[max(v for v in FS_RIGHTS_BY_ABI if v <= version)]
    net = NET_BIND_TCP | NET_CONNECT_TCP if version >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= 6 else 0
    attr = struct.pack("=QQQ", fs, net, scoped)[: 8 if version < 4 else 16 if version < 6 else 24]
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(CREATE_RULESET, buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        return 0
    hidden = [os.path.realpath(h) for h in hidden]
    try:
        for path in [*SYSTEM_DIRS, *readable]:
            allow_except(libc, ruleset, os.path.realpath(path), READ & fs, hidden)
        for path in writable:
            allow(libc, ruleset, path, fs)
        allow(libc, ruleset, "/dev/null", (READ_FILE | WRITE_FILE) & fs)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.syscall(RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
    return version


def allow_except(libc, ruleset: int, path: str, rights: int, hidden: list[str]) -> None:
    """Grant `rights` beneath `path`, but not beneath any hidden path.

    Landlock only adds rights, so a folder holding a hidden path is granted its listing
    alone and each entry is visited in turn.
    """
    if any(path == h for h in hidden):
        return
    if not any(h.startswith(path.rstrip("/") + "/") for h in hidden):
        allow(libc, ruleset, path, rights)
        return
    allow(libc, ruleset, path, READ_DIR & rights)
    try:
        names = os.listdir(path)
    except OSError:
        return
    for name in names:
        allow_except(libc, ruleset, os.path.join(path, name), rights, hidden)


def allow(libc, ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a folder this machine does not have
    try:
        if not os.path.isdir(path):
            rights &= FILE_ONLY_RIGHTS
        rule = ctypes.create_string_buffer(struct.pack("=Qi", rights, fd), 12)
        if libc.syscall(ADD_RULE, ruleset, RULE_PATH_BENEATH, rule, 0) != 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    finally:
        os.close(fd)
