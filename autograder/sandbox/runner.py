"""The parent's side of the sandbox: start children, enforce time limits, read their answers.

A lane is a list of questions answered by one child at a time. When a child
dies or overruns, the question it was on gets that verdict and a new child
takes the remaining ones, so a crash costs one answer, not a part. Lanes run
in parallel threads, one child each.
"""

from __future__ import annotations

import json
import math
import os
import pwd
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import kit as kit_module

# Bytes the child may write to its stdout and stderr files: enough for any honest
# print-debugging, small enough that a print loop cannot fill the disk.
OUTPUT_BYTES = 8 * 1024 * 1024
# One channel line; a trained network is about 80 kB of JSON.
LINE_BYTES = 4 * 1024 * 1024
TEXT_CHARS = 600

# The child's environment: nothing of the grader's, one thread for the BLAS libraries.
_KEEP_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


@dataclass(frozen=True)
class Limits:
    load_seconds: float
    call_seconds: float
    train_seconds: float

    def for_question(self, question: dict) -> float:
        return self.train_seconds if question["kind"] == "train" else self.call_seconds


@dataclass(frozen=True)
class Account:
    """The unprivileged user student code runs as when the grader is root (as on Gradescope)."""

    name: str
    uid: int
    gid: int

    @classmethod
    def named(cls, name: str) -> "Account":
        entry = pwd.getpwnam(name)  # KeyError: no such user
        if entry.pw_uid == 0:
            raise ValueError("student code must not run as root")
        return cls(name, entry.pw_uid, entry.pw_gid)


@dataclass
class Sandbox:
    """Where and as whom children run: the kit of child code, and the account to drop to (or None)."""

    kit: Path
    account: Account | None = None

    def command(self, request_file: str, channel_fd: int) -> list[str]:
        return [sys.executable, "-I", "-S", "-c", kit_module.BOOT, str(self.kit),
                json.dumps(kit_module.site_dirs()), request_file, str(channel_fd)]

    def sweep(self) -> None:
        """Kill every process of the student account: detached ones escape the process group."""
        if self.account is None:
            return
        for _ in range(20):
            pids = [pid for pid in _pids() if _live_uid(pid) == self.account.uid]
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(0.05)


def usable_cpus() -> int:
    """Whole CPUs this process may use: the affinity mask, capped by a cgroup CPU quota (containers)."""
    count = len(os.sched_getaffinity(0))
    quota = cgroup_cpu_quota()
    if quota is not None:
        count = min(count, int(quota))
    return max(1, count)


def cgroup_cpu_quota() -> float | None:
    """CPUs granted by the cgroup (v2 cpu.max, or v1 cfs quota and period), None when unlimited."""
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if controllers == "":  # v2
                text = Path("/sys/fs/cgroup", path.lstrip("/"), "cpu.max")
                if text.exists():
                    quota, period = text.read_text().split()
                    return None if quota == "max" else int(quota) / int(period)
            elif "cpu" in controllers.split(","):  # v1
                folder = Path("/sys/fs/cgroup/cpu", path.lstrip("/"))
                quota = int((folder / "cpu.cfs_quota_us").read_text())
                period = int((folder / "cpu.cfs_period_us").read_text())
                return None if quota < 0 else quota / period
    except (OSError, ValueError):
        return None
    return None


def _pids() -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit()]


def _live_uid(pid: int) -> int | None:
    """The owner of a process that still runs; None for zombies (dead, waiting for a parent to reap them)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return None
    if fields.get("State", "").strip().startswith("Z"):
        return None
    return int(fields["Uid"].split()[0]) if "Uid" in fields else None


def answer_all(request: dict, lanes: list[list[dict]], limits: Limits, account: Account | None = None,
               parallel: int | None = None) -> tuple[dict[str, dict], list[str]]:
    """Answers by question id for every lane, and the load errors of the student's definitions."""
    answers: dict[str, dict] = {}
    load_errors: list[str] = []
    lock = threading.Lock()
    sandbox = Sandbox(kit_module.build(), account)

    def work(questions):
        lane_answers, lane_errors = Lane(request, questions, limits, sandbox).run()
        with lock:
            answers.update(lane_answers)
            for e in lane_errors:
                if e not in load_errors:
                    load_errors.append(e)

    # One child per core: on Gradescope's half a CPU, two children would only share it and double the memory.
    slots = threading.Semaphore(parallel or usable_cpus())

    def work_in_slot(questions):
        with slots:
            work(questions)

    threads = [threading.Thread(target=work_in_slot, args=(lane,)) for lane in lanes if lane]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sandbox.sweep()
        shutil.rmtree(sandbox.kit, ignore_errors=True)
    return answers, load_errors


class Lane:
    def __init__(self, request: dict, questions: list[dict], limits: Limits, sandbox: Sandbox):
        self.request = request
        self.questions = questions
        self.limits = limits
        self.sandbox = sandbox
        self.answers: dict[str, dict] = {}
        self.load_errors: list[str] = []

    def run(self) -> tuple[dict[str, dict], list[str]]:
        remaining = list(self.questions)
        while remaining:
            remaining = self.one_child(remaining)
        return self.answers, self.load_errors

    def one_child(self, questions: list[dict]) -> list[dict]:
        """Answer as many questions as this child manages; return the ones still to ask."""
        scratch = tempfile.mkdtemp(prefix="nn2-child-")
        child = None
        try:
            request = {**self.request, "questions": questions, "limits": self.child_limits(questions)}
            child = Child.start(scratch, request, self.sandbox)
            ready = child.receive(self.limits.load_seconds)
            if ready.kind != "message" or ready.message.get("event") != "ready":
                reason = ready.describe(self.limits.load_seconds, child.stderr_tail())
                for q in questions:
                    self.answers[q["id"]] = {"status": "load_failed", "message": reason}
                return []
            self.load_errors = [clean_text(e) for e in ready.message.get("load_errors", [])][:20]
            for index, question in enumerate(questions):
                timeout = self.limits.for_question(question)
                got = child.receive(timeout)
                if got.kind == "message" and got.message.get("id") == question["id"]:
                    self.answers[question["id"]] = got.message
                    continue
                if got.kind == "message":  # an answer out of order: the child is not ours to trust
                    got = Received("crash", exit_note="answered out of order")
                verdict = {"status": "timeout", "seconds": timeout} if got.kind == "timeout" else {
                    "status": "crashed", "message": got.describe(timeout, child.stderr_tail())}
                self.answers[question["id"]] = verdict
                # Asking the same function again would only burn another timeout or restart:
                # the rest of its part is skipped, the other parts go on in a new child.
                rest = questions[index + 1:]
                for q in rest:
                    if q["part"] == question["part"]:
                        self.answers[q["id"]] = {"status": "skipped", "after": got.kind}
                return [q for q in rest if q["part"] != question["part"]]
            return []
        finally:
            if child:
                child.kill()
            shutil.rmtree(scratch, ignore_errors=True)

    def child_limits(self, questions: list[dict]) -> dict:
        seconds = self.limits.load_seconds + sum(self.limits.for_question(q) for q in questions)
        return {"file_bytes": OUTPUT_BYTES, "cpu_seconds": math.ceil(seconds) + 10}


@dataclass
class Received:
    kind: str  # "message", "timeout" or "crash"
    message: dict | None = None
    exit_note: str = ""

    def describe(self, timeout: float, stderr_tail: str) -> str:
        if self.kind == "timeout":
            return f"did not finish within {timeout:g} seconds"
        note = self.exit_note or "the process ended"
        return f"{note}{': ' + stderr_tail if stderr_tail else ''}"


class Child:
    def __init__(self, process: subprocess.Popen, channel: int, scratch: str):
        self.process = process
        self.channel = channel
        self.scratch = scratch
        self.buffer = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(channel, selectors.EVENT_READ)
        self.eof = False

    @classmethod
    def start(cls, scratch: str, request: dict, sandbox: Sandbox) -> "Child":
        request_file = os.path.join(scratch, "request.json")
        with open(request_file, "w", encoding="utf-8") as f:
            json.dump(request, f)
        os.chmod(request_file, 0o644)
        account = sandbox.account
        if account:
            os.chown(scratch, account.uid, account.gid)
        read_fd, write_fd = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        env.update({k: os.environ[k] for k in _KEEP_ENV if k in os.environ})
        with open(os.path.join(scratch, "stdout"), "wb") as out, open(os.path.join(scratch, "stderr"), "wb") as err:
            drop = {"user": account.uid, "group": account.gid, "extra_groups": []} if account else {}
            process = subprocess.Popen(
                sandbox.command(request_file, write_fd),
                stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=scratch, env=env,
                pass_fds=(write_fd,), start_new_session=True, **drop,
            )
        os.close(write_fd)
        return cls(process, read_fd, scratch)

    def receive(self, timeout: float) -> Received:
        """The next JSON line on the channel, or why there is none."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            if self.eof:
                return Received("crash", exit_note=self.exit_note())
            left = deadline - time.monotonic()
            if left <= 0:
                return Received("timeout")
            if not self.selector.select(left):
                continue
            chunk = os.read(self.channel, 65536)
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

    def exit_note(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "the process closed its channel and stopped answering"
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            reasons = {"SIGKILL": " (out of memory or killed)", "SIGXCPU": " (CPU time limit)",
                       "SIGXFSZ": " (printed too much output)", "SIGSEGV": " (a crash)"}
            return f"the process was killed by {name}{reasons.get(name, '')}"
        return f"the process exited with code {code} (sys.exit, os._exit or a crash)"

    def stderr_tail(self) -> str:
        """The last line the student's code wrote to stderr, cleaned: often the real error."""
        try:
            with open(os.path.join(self.scratch, "stderr"), "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 4096))
                lines = [l for l in f.read().decode("utf-8", "replace").splitlines() if l.strip()]
        except OSError:
            return ""
        return clean_text(lines[-1]) if lines else ""

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.selector.close()
        os.close(self.channel)


def clean_text(text, limit: int = TEXT_CHARS) -> str:
    """Printable text only (no terminal escapes), cut to a length a feedback line can hold."""
    if not isinstance(text, str):
        return ""
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
