"""What the self-check prints while it works: each verdict as soon as it is known, a progress line for the
trainings, and the summary at the end.

On a terminal (and in a notebook, whose output understands a carriage return) the progress line is
redrawn in place; elsewhere (a pipe, a log file) it is a new line at most every LOG_EVERY seconds.
"""

from __future__ import annotations

import sys
import time

from autograder.student.session import FAILED, NOT_HERE, PASSED

LOG_EVERY = 10.0
MARKS = {PASSED: "passed", FAILED: "FAILED", NOT_HERE: "not here"}


class Printer:
    def __init__(self, out=None, live: bool | None = None):
        self.out = out or sys.stdout
        self.live = bool(live if live is not None else getattr(self.out, "isatty", lambda: False)())
        self.trainings: dict[str, tuple[int, int, float, float]] = {}  # part -> done, total, started, first seen
        self.drawn = 0  # length of the progress line on screen
        self.logged = time.monotonic()  # the first log line of a training comes after LOG_EVERY seconds

    def write(self, text: str) -> None:
        self.clear()
        print(text, file=self.out, flush=True)

    def clear(self) -> None:
        if self.drawn:
            self.out.write("\r" + " " * self.drawn + "\r")
            self.drawn = 0

    def verdict(self, outcome) -> None:
        """`  passed  [1.1] Mix on the handout's initial network`, and the message under a failure."""
        lines = [f"  {MARKS[outcome.status]:<9}[{outcome.check.number}] {outcome.check.name}"]
        if outcome.status != PASSED:
            lines += [f"            {row}" for row in outcome.output.splitlines()]
        self.write("\n".join(lines))
        self.redraw()

    def progress(self, part: str, done: int, total: int) -> None:
        now = time.monotonic()
        _, _, started, _ = self.trainings.get(part, (0, 0, now, now))
        self.trainings[part] = (done, max(total, 1), started, now)
        if self.live:
            self.redraw()
        elif now - self.logged >= LOG_EVERY:
            self.logged = now
            self.write(self.line())

    def progress_done(self, part: str) -> None:
        if self.trainings.pop(part, None) is not None:
            self.redraw()

    def line(self) -> str:
        """`  training FrobClassifier: 4,000 of 10,000 steps, MixClassifier: ..., about 6 s left`."""
        parts, left = [], 0.0
        for part, (done, total, started, now) in self.trainings.items():
            parts.append(f"{part}: {done:,} of {total:,} steps")
            if done:
                left = max(left, (now - started) / done * (total - done))
        return f"  training {', '.join(parts)}" + (f", about {left:.0f} s left" if left else "")

    def redraw(self) -> None:
        if not self.live:
            return
        self.clear()
        if self.trainings:
            text = self.line()
            self.out.write(text)
            self.out.flush()
            self.drawn = len(text)
