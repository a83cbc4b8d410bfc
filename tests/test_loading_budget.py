"""A busy machine must never turn into wrong feedback: the load budget of a child, with a scripted child.

Starting a child (Python, torch, the handout) and running the student's definitions have a budget
of `load_seconds` each. Before, one budget covered both: a start slowed by other processes left
too little for the definitions, and the one running at the deadline was left out as if it hung,
so the student read "No `MixClassifier` was found" for a correct notebook.
"""

from __future__ import annotations

import math
import time

import pytest

from autograder.sandbox.runner import Lane, Limits, Received

LOAD = 1.0


class ScriptedChild:
    """Answers receive() from a script of (seconds until the event, event); waits at most the timeout asked."""

    def __init__(self, script):
        self.script = list(script)
        self.timeouts = []

    def receive(self, timeout: float) -> Received:
        self.timeouts.append(timeout)
        if not self.script:
            time.sleep(timeout)
            return Received("timeout")
        delay, event = self.script[0]
        if delay > timeout:
            time.sleep(timeout)
            self.script[0] = (delay - timeout, event)
            return Received("timeout")
        time.sleep(delay)
        self.script.pop(0)
        return Received("message", event)

    def stderr_tail(self) -> str:
        return ""

    def cpu_share(self):
        return None  # no scheduler figures: every timeout is judged as the student's


class Clock:
    """The part of a Sandbox a lane asks about time: the grading's deadline (time.monotonic())."""

    events = None  # nobody listens to the answers as they come

    def __init__(self, seconds_left: float = math.inf):
        self.deadline = time.monotonic() + seconds_left

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def log(self, lane: int, event: str) -> None:
        pass


def lane(statements: int = 2, seconds_left: float = math.inf) -> Lane:
    request = {"statements": [[f"cell {i + 2}", 1, f"def f{i}(): pass"] for i in range(statements)]}
    limits = Limits(LOAD, 1.0, 1.0, total_seconds=seconds_left)
    return Lane(request, [{"id": "q", "part": "Mix", "kind": "mix"}], limits, sandbox=Clock(seconds_left))


def test_a_slow_start_leaves_the_definitions_their_whole_budget():
    # The start takes 90 % of the budget, the first definition 30 % more: over one budget, within two.
    child = ScriptedChild([(0.9 * LOAD, {"event": "loading", "index": 0}), (0.3 * LOAD, {"event": "loading", "index": 1}),
                           (0.0, {"event": "ready", "load_errors": []})])
    got, running = lane().wait_until_loaded(child)
    assert (got.kind, got.message["event"], running) == ("message", "ready", 1)
    assert child.timeouts[1] == pytest.approx(LOAD, abs=0.05)  # a fresh budget once the definitions start


def test_a_definition_that_hangs_is_left_out_with_the_time_limit_named():
    the_lane = lane()
    child = ScriptedChild([(0.1, {"event": "loading", "index": 0}), (10, {"event": "ready"})])
    got, running = the_lane.wait_until_loaded(child)
    assert got.kind == "timeout" and running == 0
    remaining = the_lane.not_loaded(child, got, running, the_lane.questions)
    assert remaining == the_lane.questions and the_lane.skip == [0]
    assert the_lane.skip_notes == ["cell 2, line 1: did not finish within 1 seconds while this ran, so it was left out"]


def test_a_start_that_never_finishes_is_retried_once_then_named_as_a_busy_machine():
    the_lane = lane()
    for attempt in range(2):
        child = ScriptedChild([])
        got, running = the_lane.wait_until_loaded(child)
        assert got.kind == "timeout" and running is None
        remaining = the_lane.not_loaded(child, got, running, the_lane.questions)
        assert remaining == (the_lane.questions if attempt == 0 else [])
    answer = the_lane.answers["q"]
    assert answer["status"] == "load_failed" and answer["busy"] is True
    assert answer["message"] == ("loading your notebook took longer than 1 seconds before any of your code ran "
                                 "(starting Python and torch), twice: the grading machine is too busy")
    assert the_lane.skip == []  # no definition of the student's was blamed


def test_a_load_cut_by_the_total_time_blames_no_definition_and_asks_nothing_more():
    # The definitions would take their whole budget, but the grading has only half of it left.
    the_lane = lane(seconds_left=0.5 * LOAD)
    child = ScriptedChild([(0.1, {"event": "loading", "index": 0}), (10, {"event": "ready"})])
    got, running = the_lane.wait_until_loaded(child)
    assert got.kind == "timeout" and running == 0
    assert child.timeouts[1] <= 0.5 * LOAD  # the definitions' fresh budget is cut at the deadline
    assert the_lane.not_loaded(child, got, running, the_lane.questions) == []
    assert the_lane.skip == []
    assert the_lane.answers["q"] == {"status": "out_of_time", "seconds": 0.5 * LOAD}
