"""Sentences a student can act on: what was asked, what came back, what was expected.

Every lost point is explained here, in the student's terms (their function, the
handout's inputs, in the homework's own words), never with a grader traceback. "Your code raised" and
"the grader failed" are different messages. Hidden checks say what went wrong,
never what the right number was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np


class CheckFailed(AssertionError):
    """A check found the student's answer wrong; the message is the feedback."""


class NotCheckedHere(Exception):
    """The self-check cannot decide this check on the student's computer; the message says why and what
    would let it (the grader always decides). Never counted as passed."""


def close(found: float, expected: float, rtol: float, atol: float) -> bool:
    return bool(np.isfinite(found) and abs(found - expected) <= atol + rtol * abs(expected))


def close_array(found, expected, rtol: float, atol: float) -> bool:
    """Arrays of one shape whose largest difference is within the tolerance of the largest expected entry:
    an entry near zero is held to the scale of the whole array, as float32 arithmetic leaves it."""
    found, expected = np.asarray(found, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if found.shape != expected.shape or not np.isfinite(found).all():
        return False
    scale = float(np.abs(expected).max()) if expected.size else 0.0
    return bool(np.abs(found - expected).max(initial=0.0) <= atol + rtol * scale)


def same(found, expected, rtol: float, atol: float) -> bool:
    """Equal within the tolerance: numbers by `close`, arrays by `close_array`."""
    if np.ndim(expected) == 0 and np.ndim(found) == 0:
        return close(float(found), float(expected), rtol, atol)
    return close_array(found, expected, rtol, atol)


MISTAKE_MARK = "Likely mistake:"  # starts every named mistake, so that tools (and students) can find them


@dataclass(frozen=True)
class Mistake:
    """A classic mistake a pack names: what is wrong (`name`, never the answer itself), how to fix it
    (`fix`, which may give the formula), and the value the mistake computes on the question asked."""

    name: str
    fix: str
    value: object

    def sentence(self, hints: str) -> str | None:
        """The words for the rubric's `[feedback] hints`: "name", "fix" (name and fix), or "off" (None)."""
        return {"name": self.name, "fix": f"{self.name} {self.fix}"}.get(hints)


def stated_mistakes(text: str) -> list[str]:
    """The named mistakes a feedback text states: each sentence after MISTAKE_MARK, in order."""
    return [m.strip() for m in re.findall(rf"{re.escape(MISTAKE_MARK)} ([^\n]*)", text)]


def named_mistakes(found, alternatives, rtol: float, atol: float) -> list[str]:
    """The sentences of every classic mistake whose value the student's value equals, in their order."""
    return [sentence for sentence, value in alternatives
            if np.all(np.isfinite(value)) and same(found, value, rtol, atol)]


def number(x: float, other: float | None = None) -> str:
    """Four significant digits, more when needed to show how two numbers differ."""
    if other is None or not (np.isfinite(x) and np.isfinite(other)):
        return f"{x:.4g}"
    for digits in range(4, 10):
        a, b = f"{x:.{digits}g}", f"{other:.{digits}g}"
        if a != b:
            return a
    return f"{x:.10g}"


def pair(found: float, expected: float) -> tuple[str, str]:
    return number(found, expected), number(expected, found)


def status_problem(answer, call: str, where: str, suggestion: str | None = None,
                   returns: str = "a single number (a float or a 0-dim tensor)") -> str | None:
    """The sentence for an answer that is not a value at all, or None when it is one; `suggestion` follows
    "No `Mix` was found" (misnamed.hint: the name meant, or a look-alike and its letters)."""
    status = answer.status
    # 1. The name is not there.
    if status == "missing":
        name = call.split("(")[0].split(".")[0]
        guess = f" {suggestion}" if suggestion else ""
        return (f"No `{name}` was found in your notebook.{guess} The grader looks for the definition "
                f"of `{name}` from the handout at the top level of a code cell.")
    # 2. The handout's TODO is still there.
    if status == "not_implemented":
        return f"{call} is not implemented yet: replace the `# TODO: Replace by your code` body with your code."
    # 3. The student's class does not derive from the handout's (the child names it in `found`).
    if status == "bad_class":
        name, base = call.split("(")[0].split(".")[0], answer.get("found", "the handout's class")
        return f"`{name}` must be a class derived from {base}: `class {name}({base}):`."
    # 4. The student's code raised.
    if status == "error":
        return f"{call} raised an exception on {where}: {answer.get('message', '')}"
    # 5. It returned something that is not a number.
    if status == "bad_value":
        return f"{call} returned {answer.get('found', 'something else')} on {where}; expected {returns}."
    # 6. It ran over its time.
    if status == "timeout":
        return (f"{call} did not finish within {answer.get('seconds', 0):g} seconds on {where} and was stopped "
                "(an endless loop, or far more work than the task needs?).")
    if status == "out_of_time":
        return (f"{call} was not run on {where}: the grading reached its time limit of "
                f"{answer.get('seconds', 0):g} seconds before it (earlier calls used the time; look for the "
                "ones that did not finish), so this check gives no points.")
    if status == "skipped":
        why = "ended the process" if answer.get("after") == "crash" else "did not finish in time"
        return f"{call} was not run on {where}, because an earlier call of it {why}."
    # 7. The process ended under it.
    if status == "crashed":
        return (f"{call} ended the Python process on {where}: {answer.get('message', '')}. "
                "Do not call sys.exit, os._exit or quit() in your answers.")
    if status == "grader_error":
        return ("The grader could not check this (an error in the grader's homework code, not in your code); no "
                "points were counted for it, and your instructor can see the details.")
    if status == "load_failed" and answer.get("environment") and answer.get("module"):
        return (f"The grading machine could not start {answer.get('module')} to run your code "
                f"({answer.get('message', '')}): no points could be given, and this is not your notebook's fault.")
    if status == "load_failed" and answer.get("environment"):
        return ("The grading machine failed while it ran this check (it was overloaded, or stopped the process from "
                "outside): no points could be given for it, and this is not your notebook's fault.")
    if status == "load_failed":
        return f"Your notebook's definitions could not be loaded: {answer.get('message', '')}."
    # 8. A number that is not finite.
    if status == "ok" and not answer.get("finite", True):
        return f"{call} returned {answer['value']} on {where}; expected a finite number."
    return None


def wrong_value(call: str, where: str, found: float, expected: float, hint: str | None = None) -> str:
    f, e = pair(found, expected)
    return f"{call} returned {f} on {where}; expected {e}." + (f" {hint}" if hint else "")


def wrong_array(call: str, where: str, found, expected, hint: str | None = None) -> str:
    """An array that is not the expected one: its shape, or its largest difference, in the student's terms."""
    found, expected = np.asarray(found, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if found.shape != expected.shape:
        text = (f"{call} returned an array of shape {found.shape} on {where}; expected shape {expected.shape}.")
    elif not np.isfinite(found).all():
        text = f"{call} returned an array with NaN or infinite entries on {where}."
    else:
        diff = np.abs(found - expected)
        at = np.unravel_index(int(np.argmax(diff)), diff.shape)
        f, e = pair(float(found[at]), float(expected[at]))
        where_in = f"entry {[int(i) for i in at]}" if found.ndim else "its value"  # [8, 8], not numpy's repr
        text = (f"{call} returned the wrong array on {where}: the largest difference is at {where_in}, "
                f"found {f}, expected {e}.")
    return text + (f" {hint}" if hint else "")


def hidden_summary(call: str, wrong: int, total: int, first_problem: str | None, public_failed: bool = False,
                   words=None) -> str:
    """Feedback for hidden inputs: how many failed, and the likely cause by the evidence, but no expected numbers.
    `words` (homework.Words) name the public inputs and what the function must be right for."""
    text = f"{call} was wrong on {wrong} of {total} hidden random inputs."
    if first_problem:
        return f"{text} The first problem: {first_problem}"
    if public_failed:
        return (f"{text} The public checks of this part fail too: what their message says is most likely "
                "wrong here as well, so fix that first.")
    public, anything = (words.public_inputs, words.anything) if words else ("the public inputs", "inputs")
    return (f"{text} The public checks pass on {public}; make sure your code is right for any {anything} passed to "
            "it (no global variables, no fixed sizes).")


def out_of_band(what: str, value: float, band: tuple[float, float]) -> str:
    side = "below" if value < band[0] else "above"
    return f"{what} is {value:.3f}, {side} the range [{band[0]:g}, {band[1]:g}] that correct solutions reach"
