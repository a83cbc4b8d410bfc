"""Answers that do not depend on their input earn nothing, not even the public checks they match.

The handout prints the expected figures, so a function can return them without computing
anything, and pass the public checks. Three kinds of evidence, each strong on its own:

1. the same value on two networks whose expected values differ (a constant);
2. on a hidden input, a value that is the expected value of a public one (the handout's number);
3. two different values for the same public question asked twice (a function that counts its calls).

Honest partial credit stays: a Grad that reads the global Xtest gives the same value for Xtest and
Xtrain on one network, but different values on different networks, so (1) compares answers on
different networks only. Nothing here accuses: the feedback says what was observed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .feedback import close, number

VALUE_KINDS = ("mix", "grad", "reg")


@dataclass(frozen=True)
class Seen:
    """One answered value question: what was asked about, what came back, what was expected."""

    qid: str
    network: str  # how the feedback names the network
    found: float
    expected: float
    hidden: bool
    repeat_of: str | None


def observations(questions: dict[str, dict], answers: dict[str, dict], expect, part: str) -> list[Seen]:
    seen = []
    for qid, q in questions.items():
        a = answers.get(qid, {})
        if q["part"] != part or q["kind"] not in VALUE_KINDS or q.get("advisory"):
            continue
        if a.get("status") != "ok" or not a.get("finite", True):
            continue
        expected = expect.value(q.get("repeat_of") or qid)
        if expected is None:  # the self-check knows no expected value of a hidden input
            continue
        seen.append(Seen(qid, q["net"].label, a["value"], expected, bool(q.get("hidden")), q.get("repeat_of")))
    return seen


def finding(seen: list[Seen], call: str, rtol: float, atol: float) -> str | None:
    """The sentence for the first kind of evidence found, or None."""
    same = lambda x, y: close(x, y, rtol, atol) or close(y, x, rtol, atol)
    by_id = {s.qid: s for s in seen}
    for s in seen:  # 3. the same question, two values
        first = by_id.get(s.repeat_of) if s.repeat_of else None
        if first and not same(first.found, s.found):
            return (f"{call} returned {number(first.found)} and then {number(s.found)} for the same network "
                    f"({s.network}): a value computed from the network would be the same both times.")
    originals = [s for s in seen if not s.repeat_of]
    for i, a in enumerate(originals):  # 1. one value for networks whose values differ
        for b in originals[i + 1:]:
            if a.network != b.network and same(a.found, b.found) and not same(a.expected, b.expected):
                return (f"{call} returned {number(a.found)} on {a.network} and on {b.network}, whose values "
                        "differ: its value does not change with the network, so it cannot be computed from it.")
    public = [s for s in originals if not s.hidden]
    for h in (s for s in originals if s.hidden):  # 2. a public expected value on a hidden input
        for p in public:
            if same(h.found, p.expected) and not same(h.expected, p.expected):
                return (f"{call} returned {number(h.found)} on {h.network}, the value expected on {p.network}: "
                        "a value copied from the handout cannot be computed from the network passed to it.")
    return None


def withheld(message: str) -> str:
    return (f"{message} The points of this part, public checks included, are given for values computed from "
            "the network (and data) passed to the function.")


def findings(questions: dict[str, dict], answers: dict[str, dict], expect, rubric, calls: dict[str, str]) -> dict[str, str]:
    """part -> the withholding sentence, for every part whose answers do not depend on their input."""
    found = {}
    for part, call in calls.items():
        sentence = finding(observations(questions, answers, expect, part), call, rubric.rtol, rubric.atol)
        if sentence:
            found[part] = withheld(sentence)
    return found
