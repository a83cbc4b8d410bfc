"""A fault of the grading machine is never charged to the student.

Starvation (a child that waited for a CPU) is not slowness, a SIGKILL from outside the sandbox is not
the student's crash, and a grader that cannot start its child, find its kit, import torch or write its
scratch folder gives a grader error with the cause in the logs, never a deduction or a sentence that
blames the student's code. The judgement is tested on scripted children (fast), then each fault is
injected into a real grading.
"""

from __future__ import annotations

import math
import signal
import time

import pytest
from hypothesis import given, strategies as st

from autograder.sandbox import faults
from autograder.sandbox.child_process import Received, Share
from autograder.sandbox.runner import Lane, Limits

LIMIT = 1.0


# ------------------------------------------------------------------ the judgement, on figures

seconds = st.floats(min_value=0.0, max_value=20.0, allow_nan=False)


@given(ran=seconds, waited=seconds, limit=st.floats(min_value=0.5, max_value=600.0))
def test_a_child_that_had_most_of_what_it_wanted_or_half_its_limit_is_never_starved(ran, waited, limit):
    fault = faults.of_timeout(Share(ran, waited), limit)
    if ran > faults.STARVED_SHARE * (ran + waited) or ran >= faults.STARVED_RAN * limit:
        assert fault is None


@given(share=st.floats(min_value=0.0, max_value=faults.STARVED_SHARE), limit=st.floats(min_value=0.5, max_value=600.0))
def test_a_child_that_waited_for_a_cpu_most_of_its_limit_is_starved(share, limit):
    wanted = limit  # it was runnable the whole time, and got `share` of it
    fault = faults.of_timeout(Share(share * wanted, (1 - share) * wanted), limit)
    assert fault is not None and fault.certain and "too busy" in fault.reason


@given(ran=st.floats(min_value=0.0, max_value=0.2), limit=st.floats(min_value=1.0, max_value=600.0))
def test_a_child_that_slept_waited_on_no_run_queue_and_its_timeout_is_its_own(ran, limit):
    assert faults.of_timeout(Share(ran, 0.0), limit) is None


def test_without_scheduler_figures_a_small_share_is_asked_again_but_never_called_certain():
    fault = faults.of_timeout(Share(0.1, None), 4.0)
    assert fault is not None and not fault.certain
    assert faults.of_timeout(Share(3.0, None), 4.0) is None
    assert faults.of_timeout(None, 4.0) is None


def test_a_sigkill_is_the_machines_unless_the_child_spent_its_cpu_limit():
    assert faults.of_crash(Received("crash", signal=signal.SIGKILL, cpu_seconds=2.0), 30) is not None
    assert faults.of_crash(Received("crash", signal=signal.SIGKILL, cpu_seconds=None), 30) is not None
    assert faults.of_crash(Received("crash", signal=signal.SIGKILL, cpu_seconds=31.0), 30) is None  # its CPU limit
    assert faults.of_crash(Received("crash", signal=signal.SIGSEGV, cpu_seconds=1.0), 30) is None
    assert faults.of_crash(Received("crash", exit_note="exited with code 3"), 30) is None


# ------------------------------------------------------------------ a lane's decisions, on scripted children

class Clock:
    """The part of a Sandbox a lane asks about time and logging."""

    events = None

    def __init__(self, seconds_left: float = math.inf):
        self.deadline = time.monotonic() + seconds_left
        self.logged: list[str] = []

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def log(self, lane: int, event: str) -> None:
        self.logged.append(event)


class ScriptedChild:
    """A child whose every question ends the same way (`ending`), with the CPU figures `shares` in turn."""

    def __init__(self, ending: Received, shares: list[Share | None]):
        self.ending, self.shares = ending, list(shares)

    def receive(self, timeout: float) -> Received:
        return self.ending

    def cpu_share(self):
        return self.shares.pop(0) if self.shares else None

    def stderr_tail(self) -> str:
        return ""


QUESTIONS = [{"id": "mix-1", "part": "Mix", "kind": "mix", "long": False},
             {"id": "mix-2", "part": "Mix", "kind": "mix", "long": False},
             {"id": "grad-1", "part": "Grad", "kind": "grad", "long": False}]


def lane(seconds_left: float = math.inf) -> Lane:
    the_lane = Lane({"statements": []}, QUESTIONS, Limits(LIMIT, LIMIT, LIMIT, total_seconds=seconds_left),
                    sandbox=Clock(seconds_left))
    the_lane.cpu_limit = 30
    return the_lane


STARVED = [Share(0.0, 0.0), Share(0.01, 0.95 * LIMIT)]  # at the question's start, and at its timeout
SLEPT = [Share(0.0, 0.0), Share(0.0, 0.0)]
SPUN = [Share(0.0, 0.0), Share(0.95 * LIMIT, 0.05)]


def test_a_starved_question_is_asked_again_in_a_new_child_and_nothing_is_recorded():
    the_lane = lane()
    remaining = the_lane.ask(ScriptedChild(Received("timeout"), STARVED), QUESTIONS)
    assert remaining == QUESTIONS and the_lane.answers == {}
    assert any("too busy" in event for event in the_lane.sandbox.logged)


def test_a_question_starved_every_time_is_a_grader_fault_not_a_timeout():
    the_lane = lane()
    for attempt in range(faults.RETRIES):
        assert the_lane.ask(ScriptedChild(Received("timeout"), STARVED), QUESTIONS) == QUESTIONS
    remaining = the_lane.ask(ScriptedChild(Received("timeout"), STARVED), QUESTIONS)
    assert remaining == QUESTIONS[1:]  # the rest of the part is asked, not skipped: the code was not at fault
    verdict = the_lane.answers["mix-1"]
    assert verdict["status"] == "load_failed" and verdict["environment"] is True and verdict["fault"] == "machine"
    assert "too busy" in verdict["message"] and f"in each of {faults.RETRIES + 1} children" in verdict["message"]


@pytest.mark.parametrize("shares", [SLEPT, SPUN], ids=["slept", "spun"])
def test_a_question_that_slept_or_spun_its_time_is_the_students_timeout(shares):
    the_lane = lane()
    remaining = the_lane.ask(ScriptedChild(Received("timeout"), shares), QUESTIONS)
    assert the_lane.answers["mix-1"] == {"status": "timeout", "seconds": LIMIT}
    assert the_lane.answers["mix-2"] == {"status": "skipped", "after": "timeout"}
    assert remaining == QUESTIONS[2:]


def test_a_child_killed_from_outside_is_asked_again_then_is_a_grader_fault():
    the_lane = lane()
    killed = Received("crash", exit_note="the process was killed by SIGKILL", signal=signal.SIGKILL, cpu_seconds=0.5)
    for attempt in range(faults.RETRIES):
        assert the_lane.ask(ScriptedChild(killed, []), QUESTIONS) == QUESTIONS
    the_lane.ask(ScriptedChild(killed, []), QUESTIONS)
    assert the_lane.answers["mix-1"]["fault"] == "machine"
    assert "killed the child (SIGKILL" in the_lane.answers["mix-1"]["message"]


def test_a_child_that_crashed_by_itself_costs_its_question_at_once():
    the_lane = lane()
    crashed = Received("crash", exit_note="the process exited with code 3 (sys.exit, os._exit or a crash)")
    the_lane.ask(ScriptedChild(crashed, []), QUESTIONS)
    assert the_lane.answers["mix-1"]["status"] == "crashed"


def test_time_that_ran_out_after_questions_were_asked_again_is_the_machines_not_the_students():
    the_lane = lane()
    the_lane.ask(ScriptedChild(Received("timeout"), STARVED), QUESTIONS)
    the_lane.out_of_time(QUESTIONS)
    assert all(a["fault"] == "machine" and a["status"] == "load_failed" for a in the_lane.answers.values())
    fresh = lane()
    fresh.out_of_time(QUESTIONS)
    assert all(a["status"] == "out_of_time" for a in fresh.answers.values())


# ------------------------------------------------------------------ each fault injected into a real grading

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from autograder.grading import grade
from autograder.sandbox import kit, runner
from catalog import notebook_text, reference_answers
from conftest import NN2, NN2_RUBRIC, edited

# Mix's reference, slowed so that a fault lands while it works: a second of sleep, or half a second of CPU.
SLEEPS = "    import time\n    time.sleep(1.0)\n"
SPINS = "    import time\n    end = time.process_time() + 0.5\n    while time.process_time() < end:\n        pass\n"
BLAMES = ("ended the Python process", "Do not call sys.exit", "did not finish within", "was not run on")


def notebook(tmp_path: Path, slowed: str = "") -> Path:
    """The reference's Mix and Grad (Mix slowed by `slowed`), the classifiers left as handed out: nothing trains."""
    answers = {name: "" for name in NN2.handout.ANSWERS}
    ref = reference_answers(NN2)
    answers["Mix"] = edited(ref["Mix"], "def Mix(nn):\n", "def Mix(nn):\n" + slowed) if slowed else ref["Mix"]
    answers["Grad"] = ref["Grad"]
    path = tmp_path / "hw.ipynb"
    path.write_text(notebook_text(answers, NN2))
    return path


def quick_rubric(tmp_path: Path) -> Path:
    """The packaged rubric with short limits and one hidden input per check (fewer questions to fault)."""
    text = NN2.rubric_path.read_text()
    for key, value in (("load_seconds", 20), ("call_seconds", 3), ("count", 1)):
        text, n = re.subn(rf"^{key} = \d+", f"{key} = {value}", text, flags=re.M)
        assert n == 1, key
    path = tmp_path / "quick.toml"
    path.write_text(edited(text, 'seed_file = "secret_seed"', f'seed_file = "{tmp_path / "seed"}"'))
    return path


def graded(tmp_path: Path, slowed: str = "") -> grade.Graded:
    return grade.main(submission=notebook(tmp_path, slowed), results_path=tmp_path / "results.json",
                      rubric_path=quick_rubric(tmp_path), homework=NN2, lanes=1)


def student_text(g: grade.Graded) -> str:
    return "\n".join([g.data["output"], *(t["output"] for t in g.data["tests"])])


def part_points(g: grade.Graded, part: str) -> float:
    return g.part_scores()[part][0]


def assert_grader_error(g: grade.Graded, cause: str) -> None:
    """A grader error with `cause` in the logs (grader_errors: the TA's and the instructor's), no blame."""
    assert g.status == grade.GRADER_ERROR
    assert any(cause in line for line in g.grader_errors), g.grader_errors
    text = student_text(g)
    assert "not your notebook's fault" in text or "The grader failed" in text
    for blame in BLAMES:
        assert blame not in text, blame


@pytest.mark.slow
def test_a_child_interpreter_the_grader_cannot_run_is_a_grader_error(tmp_path, monkeypatch):
    """As on Gradescope when the student account cannot enter the folder of the venv's Python."""
    closed = tmp_path / "python"
    closed.write_text("#!/bin/sh\n")
    closed.chmod(0o644)  # nobody may execute it, root included
    command = runner.Sandbox.command
    monkeypatch.setattr(runner.Sandbox, "command", lambda self, *a: [str(closed), *command(self, *a)[1:]])
    assert_grader_error(graded(tmp_path), "Permission denied")


@pytest.mark.slow
def test_a_kit_file_missing_is_a_grader_error(tmp_path, monkeypatch):
    build = kit.build

    def broken(homework, parent=None):
        made = build(homework, parent)
        (made / "autograder" / "child" / "protocol.py").unlink()
        return made

    monkeypatch.setattr(runner.kit_module, "build", broken)
    assert_grader_error(graded(tmp_path), "protocol")


@pytest.mark.slow
def test_torch_that_fails_to_import_in_the_child_is_a_grader_error(tmp_path, monkeypatch):
    fake = tmp_path / "site-packages"
    (fake / "torch").mkdir(parents=True)
    (fake / "torch" / "__init__.py").write_text(
        "raise ImportError('libtorch_cpu.so: cannot open shared object file: No such file or directory')\n")
    fake.chmod(0o755)
    site_dirs = kit.site_dirs
    monkeypatch.setattr(kit, "site_dirs", lambda: [str(fake), *site_dirs()])
    assert_grader_error(graded(tmp_path), "torch")


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="a full disk is a small tmpfs mounted for the test: needs root")
def test_a_full_scratch_disk_is_a_grader_error(tmp_path, monkeypatch):
    disk = tmp_path / "full"
    disk.mkdir(mode=0o700)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(disk)]).returncode:
        pytest.skip("this machine lets no test mount a tmpfs")
    try:
        subprocess.run(["dd", "if=/dev/zero", f"of={disk / 'filler'}", "bs=4k"], capture_output=True)
        monkeypatch.setattr("tempfile.tempdir", str(disk))
        assert_grader_error(graded(tmp_path), "No space left on device")
    finally:
        subprocess.run(["umount", "-l", str(disk)])


def faulted_lanes(monkeypatch, fault, first_only: bool) -> list[str]:
    """Lane.ask wrapped: `fault(child)` is done to the child asked the first Mix question (each time it is asked,
    or only the first time); returns the ids of the questions each faulted child was asked first."""
    ask, faulted = runner.Lane.ask, []

    def wrapped(self, child, questions):
        first = next((q["id"] for q in self.questions if q["part"] == "Mix"), None)
        if questions and questions[0]["id"] == first and not (first_only and faulted):
            faulted.append(first)
            undo = fault(child)
            try:
                return ask(self, child, questions)
            finally:
                undo()
        return ask(self, child, questions)

    monkeypatch.setattr(runner.Lane, "ask", wrapped)
    return faulted


def kill_soon(child):
    """SIGKILL from outside the sandbox half a second into the question, as the kernel's OOM killer would."""
    timer = threading.Timer(0.5, lambda: os.kill(child.process.pid, signal.SIGKILL))
    timer.start()
    return timer.cancel


def starve(child):
    """The child made to wait for a CPU: pinned to one CPU at the idle priority (and its session's scheduling
    group at the lowest), beside a process that spins there at the normal one (about 1 % of that CPU for the
    child). Undone for the next child."""
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(child.process.pid, {cpu})
    os.sched_setscheduler(child.process.pid, os.SCHED_IDLE, os.sched_param(0))
    group = Path(f"/proc/{child.process.pid}/autogroup")
    if group.exists():  # the child's session is a scheduling group of its own: make the whole group the least
        group.write_text("19")
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"], preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
    return lambda: (hog.kill(), hog.wait())


# (fault, what it does to Mix's child, the Mix that works meanwhile, what the logs say)
FAULTS = [(kill_soon, SLEEPS, "killed the child (SIGKILL"), (starve, SPINS, "too busy")]


@pytest.mark.slow
@pytest.mark.parametrize("fault, slowed, cause", FAULTS, ids=["killed", "starved"])
def test_a_child_the_machine_failed_once_is_asked_again_and_its_right_answer_counts(tmp_path, monkeypatch, fault,
                                                                                   slowed, cause):
    faulted = faulted_lanes(monkeypatch, fault, first_only=True)
    g = graded(tmp_path, slowed)
    assert faulted and g.status == grade.GRADED and not g.grader_errors
    assert part_points(g, "Mix") == NN2_RUBRIC.parts["Mix"] and part_points(g, "Grad") == NN2_RUBRIC.parts["Grad"]
    assert any(cause in event for _, _, event in g.timeline)


@pytest.mark.slow
@pytest.mark.parametrize("fault, slowed, cause", FAULTS, ids=["killed", "starved"])
def test_a_child_the_machine_failed_every_time_is_a_grader_error_not_a_deduction(tmp_path, monkeypatch, fault,
                                                                                 slowed, cause):
    faulted = faulted_lanes(monkeypatch, fault, first_only=False)
    g = graded(tmp_path, slowed)
    assert len(faulted) == 1 + faults.RETRIES
    assert_grader_error(g, cause)
    assert part_points(g, "Grad") == NN2_RUBRIC.parts["Grad"]  # the rest of the grading went on


@pytest.mark.slow
def test_a_child_that_spins_on_a_cpu_of_its_own_is_told_it_was_too_slow(tmp_path):
    """The other side: a Mix that really spends its CPU time past the limit is the student's timeout."""
    g = graded(tmp_path, "    while True:\n        pass\n")
    assert g.status == grade.GRADED and part_points(g, "Mix") == 0
    assert "did not finish within 3 seconds" in student_text(g)
    assert not any("the machine's fault" in event for _, _, event in g.timeline)
