"""The parent's side of the sandbox: start children, enforce time limits, read their answers.

A lane is a list of questions answered by one child at a time. When a child
dies or overruns, the question it was on gets that verdict and a new child
takes the remaining ones, so a crash costs one answer, not a part. Lanes run
in parallel threads, one child each.

How closely children are held is the sandbox's guard: the grader's (Gradescope, a TA's batch)
uses every layer the machine has; the students' self-check, on their own computer with their
own code, only time limits and a watch on resident memory (child_process.py).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from autograder.sandbox import faults, kit as kit_module, processes
from autograder.sandbox.cgroups import children_at_once
from autograder.sandbox.child_process import Child, Received
from autograder.sandbox.output import clean_text
from autograder.sandbox.processes import Account

# Bytes one file the child writes may hold (RLIMIT_FSIZE): its prints go to pipes and are not
# limited; this stops one file from filling the disk before the disk watchdog looks.
FILE_BYTES = 8 * 1024 * 1024


class Guard(Enum):
    """How closely children are held."""

    FULL = "full"  # the grader: rlimits, Landlock, the network filter, the user drop as root, sweeps
    TIME = "time"  # the self-check on a student's computer: time limits and a resident-memory watch


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
        return cls(**rubric.table("limits"))  # the rubric's [limits], each key declared once (rubric.Rubric)

    def for_question(self, question: dict) -> float:
        return self.train_seconds if question["long"] else self.call_seconds


@dataclass
class Sandbox:
    """Where and how children run: the kit of child code, the guard, and the account to drop to (or None).

    With the full guard the grading process is made a child subreaper: whatever a child starts
    and detaches (double fork, setsid) is re-parented here instead of to init, so it can be
    found and killed even when no user switch is possible.
    """

    kit: Path
    account: Account | None = None
    started: set[int] = field(default_factory=set)  # our own children, never swept
    lock: threading.Lock = field(default_factory=threading.Lock)
    timeline: list | None = None  # (time.monotonic(), lane, event) when someone wants a profile
    printed: int = 0  # bytes all children printed
    deadline: float = math.inf  # time.monotonic() when the whole grading must stop asking
    guard: Guard = Guard.FULL
    events: object = None  # called with (lane, message) for each progress message, when given

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def log(self, lane: int, event: str) -> None:
        if self.timeline is not None:
            self.timeline.append((time.monotonic(), lane, event))

    @property
    def full_guard(self) -> bool:
        return self.guard is Guard.FULL

    def __post_init__(self):
        if self.full_guard:
            processes.become_subreaper()

    def command(self, request_file: str, channel: str) -> list[str]:
        return [sys.executable, "-I", "-S", "-c", kit_module.BOOT, str(self.kit),
                json.dumps(kit_module.site_dirs()), request_file, channel]

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
        """Kill what children left behind (full guard: the self-check's children end with their session)."""
        if self.full_guard:
            processes.sweep(self.started, self.account, self.lock)

    def clean_shared_folders(self) -> None:
        if self.full_guard:
            processes.clean_shared_folders(self.account)


def landlock_wanted() -> bool:
    """AUTOGRADER_LANDLOCK=off (a test switch) grades as on a kernel without Landlock, as Gradescope's."""
    return os.environ.get("AUTOGRADER_LANDLOCK", "on").strip().lower() not in ("off", "0", "no", "false")


def answer_all(homework: str, request: dict, lanes: list[list[dict]], limits: Limits, account: Account | None = None,
               parallel: int | None = None, timeline: list | None = None, started: float | None = None,
               guard: Guard = Guard.FULL, events=None, meanwhile=None) -> tuple[dict[str, dict], list[str], int]:
    """Answers by question id for every lane, the load errors of the student's definitions, and the
    bytes the student's code printed.

    `timeline`, when given, receives (time.monotonic(), lane, event) for each child start, load and answer;
    `events`, when given, is called with (lane, message) for each answer and progress message as it comes.
    `meanwhile`, when given, runs in this thread while the children work (its errors are the caller's to
    meet again later: it may only prepare).
    No wait goes past `started` (time.monotonic(), default now) plus limits.total_seconds: the questions
    not answered by then are OUT_OF_TIME.
    """
    answers: dict[str, dict] = {}
    load_errors: list[str] = []
    lock = threading.Lock()
    deadline = (time.monotonic() if started is None else started) + limits.total_seconds
    sandbox = Sandbox(kit_module.build(homework), account, timeline=timeline, deadline=deadline, guard=guard,
                      events=events)
    request = {**request, "homework": homework}

    def work(index, questions):
        lane = Lane(request, questions, limits, sandbox, index)
        try:
            lane_answers, lane_errors = lane.run()
        except Exception as exc:  # the grader's own fault: every question left is a grader fault, never the student's
            traceback.print_exc()
            why = {"status": "load_failed", "environment": True, "module": "", "fault": "machine",
                   "message": f"the grader failed: {type(exc).__name__}: {exc}"}
            lane_answers, lane_errors = {**{q["id"]: why for q in questions}, **lane.answers}, lane.load_errors
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
        if meanwhile is not None:
            try:
                meanwhile()
            except Exception:  # an optimization only: the same work is done, and fails loudly, after
                pass
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
        self.retries = faults.Retries({})  # questions asked again because the machine failed them
        self.cpu_limit: float | None = None  # the children's CPU limit (RLIMIT_CPU), when set
        self.load_share = None  # the child's CPU share when the student's first definition began to load

    def run(self) -> tuple[dict[str, dict], list[str]]:
        remaining = list(self.questions)
        while remaining:
            if self.sandbox.left() <= 0:
                self.out_of_time(remaining)
                break
            remaining = self.one_child(remaining)
        return self.answers, self.load_errors

    def out_of_time(self, questions: list[dict]) -> list[dict]:
        """The grading's total time is up: these questions are not asked; nothing is left to ask. When this lane
        asked questions again for the machine's faults, that is what used the time: a grader fault, not the code's."""
        asked_again = sum(self.retries.counts.values())
        for q in questions:
            self.record(q["id"], {"status": "out_of_time", "seconds": self.limits.total_seconds} if not asked_again
                        else {"status": "load_failed", "environment": True, "module": "", "fault": "machine",
                              "message": f"the grading's time ran out after {asked_again} question(s) were asked "
                                         "again because the machine failed them"})
        return []

    def one_child(self, questions: list[dict]) -> list[dict]:
        """Answer as many questions as this child manages; return the ones still to ask."""
        scratch = tempfile.mkdtemp(prefix="autograder-child-")
        child = None
        try:
            request = {**self.request, "questions": questions, "skip": self.skip,
                       "limits": self.child_limits(questions, scratch)}
            self.sandbox.log(self.index, "child started")
            try:
                child = Child.start(scratch, request, self.sandbox, self.limits.disk_mb)
            except OSError as exc:  # the machine's fault: no interpreter to run, no disk for the request
                return self.cannot_start(questions, exc)
            self.load_share = None
            ready, running = self.wait_until_loaded(child)
            self.sandbox.log(self.index, "definitions loaded")
            flushed = ready.message.get("flush_denormal") if ready.kind == "message" else None
            if flushed is not None:
                self.sandbox.log(self.index, "subnormal floats flushed to zero" if flushed else
                                 "subnormal floats kept: this CPU cannot flush them (trainings are slower)")
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

    def cannot_start(self, questions: list[dict], exc: OSError) -> list[dict]:
        """No child could be started (the account cannot run the interpreter, the disk is full): a grader error
        for every question of this lane, with the cause."""
        reason = f"the grader could not start a child process: {exc.strerror or exc}" + (
            f": {exc.filename}" if exc.filename else "")
        for q in questions:
            self.record(q["id"], {"status": "load_failed", "message": reason, "environment": True, "module": ""})
        return []

    def machine_failed(self, key: str, fault: "faults.Fault", again: list[dict], verdict_for: list[dict]) -> list[dict] | None:
        """The questions to ask in a new child when the machine, not the student's code, failed one (`again`);
        after its retries a grader error for `verdict_for`, or None: judge it as the student's."""
        self.sandbox.log(self.index, f"{key}: the machine's fault: {fault.reason}")
        if self.retries.again(key, fault):
            return again
        verdict = self.retries.verdict(key, fault)
        if verdict is None:
            return None
        for q in verdict_for:
            self.record(q["id"], verdict)
        return again[len(verdict_for):]

    def not_loaded(self, child: "Child", ready: "Received", running: int | None, questions: list[dict]) -> list[dict]:
        """What to do when a child did not load: skip the definition at fault, retry, or give up."""
        if ready.kind == "timeout" and self.sandbox.left() <= 0:  # cut by the total, not by a definition
            return self.out_of_time(questions)
        fault = self.load_fault(child, ready, running)
        if fault is not None:  # the machine starved or killed it while the student's code loaded: not the code
            after = self.machine_failed(f"loading statement {running}", fault, questions, questions)
            if after is not None:
                return after
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
        # 3. Python, numpy or torch could not start here: this computer's problem, not the notebook's.
        broken = self.environment_problem(ready, running, child)
        if broken:
            for q in questions:
                self.record(q["id"], {"status": "load_failed", "message": broken["error"], "environment": True,
                                      "module": broken["module"]})
            return []
        # 4. Anything else (the child answered nonsense).
        for q in questions:
            self.record(q["id"], {"status": "load_failed", "message": reason,
                                  "busy": ready.kind == "timeout" and running is None})
        return []

    def load_fault(self, child: "Child", ready: "Received", running: int | None) -> "faults.Fault | None":
        """The machine's fault in a load that failed while the student's definitions ran, or None."""
        if running is None:
            return None
        if ready.kind == "crash":
            return faults.of_crash(ready, self.cpu_limit)
        now = child.cpu_share()
        if ready.kind != "timeout" or now is None or self.load_share is None:
            return None
        return faults.of_timeout(now.since(self.load_share), self.limits.load_seconds)

    @staticmethod
    def environment_problem(ready: Received, running: int | None, child: Child) -> dict | None:
        """{"module", "error"} when the child failed before any of the student's code ran: its own
        report of a failed import, or a crash while importing. Only then: once student code runs, any
        line on the channel may be forged."""
        if running is not None:
            return None
        if ready.kind == "message" and ready.message.get("event") == "broken":
            return {"module": clean_text(ready.message.get("module", ""), 40),
                    "error": clean_text(ready.message.get("error", "")) or "it could not be imported"}
        if ready.kind == "crash":
            return {"module": "", "error": ready.describe(0, child.stderr_tail())}
        return None

    def ask(self, child: "Child", questions: list[dict]) -> list[dict]:
        """Ask a loaded child each question in turn; return the questions still to ask elsewhere."""
        for index, question in enumerate(questions):
            timeout = self.limits.for_question(question)
            deadline = min(time.monotonic() + timeout, self.sandbox.deadline)
            before = child.cpu_share()
            got = self.next_answer(child, deadline)
            if got.kind == "message" and got.message.get("id") == question["id"]:
                self.record(question["id"], got.message)
                continue
            if got.kind == "message":  # an answer out of order: the child is not ours to trust
                got = Received("crash", exit_note="answered out of order")
            if got.kind == "timeout" and self.sandbox.left() <= 0:
                return self.out_of_time(questions[index:])
            fault = self.answer_fault(child, got, before, timeout)
            if fault is not None:
                after = self.machine_failed(question["id"], fault, questions[index:], [question])
                if after is not None:
                    return after
            verdict = {"status": "timeout", "seconds": timeout} if got.kind == "timeout" else {
                "status": "crashed", "message": got.describe(timeout, child.stderr_tail())}
            self.record(question["id"], verdict)
            # Asking the same function again would only burn another timeout or restart:
            # the rest of its part is skipped, the other parts go on in a new child.
            rest = questions[index + 1:]
            for q in rest:
                if q["part"] == question["part"]:
                    self.record(q["id"], {"status": "skipped", "after": got.kind})
            return [q for q in rest if q["part"] != question["part"]]
        return []

    def answer_fault(self, child: Child, got: Received, before, seconds: float) -> "faults.Fault | None":
        """The machine's fault when a question timed out or its child died, or None: the student's code did it."""
        if got.kind == "crash":
            return faults.of_crash(got, self.cpu_limit)
        now = child.cpu_share()
        if got.kind != "timeout" or now is None or before is None:
            return None
        return faults.of_timeout(now.since(before), seconds)

    def next_answer(self, child: Child, deadline: float) -> Received:
        """The next line that may answer the question asked: progress lines are passed on, and a second
        answer to a question already answered is dropped (forged lines came first and were taken as this
        part's answers; the real ones cost nothing else)."""
        while True:
            got = child.receive(max(0.0, deadline - time.monotonic()))
            if got.kind != "message":
                return got
            if got.message.get("event") == "progress":
                self.tell(got.message)
            elif got.message.get("id") not in self.answers:
                return got

    def record(self, question_id: str, answer: dict) -> None:
        """The lane's verdict on a question: the child's answer, or why there is none."""
        self.answers[question_id] = answer
        self.sandbox.log(self.index, question_id)
        self.tell({**answer, "id": question_id})

    def tell(self, message: dict) -> None:
        if self.sandbox.events is not None:
            self.sandbox.events(self.index, message)

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
                    self.load_share = child.cpu_share()
                running = index if type(index) is int else running
                continue
            return got, running

    def child_limits(self, questions: list[dict], scratch: str) -> dict:
        if not self.sandbox.full_guard:  # the student's own computer: time limits, kept here, are enough
            return {"confine": False}
        seconds = 2 * self.limits.load_seconds + sum(self.limits.for_question(q) for q in questions)
        uid = self.sandbox.account.uid if self.sandbox.account else os.getuid()
        self.cpu_limit = math.ceil(seconds) + 10  # the soft limit: SIGXCPU; the kernel's SIGKILL comes 5 s later
        return {"file_bytes": FILE_BYTES, "cpu_seconds": self.cpu_limit,
                "memory_bytes": self.limits.memory_mb * 1024 * 1024,
                # RLIMIT_NPROC counts every task of the user, the grader's own included.
                "processes": processes.tasks_of(uid) + self.limits.processes, "open_files": self.limits.open_files,
                "confinement": self.sandbox.confinement(scratch), "confine": True}
