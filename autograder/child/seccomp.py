"""Seccomp: the child gives up the network before any student code runs (Linux 3.5+, no root needed).

Landlock (landlock.py) cannot do this job everywhere: its network rules need
Linux 6.7 (ABI 4), they cover TCP bind and connect only (UDP, raw and netlink
sockets stay open), and Gradescope's kernel is reported as 4.14, without
Landlock at all. Seccomp filters exist since 3.5 and an ordinary process may
install one once it has set no_new_privs; the filter then holds, irreversibly,
for the process, its threads, and every process it forks or executes.

The filter is a deny-list, so that torch, numpy, threads and fork work as before:

* socket() and socketpair() with any domain but AF_UNIX fail with EACCES
  (Python's PermissionError). AF_UNIX stays: multiprocessing's Pipe and
  Listener, torch's DataLoader workers and others use it. The domain is an int,
  so only the low 32 bits of args[0] are compared, as the kernel reads them
  (and as libseccomp does for 32-bit arguments).
* io_uring_setup, io_uring_enter and io_uring_register fail with ENOSYS (what a
  kernel without io_uring answers, so libraries fall back): IORING_OP_SOCKET
  (5.19+) creates a socket without the socket syscall.
* SIGKILL cannot be sent (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo and
  pidfd_send_signal fail with EPERM for signal 9; other signals pass). A child that dies of
  SIGKILL was then killed from outside the sandbox (the kernel's out-of-memory killer, an
  operator) or by its hard CPU limit, never by the student's own code: the grader asks that
  question again instead of charging it (sandbox/faults.py).
* Only the native system call table is allowed. A 64-bit process can still
  enter the kernel through another one: on x86_64 `int 0x80` reaches the i386
  table (with socketcall and its own socket number), and numbers with bit
  0x40000000 set reach the x32 table. Both fail with ENOSYS; nothing a Python
  process runs uses them.

connect, sendto, sendmsg, bind and accept are not filtered: they need a socket,
and no non-unix socket can be created. Nor can one be inherited: the parent
passes the child only its answer pipe (pass_fds), stdin is /dev/null, and
stdout and stderr are files. What stays open, and is not this module's job:
an AF_UNIX connection to a local daemon that talks to the network for its
clients (a resolver, a proxy) or passes descriptors over SCM_RIGHTS; and a
process that may ptrace or write the memory of an unfiltered process of the
same user (the grader) could make that one open a socket. The user switch on
Gradescope and Landlock's ptrace scope on a TA's machine cover the latter.

The filter is installed with seccomp(2) and SECCOMP_FILTER_FLAG_TSYNC, so that
threads already running get it too (the child installs it before importing
torch, but a library imported earlier may have started one). Kernels 3.5 to
3.16 have no seccomp(2): there prctl(PR_SET_SECCOMP) filters the calling
thread and what it starts from then on.

`deny_network` returns what it did, for the parent to record: INSTALLED,
INSTALLED_THREAD (the prctl fallback) or NOT_INSTALLED (no seccomp filters in
this kernel or container, an unknown architecture, or a 32-bit Python). It
raises OSError only for an answer of the kernel that no supported setup gives.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct
import sys
from dataclasses import dataclass

INSTALLED = "seccomp"  # every thread of the process, and all it starts
INSTALLED_THREAD = "seccomp-thread"  # the calling thread and what it starts (kernels before 3.17)
NOT_INSTALLED = ""

AF_UNIX = 1
SIGKILL = 9
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 38, 22
SECCOMP_MODE_FILTER = 2  # prctl(PR_SET_SECCOMP, mode)
SECCOMP_SET_MODE_FILTER = 1  # seccomp(operation, flags, program)
SECCOMP_FILTER_FLAG_TSYNC = 1
# errnos meaning "this kernel or container does not let anyone install filters": the syscall is
# missing (ENOSYS), filter mode is not built in (EINVAL), or an outer policy forbids it (EPERM).
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EPERM}

# Classic BPF, as the kernel's filter.h defines it.
BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS: load 32 bits of seccomp_data
BPF_JEQ_K, BPF_JGE_K = 0x05 | 0x10, 0x05 | 0x30  # BPF_JMP | BPF_JEQ / BPF_JGE | BPF_K
BPF_RET_K = 0x06
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
# struct seccomp_data {int nr; u32 arch; u64 instruction_pointer; u64 args[6];}, little-endian.
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0_LOW = 0, 4, 16


@dataclass(frozen=True)
class Arch:
    audit: int  # AUDIT_ARCH_* of the native table, as seccomp_data.arch reports it
    seccomp: int  # the seccomp(2) syscall
    socket: int
    socketpair: int
    io_uring: tuple[int, ...]  # setup, enter, register
    highest: int | None  # numbers from here on belong to another table (x32), refused
    # (number, index of the signal argument) of every call that sends a signal: kill, tkill, tgkill,
    # rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal
    signal_calls: tuple[tuple[int, int], ...] = ()


ARCHES = {
    "x86_64": Arch(0xC000003E, 317, 41, 53, (425, 426, 427), highest=0x40000000,
                   signal_calls=((62, 1), (200, 1), (234, 2), (129, 1), (297, 2), (424, 1))),
    "aarch64": Arch(0xC00000B7, 277, 198, 199, (425, 426, 427), highest=None,
                    signal_calls=((129, 1), (130, 1), (131, 2), (138, 1), (240, 2), (424, 1))),
}


def native_arch() -> Arch | None:
    """The table this process calls, or None when it is not one we know (then no filter: do not guess).

    The machine alone is not enough: a 32-bit Python on an x86_64 kernel calls the i386
    table, and a filter for x86_64 would refuse its every call.
    """
    if not sys.platform.startswith("linux") or struct.calcsize("P") != 8:
        return None
    return ARCHES.get(os.uname().machine)


def statement(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    """One struct sock_filter {u16 code; u8 jt; u8 jf; u32 k;}."""
    return struct.pack("=HBBI", code, jt, jf, k)


def program(arch: Arch) -> bytes:
    """The filter: a foreign table, io_uring and non-unix sockets refused, all else allowed."""
    refuse_nosys = statement(BPF_RET_K, SECCOMP_RET_ERRNO | errno.ENOSYS)
    code = [
        statement(BPF_LD_W_ABS, OFFSET_ARCH),
        statement(BPF_JEQ_K, arch.audit, jt=1),  # native: skip the refusal
        refuse_nosys,
        statement(BPF_LD_W_ABS, OFFSET_NR),
    ]
    if arch.highest is not None:
        code += [statement(BPF_JGE_K, arch.highest, jf=1), refuse_nosys]
    for number in arch.io_uring:
        code += [statement(BPF_JEQ_K, number, jf=1), refuse_nosys]
    for number, argument in arch.signal_calls:  # this call: SIGKILL refused, any other signal allowed
        code += [statement(BPF_JEQ_K, number, jf=4), statement(BPF_LD_W_ABS, OFFSET_ARG0_LOW + 8 * argument),
                 statement(BPF_JEQ_K, SIGKILL, jf=1), statement(BPF_RET_K, SECCOMP_RET_ERRNO | errno.EPERM),
                 statement(BPF_RET_K, SECCOMP_RET_ALLOW)]
    code += [
        statement(BPF_JEQ_K, arch.socket, jt=1),  # socket: check its domain
        statement(BPF_JEQ_K, arch.socketpair, jf=2),  # neither: allow
        statement(BPF_LD_W_ABS, OFFSET_ARG0_LOW),
        statement(BPF_JEQ_K, AF_UNIX, jf=1),
        statement(BPF_RET_K, SECCOMP_RET_ALLOW),
        statement(BPF_RET_K, SECCOMP_RET_ERRNO | errno.EACCES),
    ]
    return b"".join(code)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> str:
    """Refuse non-unix sockets and io_uring to this process and all it starts; see the module's text.

    Calling it again stacks a second, identical filter: harmless.
    """
    arch = native_arch()
    if arch is None:
        return NOT_INSTALLED
    libc = ctypes.CDLL(None, use_errno=True)
    # Without no_new_privs only CAP_SYS_ADMIN may install a filter (a setuid program could
    # otherwise be run under one). Kernels before 3.5 know neither: EINVAL.
    if libc.prctl(PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0),
                  ctypes.c_ulong(0)) != 0:
        return refusal(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    code = program(arch)
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = SockFprog(len(code) // 8, ctypes.addressof(buffer))
    done = libc.syscall(ctypes.c_long(arch.seccomp), ctypes.c_ulong(SECCOMP_SET_MODE_FILTER),
                        ctypes.c_ulong(SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(fprog))
    if done == 0:
        return INSTALLED
    if done > 0:  # TSYNC names a thread that cannot take it (strict mode, or filters of its own)
        raise OSError(errno.EBUSY, f"seccomp: thread {done} cannot be synchronized")
    if ctypes.get_errno() not in UNSUPPORTED:
        return refusal(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER)")
    # No seccomp(2) (before 3.17): prctl filters this thread and what it starts.
    if libc.prctl(PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.byref(fprog),
                  ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        return refusal(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")
    return INSTALLED_THREAD


def refusal(code: int, call: str) -> str:
    """NOT_INSTALLED when the kernel or container has no filters to give; raise for anything else."""
    if code in UNSUPPORTED:
        return NOT_INSTALLED
    raise OSError(code, f"{call} failed: {os.strerror(code)}")
