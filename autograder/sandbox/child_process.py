"""One child process: started with its request, read line by line on its channel, watched, and ended.

The channel is a pipe of its own that carries one JSON object per line (child/protocol.py);
stdout and stderr belong to the student and are emptied by output.Drain. On POSIX the pipe is
handed to the child by its number; where that is impossible (Windows) the child's stdout is the
channel and the child moves the student's prints to stderr before any student code runs.

How closely a child is held depends on its guard (runner.Guard): the grader's children get a
minimal environment, the user drop and a session of their own; the self-check's children run
with the student's own environment on the student's own computer, watched for time and
resident memory only.
"""

from __future__ import annotations

import json
import os
import queue
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

from autograder.sandbox import host
from autograder.sandbox.output import Drain, clean_text

# One channel line; a trained network is about 80 kB of JSON.
LINE_BYTES = 4 * 1024 * 1024
# Resident memory a self-check child may hold: far above any answer (a child with a CUDA build of
# torch holds about 600 MB), below what makes a laptop with 8 GB swap. Watched where /proc is.
RESIDENT_MB = 3000

# The grader's children get nothing of the grader's environment but these and one BLAS thread.
_KEEP_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


@dataclass
class Received:
    kind: str  # "message", "timeout" or "crash"
    message: dict | None = None
    exit_note: str = ""
    signal: int | None = None  # the signal that ended the process, when one did
    cpu_seconds: float | None = None  # CPU time the process had used when it ended, when known

    def describe(self, timeout: float, stderr_tail: str) -> str:
        if self.kind == "timeout":
            return f"did not finish within {timeout:g} seconds"
        note = self.exit_note or "the process ended"
        return f"{note}{': ' + stderr_tail if stderr_tail else ''}"


class Channel:
    """Chunks of the channel pipe as they come: select() where pipes support it, else a reader thread."""

    def __init__(self, fd: int):
        self.fd = fd
        self.selector = None
        self.chunks: queue.Queue = queue.Queue(maxsize=8)
        if host.has("select_pipes"):
            self.selector = selectors.DefaultSelector()
            self.selector.register(fd, selectors.EVENT_READ)
        else:
            threading.Thread(target=self.pump, daemon=True).start()

    def pump(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            self.chunks.put(chunk)
            if not chunk:
                os.close(self.fd)
                return

    def read(self, timeout: float) -> bytes | None:
        """A chunk (b"" at the end), or None when nothing came within `timeout`."""
        if self.selector is None:
            try:
                return self.chunks.get(timeout=timeout)
            except queue.Empty:
                return None
        if not self.selector.select(timeout):
            return None
        return os.read(self.fd, 65536)

    def close(self) -> None:
        if self.selector is not None:
            self.selector.close()
            os.close(self.fd)
        # A reader thread closes nothing: it ends with the pipe, when the child and its descendants are gone.


def environment(scratch: str, full_guard: bool) -> dict:
    """The child's environment: nothing of the grader's (full guard), or the student's own (self-check:
    conda, CUDA and DLL paths live there), with one BLAS thread either way."""
    if not full_guard:
        return {**os.environ, **ONE_THREAD}
    env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8", **ONE_THREAD}
    env.update({k: os.environ[k] for k in _KEEP_ENV if k in os.environ})
    return env


class Child:
    def __init__(self, process: subprocess.Popen, channel: Channel, scratch: str, output: Drain, disk_mb: int,
                 resident_mb: int | None = None):
        self.disk_bytes = disk_mb * 1024 * 1024
        self.resident_bytes = resident_mb * 1024 * 1024 if resident_mb and host.has("proc") else None
        self.process = process
        self.channel = channel
        self.scratch = scratch
        self.output = output  # stdout and stderr, emptied by a thread of ours
        self.buffer = b""
        self.eof = False

    @classmethod
    def start(cls, scratch: str, request: dict, sandbox, disk_mb: int = 512) -> "Child":
        request_file = os.path.join(scratch, "request.json")
        with open(request_file, "w", encoding="utf-8") as f:
            json.dump(request, f)
        os.chmod(request_file, 0o644)
        account, full = sandbox.account, sandbox.full_guard
        if account:
            os.chown(scratch, account.uid, account.gid)
        drop = {"user": account.uid, "group": account.gid, "extra_groups": []} if account else {}
        by_number = host.has("pass_fds")
        (read_fd, write_fd), (out_r, out_w), (err_r, err_w) = os.pipe(), os.pipe(), os.pipe()
        options = {"pass_fds": (write_fd,)} if by_number else {}
        try:
            process = sandbox.popen(
                sandbox.command(request_file, str(write_fd) if by_number else "stdout"),
                stdin=subprocess.DEVNULL, stdout=out_w if by_number else write_fd, stderr=err_w, cwd=scratch,
                env=environment(scratch, full), start_new_session=host.has("sessions"), **options, **drop,
            )
        except BaseException:
            for fd in (read_fd, out_r, err_r):
                os.close(fd)
            raise
        finally:
            for fd in (write_fd, out_w, err_w):
                os.close(fd)
        if not by_number:  # the child's stdout is the channel; the student's prints all go to stderr
            os.close(out_r)
        output = Drain({out_r: "stdout", err_r: "stderr"} if by_number else {err_r: "stderr"})
        return cls(process, Channel(read_fd), scratch, output, disk_mb, None if full else RESIDENT_MB)

    def receive(self, timeout: float) -> Received:
        """The next JSON line on the channel, or why there is none."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            if self.eof:
                return self.ended()
            left = deadline - time.monotonic()
            if left <= 0:
                return Received("timeout")
            chunk = self.channel.read(min(left, 0.5))
            if chunk is None:
                if self.over_disk():
                    return Received("crash", exit_note=f"wrote more than {self.disk_bytes >> 20} MB of files")
                if self.over_memory():
                    return Received("crash", exit_note=f"held more than {self.resident_bytes >> 20} MB of memory")
                continue
            if not chunk:
                self.eof = True
                continue
            self.buffer += chunk
            if len(self.buffer) > LINE_BYTES and b"\n" not in self.buffer:
                return Received("crash", exit_note="sent an answer too large to read")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return Received("crash", exit_note="sent an unreadable answer")
        if not isinstance(message, dict):
            return Received("crash", exit_note="sent an unreadable answer")
        return Received("message", message)

    def ended(self) -> Received:
        """The crash of a process that closed its channel: how it ended, and the CPU time it had used."""
        cpu = self.cpu_at_exit()
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return Received("crash", exit_note="the process closed its channel and stopped answering")
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            reasons = {"SIGKILL": " (out of memory or killed)", "SIGXCPU": " (CPU time limit)",
                       "SIGXFSZ": " (wrote a file over the size limit)", "SIGSEGV": " (a crash)"}
            return Received("crash", exit_note=f"the process was killed by {name}{reasons.get(name, '')}",
                            signal=-code, cpu_seconds=cpu)
        return Received("crash", exit_note=f"the process exited with code {code} (sys.exit, os._exit or a crash)",
                        cpu_seconds=cpu)

    def cpu_at_exit(self) -> float | None:
        """CPU seconds of a process that has ended but is not yet reaped (read from /proc before Popen reaps it)."""
        if not host.has("proc") or not hasattr(os, "waitid"):
            return None
        deadline = time.monotonic() + 5
        try:
            while os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
                if time.monotonic() > deadline:
                    return None
                time.sleep(0.01)
        except ChildProcessError:
            return None
        return cpu_seconds(self.process.pid)

    def cpu_share(self) -> "Share | None":
        """What this process has had of the CPUs so far (Linux), to tell a starved child from a slow one."""
        return share_of(self.process.pid) if host.has("proc") else None

    def over_disk(self) -> bool:
        """Whether the scratch folder holds more than the disk limit (many small files count too)."""
        used, seen, stack = 0, 0, [self.scratch]
        while stack:
            try:
                entries = list(os.scandir(stack.pop()))
            except OSError:
                continue
            for e in entries:
                seen += 1
                try:
                    used += e.stat(follow_symlinks=False).st_blocks * 512 + 4096
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                except (OSError, AttributeError):  # st_blocks: not on Windows
                    used += 4096
                if used > self.disk_bytes or seen > 100_000:
                    return True
        return False

    def over_memory(self) -> bool:
        """Whether a self-check child holds more resident memory than RESIDENT_MB (Linux: /proc), and is ended."""
        if self.resident_bytes is None:
            return False
        try:
            with open(f"/proc/{self.process.pid}/statm") as f:
                resident = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return False
        return resident > self.resident_bytes

    def stderr_tail(self) -> str:
        """The last line the student's code wrote to stderr, cleaned: often the real error."""
        lines = [l for l in self.output.stderr_tail().decode("utf-8", "replace").splitlines() if l.strip()]
        return clean_text(lines[-1]) if lines else ""

    def kill(self) -> None:
        try:
            if host.has("sessions"):
                os.killpg(self.process.pid, signal.SIGKILL)
            else:
                self.process.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.channel.close()
        self.output.stop()


@dataclass(frozen=True)
class Share:
    """CPU time a child's processes used and time their threads waited for a CPU, in seconds."""

    ran: float
    waited: float | None  # None where the kernel keeps no scheduler statistics (/proc/<pid>/schedstat)

    def since(self, before: "Share") -> "Share":
        waited = None if self.waited is None or before.waited is None else max(0.0, self.waited - before.waited)
        return Share(max(0.0, self.ran - before.ran), waited)


def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command's name (which may hold spaces): fields 3 onwards, from index 0."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process, in seconds."""
    try:
        fields = stat_fields(pid)
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def session_of(leader: int) -> list[tuple[int, float]]:
    """(pid, CPU seconds of its reaped children) of every live process in the session `leader` started: the child
    and whatever it forked (a fork bomb's processes spend the child's time, not the machine's)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = stat_fields(int(entry))
                if int(fields[3]) == leader:  # the session id
                    found.append((int(entry), (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")))
            except (OSError, ValueError, IndexError):
                continue
    return found or [(leader, 0.0)]


def share_of(leader: int) -> Share | None:
    """The Share of a child's session: seconds on a CPU and waiting on a run queue, summed over its threads
    (schedstat), or CPU time alone where there is no schedstat."""
    ran = waited = 0.0
    for pid, reaped in session_of(leader):
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                    on_cpu, queued = (int(x) for x in f.read().split()[:2])
            except (OSError, ValueError):
                seconds = cpu_seconds(leader)
                return None if seconds is None else Share(seconds, None)
            ran, waited = ran + on_cpu / 1e9, waited + queued / 1e9
        ran += reaped
    return Share(ran, waited)
