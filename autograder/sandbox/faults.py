"""The machine's faults, told apart from the student's: a child starved of CPU, or killed from outside.

A question that runs over its time limit costs the student its points, and a child that dies
under a question costs that question: both are right when the student's code did it, and wrong
when the machine did. Two things the machine does look the same from the outside:

* **starvation**: on a busy machine (other gradings, other jobs, a container's CPU quota) a
  child may get a small share of a CPU, and a right answer that needs a second of CPU time does
  not come within a limit of three. The kernel says how long each thread ran and how long it
  waited on a run queue (/proc/<pid>/task/<tid>/schedstat), summed over the processes of the
  child's session (what it forked spends its time too): a child that got at most a quarter of
  the CPU time it wanted, and less than half the limit, was starved, not slow. A child that
  slept or blocked waited on no run queue: its timeout is its own.
* **a kill from outside**: the kernel's out-of-memory killer and an operator's `kill -9` send
  SIGKILL. Student code cannot send SIGKILL (the child's seccomp filter refuses it), and the
  grader sends it only after a verdict; the kernel sends it itself only past the child's hard
  CPU limit. So a SIGKILL under a child that had CPU time left came from outside.

Either way the question is asked again in a new child, up to RETRIES times; after that it is a
grader error with the reason (no grade, never a deduction), except where the kernel keeps no
scheduler statistics: a small CPU share alone cannot tell starving from sleeping, so the third
timeout is the student's, as it always was.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from autograder.sandbox.child_process import Received, Share

RETRIES = 2  # a question is asked at most this many times again for the machine's sake
# Starved: the child's processes got at most a quarter of the CPU time they wanted, ran less than half the limit,
# and waited at least a quarter of it. A busy machine gives a CPU-bound child a third to a half: that child had
# its time, and its timeout is its own; a child that sleeps or blocks waits on no run queue at all.
STARVED_SHARE = 0.25
STARVED_RAN = 0.5
STARVED_WAITED = 0.25
UNKNOWN_RAN = 0.25  # without scheduler statistics: less CPU than this share of the limit might be starvation


@dataclass(frozen=True)
class Fault:
    """Why a question ended by the machine's doing; `certain` when the kernel's figures prove it."""

    reason: str
    certain: bool = True


def of_timeout(used: Share | None, seconds: float) -> Fault | None:
    """The machine's fault when a question ran over `seconds` while its child had `used` of the CPUs, else None."""
    if used is None:
        return None
    if used.waited is None:
        if used.ran < UNKNOWN_RAN * seconds:
            return Fault(f"the child ran {used.ran:.1f} s of CPU time in {seconds:g} s (a busy machine, or code "
                         "that waits)", certain=False)
        return None
    wanted = used.ran + used.waited
    if used.ran <= STARVED_SHARE * wanted and used.ran < STARVED_RAN * seconds and used.waited >= STARVED_WAITED * seconds:
        return Fault(f"the machine was too busy: in {seconds:g} s the child ran {used.ran:.1f} s and waited "
                     f"{used.waited:.1f} s for a CPU")
    return None


def of_crash(got: Received, cpu_limit: float | None) -> Fault | None:
    """The machine's fault when a child ended under a question, else None (the student's code ended it)."""
    if got.signal != signal.SIGKILL:
        return None
    if got.cpu_seconds is not None and cpu_limit is not None and got.cpu_seconds >= cpu_limit:
        return None  # the kernel's hard CPU limit: the student's code spent it
    return Fault("a process outside the sandbox killed the child (SIGKILL, as the kernel's out-of-memory killer "
                 "does) while its own limits held")


@dataclass
class Retries:
    """How often each question was asked again for the machine's sake, and what to do now."""

    counts: dict[str, int]

    def again(self, question_id: str, fault: Fault) -> bool:
        """Whether to ask once more; after RETRIES, a certain fault is a grader error, an uncertain one the
        student's timeout."""
        self.counts[question_id] = self.counts.get(question_id, 0) + 1
        return self.counts[question_id] <= RETRIES

    def verdict(self, question_id: str, fault: Fault) -> dict | None:
        """The lane's record for a question the machine kept failing: a grader fault, or None (judge it as usual)."""
        if not fault.certain:
            return None
        times = self.counts.get(question_id, 0)
        return {"status": "load_failed", "environment": True, "module": "", "fault": "machine",
                "message": f"{fault.reason} (in each of {times} children that were asked)"}
