"""seccomp.deny_network: no socket but AF_UNIX, no io_uring, no foreign syscall table, all else as before.

Each test runs a fresh Python that installs the filter (a filter cannot be taken
off again), tries things and prints what happened as one JSON line.
"""

from __future__ import annotations

import errno
import json
import os
import platform
import select
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from autograder.child import seccomp  # noqa: E402
from conftest import HANG_SECONDS  # noqa: E402

X86_64 = platform.machine() == "x86_64"
AF_INET6, AF_NETLINK, AF_PACKET, AF_VSOCK = 10, 16, 17, 40

# Put before each child's code: the module, and `attempt`, which names the errno a call fails with.
PRELUDE = f"""
import ctypes, errno, json, os, socket, sys, threading
sys.path.insert(0, {str(ROOT)!r})
from autograder.child import seccomp
libc = ctypes.CDLL(None, use_errno=True)

def attempt(call, *args):
    try:
        made = call(*args)
    except OSError as e:
        return errno.errorcode.get(e.errno, e.errno)
    for thing in made if isinstance(made, tuple) else (made,):
        getattr(thing, "close", lambda: None)()
    return "ok"

def raw(number, *args):
    result = libc.syscall(ctypes.c_long(number), *args)
    return result if result >= 0 else errno.errorcode[ctypes.get_errno()]
"""


def source(*pieces: str) -> str:
    """PRELUDE and the pieces, each dedented on its own."""
    return "".join(textwrap.dedent(piece) + "\n" for piece in (PRELUDE, *pieces))


def run(code: str | tuple[str, ...], *args, timeout: float = 20, python: str = sys.executable, prefix=()) -> dict:
    """Run `code` (pieces, if a tuple) after PRELUDE in a new Python; its last stdout line, as JSON."""
    pieces = code if isinstance(code, tuple) else (code,)
    done = subprocess.run([*prefix, python, "-c", source(*pieces), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd="/")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def listeners():
    """A TCP and a UDP listener on 127.0.0.1, in this (unfiltered) process: (tcp, udp)."""
    tcp = socket.create_server(("127.0.0.1", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    yield tcp, udp
    tcp.close()
    udp.close()


def heard(tcp: socket.socket, udp: socket.socket, seconds: float = 2.0) -> list[str]:
    """Which listeners got a connection or a datagram within `seconds`."""
    ready, _, _ = select.select([tcp, udp], [], [], seconds)
    return sorted("tcp" if s is tcp else "udp" for s in ready)


TRY_NETWORK = """
    tcp_port, udp_port = int(sys.argv[1]), int(sys.argv[2])
    def send_udp():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"answers", ("127.0.0.1", udp_port))
    out["connect"] = attempt(socket.create_connection, ("127.0.0.1", tcp_port), 2)
    out["sendto"] = attempt(send_udp)
    print(json.dumps(out))
"""


def test_non_unix_sockets_are_refused_with_eacces():
    out = run(f"""
        installed = seccomp.deny_network()
        families = {{"inet": 2, "inet6": {AF_INET6}, "netlink": {AF_NETLINK}, "packet": {AF_PACKET},
                     "vsock": {AF_VSOCK}}}
        out = {{name: attempt(socket.socket, family, socket.SOCK_DGRAM) for name, family in families.items()}}
        out["inet_stream"] = attempt(socket.socket, 2, socket.SOCK_STREAM)
        out["inet6_stream"] = attempt(socket.socket, {AF_INET6}, socket.SOCK_STREAM)
        out["netlink_raw"] = attempt(socket.socket, {AF_NETLINK}, socket.SOCK_RAW, 0)
        out["socketpair_inet"] = attempt(socket.socketpair, 2)
        # The kernel reads the domain as an int: high bits above AF_INET change nothing.
        out["inet_high_bits"] = raw(41 if os.uname().machine == "x86_64" else 198, ctypes.c_long(2 | 1 << 32), 1, 0)
        out["unix"] = attempt(socket.socket, socket.AF_UNIX, socket.SOCK_STREAM)
        out["installed"] = installed
        print(json.dumps(out))
    """)
    assert out.pop("installed") == seccomp.INSTALLED
    assert out.pop("unix") == "ok"
    assert out == dict.fromkeys(out, "EACCES")


def test_listeners_hear_nothing_from_a_filtered_child(listeners):
    tcp, udp = listeners
    out = run(("seccomp.deny_network()\nout = {}", TRY_NETWORK),
              tcp.getsockname()[1], udp.getsockname()[1])
    assert out == {"connect": "EACCES", "sendto": "EACCES"}
    assert heard(tcp, udp) == []


def test_without_the_filter_the_network_works(listeners):
    """The control: otherwise every test above would pass on a machine without network."""
    tcp, udp = listeners
    out = run(("""
        out = {"inet_stream": attempt(socket.socket, 2, socket.SOCK_STREAM),
               "socketpair_inet": attempt(socket.socketpair, 2)}
    """, TRY_NETWORK), tcp.getsockname()[1], udp.getsockname()[1])
    assert out["inet_stream"] == out["connect"] == out["sendto"] == "ok"
    assert out["socketpair_inet"] == errno.errorcode[errno.EOPNOTSUPP]  # the kernel's own answer, not the filter's EACCES
    assert heard(tcp, udp) == ["tcp", "udp"]


def test_unix_sockets_pipes_fork_exec_and_threads():
    out = run("""
        import multiprocessing, subprocess
        go = threading.Event()
        early = {}
        before = threading.Thread(target=lambda: (go.wait(), early.update(inet=attempt(socket.socket))))
        before.start()  # running before the filter: TSYNC must reach it
        out = {"installed": seccomp.deny_network()}
        go.set()
        before.join()
        out["thread_before"] = early["inet"]
        late = threading.Thread(target=lambda: early.update(late=attempt(socket.socket)))
        late.start(); late.join()
        out["thread_after"] = early["late"]

        a, b = socket.socketpair()
        a.sendall(b"x"); out["socketpair"] = b.recv(1).decode(); a.close(); b.close()
        here, there = multiprocessing.Pipe()
        def report(conn):
            conn.send(attempt(socket.socket))
        worker = multiprocessing.get_context("fork").Process(target=report, args=(there,))
        worker.start(); worker.join(10)
        out["pipe_from_process"] = here.recv() if here.poll(5) else "nothing"

        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(w, attempt(socket.socket).encode()); os._exit(0)
        os.waitpid(pid, 0); os.close(w)
        out["fork"] = os.read(r, 100).decode()
        exec_ = subprocess.run([sys.executable, "-c", "import socket; socket.socket()"],
                               capture_output=True, text=True, timeout=600)
        out["exec"] = "PermissionError" if "PermissionError" in exec_.stderr else exec_.stderr[-300:]
        print(json.dumps(out))
    """)
    assert out == {"installed": seccomp.INSTALLED, "thread_before": "EACCES", "thread_after": "EACCES",
                   "socketpair": "x", "pipe_from_process": "EACCES", "fork": "EACCES", "exec": "PermissionError"}


def test_torch_and_numpy_work_after_the_filter():
    out = run("""
        out = {"installed": seccomp.deny_network()}
        import numpy as np, torch
        torch.manual_seed(0)
        X = torch.randn(64, 8); y = (X[:, 0] > 0).long()
        model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        for _ in range(50):
            opt.zero_grad(); loss = torch.nn.functional.cross_entropy(model(X), y); loss.backward(); opt.step()
        out.update(ones=float(torch.ones(3).sum()), numpy=float(np.ones(3).sum()), loss=loss.item(),
                   inet=attempt(socket.socket))
        print(json.dumps(out))
    """, timeout=HANG_SECONDS)
    assert out["installed"] == seccomp.INSTALLED and out["inet"] == "EACCES"
    assert out["ones"] == 3.0 and out["numpy"] == 3.0 and out["loss"] < 0.3


def test_io_uring_is_refused():
    out = run("""
        def setup():
            params = ctypes.create_string_buffer(120)  # struct io_uring_params, zeroed
            ring = raw(425, 1, params)
            if isinstance(ring, int):
                os.close(ring)
            return ring if isinstance(ring, str) else "ok"
        out = {"before": setup(), "installed": seccomp.deny_network(), "setup": setup(),
               "enter": raw(426, -1, 0, 0, 0, None, 0), "register": raw(427, -1, 0, None, 0)}
        print(json.dumps(out))
    """)
    assert out["installed"] == seccomp.INSTALLED
    for call in ("setup", "enter", "register"):
        assert out[call] in ("ENOSYS", "EPERM"), (call, out)  # not EBADF: the kernel never saw them


@pytest.mark.skipif(not X86_64, reason="the x32 table exists on x86_64 only")
def test_x32_syscall_numbers_are_refused():
    out = run("""
        out = {"installed": seccomp.deny_network(), "socket": raw(41 | 0x40000000, 2, 1, 0),
               "getpid": raw(39 | 0x40000000)}
        print(json.dumps(out))
    """)
    # A kernel without x32 also answers ENOSYS: test_program_* checks the filter's own branch.
    assert out == {"installed": seccomp.INSTALLED, "socket": "ENOSYS", "getpid": "ENOSYS"}


INT_0X80_SOCKET = """
    import mmap
    # push rbx; mov eax, 359 (i386 socket); mov ebx, 2 (AF_INET); mov ecx, 1; xor edx, edx;
    # int 0x80; pop rbx; ret
    code = bytes.fromhex("53 b867010000 bb02000000 b901000000 31d2 cd80 5b c3")
    page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    i386_socket = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))
"""


@pytest.mark.skipif(not X86_64, reason="int 0x80 into the i386 table: x86_64 only")
def test_i386_table_through_int_0x80_is_refused():
    probe = subprocess.run([sys.executable, "-c", source(INT_0X80_SOCKET, "print(i386_socket())")],
                           capture_output=True, text=True, timeout=HANG_SECONDS)
    if probe.returncode != 0:
        pytest.skip(f"this kernel has no i386 emulation (int 0x80 ended the process: {probe.returncode})")
    assert int(probe.stdout) >= 0  # unfiltered, int 0x80 opens an AF_INET socket: a real way around
    out = run((INT_0X80_SOCKET, """
        out = {"installed": seccomp.deny_network(), "i386_socket": i386_socket()}
        print(json.dumps(out))
    """))
    assert out == {"installed": seccomp.INSTALLED, "i386_socket": -errno.ENOSYS}


def test_installed_twice_is_harmless():
    out = run("""
        out = {"first": seccomp.deny_network(), "second": seccomp.deny_network(),
               "unix": attempt(socket.socketpair), "inet": attempt(socket.socket)}
        status = dict(line.split(":\\t", 1) for line in open("/proc/self/status").read().splitlines()
                      if ":\\t" in line)
        out.update(no_new_privs=status["NoNewPrivs"].strip(), filters=status.get("Seccomp_filters", "2").strip())
        print(json.dumps(out))
    """)
    assert out == {"first": "seccomp", "second": "seccomp", "unix": "ok", "inet": "EACCES",
                   "no_new_privs": "1", "filters": "2"}


UNPRIVILEGED = """
    out = {"uid": os.geteuid(), "cap_eff": [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0],
           "installed": seccomp.deny_network(), "inet": attempt(socket.socket), "unix": attempt(socket.socketpair)}
    print(json.dumps(out))
"""
EXPECTED_UNPRIVILEGED = {"cap_eff": "0000000000000000", "installed": "seccomp", "inet": "EACCES", "unix": "ok"}


def can_switch_users() -> bool:
    """CAP_SETUID and CAP_SETGID in force (root, normally)."""
    with open("/proc/self/status") as f:
        effective = int(next(line.split()[1] for line in f if line.startswith("CapEff")), 16)
    return effective & (1 << 6 | 1 << 7) == 1 << 6 | 1 << 7


@pytest.mark.skipif(not can_switch_users(), reason="cannot switch users: every other test already runs unprivileged")
def test_an_ordinary_user_can_install_it():
    """Root drops to nobody inside the child (its imports done first), then installs the filter."""
    out = run(("os.setgroups([]); os.setgid(65534); os.setuid(65534)", UNPRIVILEGED))
    assert out.pop("uid") == 65534 and out == EXPECTED_UNPRIVILEGED


def nobody_python() -> str | None:
    """A Python that nobody may run and whose child may read this checkout, or None."""
    if not can_switch_users() or not shutil.which("runuser"):
        return None
    for python in (sys.executable, "/usr/bin/python3"):  # the module needs the standard library only
        probe = ["runuser", "-u", "nobody", "--", python, "-c", f"import os; os.listdir({str(ROOT)!r})"]
        if os.path.exists(python) and subprocess.run(probe, capture_output=True, timeout=HANG_SECONDS).returncode == 0:
            return python
    return None


def test_runuser_nobody_can_install_it():
    python = nobody_python()
    if python is None:
        pytest.skip("needs root, runuser, a Python that the user nobody may run (this venv's or "
                    "/usr/bin/python3) and a checkout that nobody may read")
    out = run(UNPRIVILEGED, python=python, prefix=("runuser", "-u", "nobody", "--"))
    assert out.pop("uid") != 0 and out == EXPECTED_UNPRIVILEGED


def test_unknown_architecture_installs_nothing(monkeypatch):
    monkeypatch.setattr(os, "uname", lambda: os.uname_result(("Linux", "h", "6.0", "#1", "riscv64")))
    assert seccomp.native_arch() is None and seccomp.deny_network() == seccomp.NOT_INSTALLED


def evaluate(program: bytes, nr: int, arch: int, arg0: int = 0) -> int:
    """Classic BPF, the few statements the filter uses, run on one struct seccomp_data."""
    data = struct.pack("<iIQ6Q", nr, arch, 0, arg0, 0, 0, 0, 0, 0)
    code = [struct.unpack("=HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    pc, a = 0, 0
    while True:
        op, jt, jf, k = code[pc]
        if op == seccomp.BPF_RET_K:
            return k
        if op == seccomp.BPF_LD_W_ABS:
            a, pc = struct.unpack_from("<I", data, k)[0], pc + 1
            continue
        taken = a == k if op == seccomp.BPF_JEQ_K else a >= k if op == seccomp.BPF_JGE_K else None
        assert taken is not None, f"statement {op:#x} the evaluator does not know"
        pc += 1 + (jt if taken else jf)


@pytest.mark.parametrize("machine", sorted(seccomp.ARCHES))
def test_program_for_each_architecture(machine):
    arch = seccomp.ARCHES[machine]
    program = seccomp.program(arch)
    allow = seccomp.SECCOMP_RET_ALLOW
    denied, nosys = seccomp.SECCOMP_RET_ERRNO | errno.EACCES, seccomp.SECCOMP_RET_ERRNO | errno.ENOSYS
    for number in (arch.socket, arch.socketpair):
        assert evaluate(program, number, arch.audit, arg0=1) == allow
        assert evaluate(program, number, arch.audit, arg0=1 | 1 << 32) == allow  # the kernel reads 1
        assert evaluate(program, number, arch.audit, arg0=2 | 1 << 32) == denied
        for domain in (0, 2, 10, 16, 17, 40, 0xFFFFFFFF):
            assert evaluate(program, number, arch.audit, arg0=domain) == denied
    for number in arch.io_uring:
        assert evaluate(program, number, arch.audit) == nosys
    for number in (0, 1, 39, 56, 57, 59, 220, 424, 428, 435):
        assert evaluate(program, number, arch.audit, arg0=2) == allow
    assert evaluate(program, arch.socket, 0x40000003, arg0=2) == nosys  # i386
    assert evaluate(program, 102, 0x40000003, arg0=1) == nosys  # i386 socketcall
    assert evaluate(program, arch.socket, 0x40000028, arg0=2) == nosys  # 32-bit arm
    if arch.highest is not None:
        assert evaluate(program, 41 | 0x40000000, arch.audit, arg0=2) == nosys  # x32 socket
        assert evaluate(program, 39 | 0x40000000, arch.audit) == nosys


def test_no_process_under_the_filter_can_send_sigkill_but_other_signals_pass():
    """A SIGKILL under a child then comes from outside the sandbox (sandbox/faults.py asks the question again):
    kill, tgkill and pidfd_send_signal all refuse it, to a sibling and to the child itself."""
    got = run("""
        import signal, subprocess, time
        seccomp.deny_network()
        sibling = subprocess.Popen(["sleep", "60"])
        found = {"kill": attempt(os.kill, sibling.pid, signal.SIGKILL),
                 "self": attempt(os.kill, os.getpid(), signal.SIGKILL),
                 "tgkill": attempt(signal.pthread_kill, threading.get_ident(), signal.SIGKILL),
                 "group": attempt(os.killpg, os.getpgid(0), signal.SIGKILL)}
        if hasattr(os, "pidfd_open"):
            fd = os.pidfd_open(sibling.pid)
            found["pidfd"] = attempt(signal.pidfd_send_signal, fd, signal.SIGKILL)
        found["term"] = attempt(os.kill, sibling.pid, signal.SIGTERM)
        found["ended by"] = sibling.wait()
        print(json.dumps(found))
    """)
    refused = {k: v for k, v in got.items() if k not in ("term", "ended by")}
    assert set(refused.values()) == {"EPERM"}, got
    assert got["term"] == "ok" and got["ended by"] == -15
