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
from dataclasses import dataclass, field
from pathlib import Path

from . import kit as kit_module
from .output import Drain

# Bytes one file the child writes may hold (RLIMIT_FSIZE): its prints go to pipes and are not
# limited; this stops one file from filling the disk before the disk watchdog looks.
FILE_BYTES = 8 * 1024 * 1024
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
    memory_mb: int = 1400  # address space of one child; torch alone maps about 1 GB
    processes: int = 64  # tasks (processes and threads) a child may add to its user's count
    open_files: int = 256
    disk_mb: int = 512  # files in the child's scratch folder, all together
    total_seconds: float = math.inf  # the whole grading: waits are cut at its deadline

    @classmethod
    def of(cls, rubric) -> "Limits":
        return cls(rubric.load_seconds, rubric.call_seconds, rubric.train_seconds,
                   rubric.memory_mb, rubric.processes, rubric.open_files, rubric.disk_mb, rubric.total_seconds)

    def for_question(self, question: dict) -> float:
        return self.train_seconds if question["long"] else self.call_seconds


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
    """Where and as whom children run: the kit of child code, and the account to drop to (or None).

    The grading process is made a child subreaper: whatever a child starts and
    detaches (double fork, setsid) is re-parented here instead of to init, so it
    can be found and killed even when no user switch is possible.
    """

    kit: Path
    account: Account | None = None
    started: set[int] = field(default_factory=set)  # our own children, never swept
    lock: threading.Lock = field(default_factory=threading.Lock)
    timeline: list | None = None  # (time.monotonic(), lane, event) when someone wants a profile
    printed: int = 0  # bytes all children printed
    deadline: float = math.inf  # time.monotonic() when the whole grading must stop asking

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def log(self, lane: int, event: str) -> None:
        if self.timeline is not None:
            self.timeline.append((time.monotonic(), lane, event))

    def __post_init__(self):
        become_subreaper()

    def command(self, request_file: str, channel_fd: int) -> list[str]:
        return [sys.executable, "-I", "-S", "-c", kit_module.BOOT, str(self.kit),
                json.dumps(kit_module.site_dirs()), request_file, str(channel_fd)]

    def confinement(self, scratch: str) -> dict:
        """What the child may read and write once it locks itself in (child/landlock.py)."""
        prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        package = kit_module.PACKAGE
        hidden = [str(package)]
        if str(package.parent) not in kit_module.site_dirs():  # a checkout: reference/ and tests/ beside it
            hidden.append(str(package.parent))
        return {"readable": sorted({*prefixes, *kit_module.site_dirs(), str(self.kit)}),
                "writable": [scratch], "hidden": hidden, "landlock": landlock_wanted()}

    def popen(self, *args, **kwargs) -> subprocess.Popen:
        """Popen, registered before any sweep can see the new process; retried while a
        fork bomb of another child holds the user's process limit (it is killed soon)."""
        deadline = time.monotonic() + 60
        while True:
            try:
                with self.lock:
                    process = subprocess.Popen(*args, **kwargs)
                    self.started.add(process.pid)
                    return process
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def forget(self, pid: int) -> None:
        with self.lock:
            self.started.discard(pid)

    def sweep(self) -> None:
        """Kill what children left behind: adopted orphans and, when dropped to an account, all its processes."""
        for _ in range(100):
            with self.lock:
                me = os.getpid()
                # Children still answering (other lanes) are spared; anything else of the account goes.
                pids = [pid for pid, (uid, ppid) in _processes().items() if pid not in self.started
                        and (ppid == me or (self.account is not None and uid == self.account.uid))]
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
                _reap_adopted(self.started)
            if not pids:
                return
            time.sleep(0.02)

    def clean_shared_folders(self) -> None:
        """Remove what the student account left in the world-writable folders (root only)."""
        if self.account is None:
            return
        for e in owned_entries(self.account.uid):
            try:
                if e.is_dir(follow_symlinks=False):
                    shutil.rmtree(e.path, ignore_errors=True)
                else:
                    os.unlink(e.path)
            except OSError:
                pass


def landlock_wanted() -> bool:
    """AUTOGRADER_LANDLOCK=off (a test switch) grades as on a kernel without Landlock, as Gradescope's."""
    return os.environ.get("AUTOGRADER_LANDLOCK", "on").strip().lower() not in ("off", "0", "no", "false")


def become_subreaper() -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
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


def usable_cpus() -> int:
    """Whole CPUs this process may use: the affinity mask, capped by a cgroup CPU quota (containers)."""
    count = len(os.sched_getaffinity(0))
    quota = cgroup_cpu_quota()
    if quota is not None:
        count = min(count, int(quota))
    return max(1, count)


# Resident memory, measured with margin: a child with torch during a training peaks near 300 MB,
# the grader near 150 MB (bench/gradescope_box.py prints both).
CHILD_MB = 400
GRADER_MB = 250


def children_at_once() -> int:
    """Children side by side: one per usable CPU, and no more than the cgroup's memory holds
    (Gradescope's default container has 768 MB: one child, whatever the CPUs)."""
    limit = cgroup_memory_limit()
    if limit is None:
        return usable_cpus()
    return max(1, min(usable_cpus(), (limit // (1024 * 1024) - GRADER_MB) // CHILD_MB))


def cgroup_cpu_quota() -> float | None:
    """CPUs granted by the cgroup (v2 cpu.max, or v1 cfs quota and period), None when unlimited."""
    try:
        v2 = cgroup_file("", "cpu.max")
        if v2:
            quota, period = v2.read_text().split()
            return None if quota == "max" else int(quota) / int(period)
        v1 = cgroup_file("cpu", "cpu.cfs_quota_us")
        if v1:
            quota = int(v1.read_text())
            period = int((v1.parent / "cpu.cfs_period_us").read_text())
            return None if quota < 0 else quota / period
    except (OSError, ValueError):
        return None
    return None


def cgroup_memory_limit() -> int | None:
    """Bytes the cgroup may use (v2 memory.max, or v1 memory.limit_in_bytes), None when unlimited."""
    try:
        v2 = cgroup_file("", "memory.max")
        text = v2.read_text().strip() if v2 else None
        if text is None:
            v1 = cgroup_file("memory", "memory.limit_in_bytes")
            text = v1.read_text().strip() if v1 else None
        if text is None or text == "max" or int(text) >= 1 << 60:  # v1 writes "unlimited" as almost 2**63
            return None
        return int(text)
    except (OSError, ValueError):
        return None


def cgroup_file(controller: str, name: str) -> Path | None:
    """The file `name` of this process's cgroup: for v1 the `controller`'s hierarchy, for v2 (controller
    "") the unified one. A container without a cgroup namespace sees its own group at the mount's root
    while /proc/self/cgroup names the host's path, so the root is tried when the path is absent."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controllers != controller and controller not in controllers.split(","):
            continue
        mount = Path("/sys/fs/cgroup") if controller == "" else Path("/sys/fs/cgroup", controller)
        for folder in (mount / path.lstrip("/"), mount):
            if (folder / name).exists():
                return folder / name
    return None


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


def answer_all(homework: str, request: dict, lanes: list[list[dict]], limits: Limits, account: Account | None = None,
               parallel: int | None = None, timeline: list | None = None,
               started: float | None = None) -> tuple[dict[str, dict], list[str], int]:
    """Answers by question id for every lane, the load errors of the student's definitions, and the
    bytes the student's code printed.

    `timeline`, when given, receives (time.monotonic(), lane, event) for each child start, load and answer.
    No wait goes past `started` (time.monotonic(), default now) plus limits.total_seconds: the questions
    not answered by then are OUT_OF_TIME.
    """
    answers: dict[str, dict] = {}
    load_errors: list[str] = []
    lock = threading.Lock()
    deadline = (time.monotonic() if started is None else started) + limits.total_seconds
    sandbox = Sandbox(kit_module.build(homework), account, timeline=timeline, deadline=deadline)
    request = {**request, "homework": homework}

    def work(index, questions):
        lane_answers, lane_errors = Lane(request, questions, limits, sandbox, index).run()
        with lock:
            answers.update(lane_answers)
            for e in lane_errors:
                if e not in load_errors:
                    load_errors.append(e)

    # One child per core: on Gradescope's half a CPU, two children would only share it and double the memory.
    slots = threading.Semaphore(parallel or children_at_once())

    def work_in_slot(index, questions):
        with slots:
            work(index, questions)

    threads = [threading.Thread(target=work_in_slot, args=(i, lane)) for i, lane in enumerate(lanes) if lane]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sandbox.sweep()
        sandbox.clean_shared_folders()
        shutil.rmtree(sandbox.kit, ignore_errors=True)
    return answers, load_errors, sandbox.printed


class Lane:
    def __init__(self, request: dict, questions: list[dict], limits: Limits, sandbox: Sandbox, index: int = 0):
        self.index = index
        self.request = request
        self.questions = questions
        self.limits = limits
        self.sandbox = sandbox
        self.answers: dict[str, dict] = {}
        self.load_errors: list[str] = []
        self.skip: list[int] = []  # statements that killed or hung a child while loading
        self.skip_notes: list[str] = []
        self.slow_starts = 0  # children that did not even reach the student's code in time

    def run(self) -> tuple[dict[str, dict], list[str]]:
        remaining = list(self.questions)
        while remaining:
            if self.sandbox.left() <= 0:
                self.out_of_time(remaining)
                break
            remaining = self.one_child(remaining)
        return self.answers, self.load_errors

    def out_of_time(self, questions: list[dict]) -> list[dict]:
        """The grading's total time is up: these questions are not asked; nothing is left to ask."""
        for q in questions:
            self.answers[q["id"]] = {"status": "out_of_time", "seconds": self.limits.total_seconds}
        return []

    def one_child(self, questions: list[dict]) -> list[dict]:
        """Answer as many questions as this child manages; return the ones still to ask."""
        scratch = tempfile.mkdtemp(prefix="autograder-child-")
        child = None
        try:
            request = {**self.request, "questions": questions, "skip": self.skip,
                       "limits": self.child_limits(questions, scratch)}
            self.sandbox.log(self.index, "child started")
            child = Child.start(scratch, request, self.sandbox, self.limits.disk_mb)
            ready, running = self.wait_until_loaded(child)
            self.sandbox.log(self.index, "definitions loaded")
            if ready.kind != "message" or ready.message.get("event") != "ready":
                return self.not_loaded(child, ready, running, questions)
            self.load_errors = [*self.skip_notes, *(clean_text(e) for e in ready.message.get("load_errors", []))][:20]
            return self.ask(child, questions)
        finally:
            if child:
                child.kill()
                self.sandbox.forget(child.process.pid)
                with self.sandbox.lock:
                    self.sandbox.printed += child.output.total
            self.sandbox.sweep()  # the killed child's detached descendants, now ours
            shutil.rmtree(scratch, ignore_errors=True)

    def not_loaded(self, child: "Child", ready: "Received", running: int | None, questions: list[dict]) -> list[dict]:
        """What to do when a child did not load: skip the definition at fault, retry, or give up."""
        if ready.kind == "timeout" and self.sandbox.left() <= 0:  # cut by the total, not by a definition
            return self.out_of_time(questions)
        reason = ready.describe(self.limits.load_seconds, child.stderr_tail())
        statements = self.request["statements"]
        # 1. A definition that ends or hangs the process costs itself, not the submission.
        if ready.kind != "message" and running is not None and running not in self.skip \
                and 0 <= running < len(statements):
            label, lineno, _ = statements[running]
            self.skip.append(running)
            self.skip_notes.append(f"{label}, line {lineno}: {reason} while this ran, so it was left out")
            return questions
        # 2. Python and torch did not even start in time: a busy machine, not the student. Once more.
        if ready.kind == "timeout" and running is None:
            self.slow_starts += 1
            if self.slow_starts < 2:
                return questions
            reason = (f"loading your notebook took longer than {self.limits.load_seconds:g} seconds before any "
                      "of your code ran (starting Python and torch), twice: the grading machine is too busy")
        # 3. Anything else (the child answered nonsense, or crashed before the student's code).
        for q in questions:
            self.answers[q["id"]] = {"status": "load_failed", "message": reason,
                                     "busy": ready.kind == "timeout" and running is None}
        return []

    def ask(self, child: "Child", questions: list[dict]) -> list[dict]:
        """Ask a loaded child each question in turn; return the questions still to ask elsewhere."""
        for index, question in enumerate(questions):
            timeout = self.limits.for_question(question)
            deadline = min(time.monotonic() + timeout, self.sandbox.deadline)
            got = child.receive(max(0.0, deadline - time.monotonic()))
            while got.kind == "message" and got.message.get("id") in self.answers:
                # A second answer to a question already answered: forged lines came first and
                # were taken as this part's answers; the real ones cost nothing else.
                got = child.receive(max(0.0, deadline - time.monotonic()))
            if got.kind == "message" and got.message.get("id") == question["id"]:
                self.answers[question["id"]] = got.message
                self.sandbox.log(self.index, question["id"])
                continue
            if got.kind == "message":  # an answer out of order: the child is not ours to trust
                got = Received("crash", exit_note="answered out of order")
            if got.kind == "timeout" and self.sandbox.left() <= 0:
                return self.out_of_time(questions[index:])
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

    def wait_until_loaded(self, child: "Child") -> tuple["Received", int | None]:
        """The child's ready message (or why none came) and the statement it was running last.

        Two budgets of load_seconds each: one to start (Python, torch, the handout), which only a
        busy machine exceeds, and one for the student's definitions, starting with the first of them,
        so that a slow start never makes an innocent definition look like one that hangs.
        """
        deadline = min(time.monotonic() + self.limits.load_seconds, self.sandbox.deadline)
        running = None
        while True:
            got = child.receive(max(0.0, deadline - time.monotonic()))
            if got.kind == "message" and got.message.get("event") == "loading":
                index = got.message.get("index")
                if running is None:
                    deadline = min(time.monotonic() + self.limits.load_seconds, self.sandbox.deadline)
                running = index if type(index) is int else running
                continue
            return got, running

    def child_limits(self, questions: list[dict], scratch: str) -> dict:
        seconds = 2 * self.limits.load_seconds + sum(self.limits.for_question(q) for q in questions)
        uid = self.sandbox.account.uid if self.sandbox.account else os.getuid()
        return {"file_bytes": FILE_BYTES, "cpu_seconds": math.ceil(seconds) + 10,
                "memory_bytes": self.limits.memory_mb * 1024 * 1024,
                # RLIMIT_NPROC counts every task of the user, the grader's own included.
                "processes": tasks_of(uid) + self.limits.processes, "open_files": self.limits.open_files,
                "confinement": self.sandbox.confinement(scratch)}


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
    def __init__(self, process: subprocess.Popen, channel: int, scratch: str, output: Drain, disk_mb: int):
        self.disk_bytes = disk_mb * 1024 * 1024
        self.process = process
        self.channel = channel
        self.scratch = scratch
        self.output = output  # stdout and stderr, emptied by a thread of ours
        self.buffer = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(channel, selectors.EVENT_READ)
        self.eof = False

    @classmethod
    def start(cls, scratch: str, request: dict, sandbox: Sandbox, disk_mb: int = 512) -> "Child":
        request_file = os.path.join(scratch, "request.json")
        with open(request_file, "w", encoding="utf-8") as f:
            json.dump(request, f)
        os.chmod(request_file, 0o644)
        account = sandbox.account
        if account:
            os.chown(scratch, account.uid, account.gid)
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        env.update({k: os.environ[k] for k in _KEEP_ENV if k in os.environ})
        drop = {"user": account.uid, "group": account.gid, "extra_groups": []} if account else {}
        (read_fd, write_fd), (out_r, out_w), (err_r, err_w) = os.pipe(), os.pipe(), os.pipe()
        try:
            process = sandbox.popen(
                sandbox.command(request_file, write_fd),
                stdin=subprocess.DEVNULL, stdout=out_w, stderr=err_w, cwd=scratch, env=env,
                pass_fds=(write_fd,), start_new_session=True, **drop,
            )
        except BaseException:
            for fd in (read_fd, out_r, err_r):
                os.close(fd)
            raise
        finally:
            for fd in (write_fd, out_w, err_w):
                os.close(fd)
        return cls(process, read_fd, scratch, Drain(out_r, err_r), disk_mb)

    def receive(self, timeout: float) -> Received:
        """The next JSON line on the channel, or why there is none."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            if self.eof:
                return Received("crash", exit_note=self.exit_note())
            left = deadline - time.monotonic()
            if left <= 0:
                return Received("timeout")
            if not self.selector.select(min(left, 0.5)):
                if self.over_disk():
                    return Received("crash", exit_note=f"wrote more than {self.disk_bytes >> 20} MB of files")
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
                       "SIGXFSZ": " (wrote a file over the size limit)", "SIGSEGV": " (a crash)"}
            return f"the process was killed by {name}{reasons.get(name, '')}"
        return f"the process exited with code {code} (sys.exit, os._exit or a crash)"

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
                except OSError:
                    pass
                if used > self.disk_bytes or seen > 100_000:
                    return True
        return False

    def stderr_tail(self) -> str:
        """The last line the student's code wrote to stderr, cleaned: often the real error."""
        lines = [l for l in self.output.stderr_tail().decode("utf-8", "replace").splitlines() if l.strip()]
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
        self.output.stop()


def clean_text(text, limit: int = TEXT_CHARS) -> str:
    """Printable text only (no terminal escapes), cut to a length a feedback line can hold."""
    if not isinstance(text, str):
        return ""
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
