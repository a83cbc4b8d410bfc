"""Answers that do not depend on their input earn nothing, not even the public checks they match.

The handout prints the expected figures, so a function can return them without computing
anything, and pass the public checks. Three kinds of evidence, each strong on its own:

1. the same value on two networks whose expected values differ (a constant);
2. on a hidden input, a value that is the expected value of a public one (the handout's number);
3. two different values for the same public question asked twice (a function that counts its calls).

Honest partial credit stays: a Grad that reads the global Xtest gives the same value for Xtest and
Xtrain on one network, but different values on different networks, so (1) compares answers on
different networks only. Never a false accusation: (1) compares only inputs under no invariance a
correct or classic answer could have (never an input and its transformed copy, X and X shifted,
which a covariance rightly does not tell apart: Question.variant_of), and a part whose answers match
a named mistake is told that mistake, never this. Nothing here accuses: the feedback says what was
observed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.feedback.sentences import number, same

@dataclass(frozen=True)
class Seen:
    """One answered value question: what was asked about, what came back, what was expected."""

    qid: str
    subject: str  # what the answer must change with, as feedback names it (a network)
    found: object
    expected: object
    hidden: bool
    repeat_of: str
    variant_of: str = ""  # the subject this one is a transformed copy of

    def related(self, other: "Seen") -> bool:
        """One input a transformed copy of the other (or both of a third): their values may rightly agree."""
        return bool(self.variant_of and self.variant_of in (other.subject, other.variant_of)) or bool(
            other.variant_of and other.variant_of == self.subject)


def observations(ctx, part: str) -> list[Seen]:
    """The part's answered value questions (public, hidden and repeated), with their expected values."""
    seen = []
    for qid, q in ctx.questions.items():
        a = ctx.answer(qid)
        if q.part != part or not ctx.homework_kind(q).value or q.advisory:
            continue
        if not a.ok or not a.get("finite", True) or a.get("value") is None:
            continue
        expected = ctx.expect.value(q)
        if expected is None:  # the self-check knows no expected value of a hidden input
            continue
        seen.append(Seen(qid, q.subject, a["value"], expected, q.hidden, q.repeat_of, q.variant_of))
    return seen


def shown(value) -> str:
    return number(float(value)) if np.ndim(value) == 0 else f"the same {'x'.join(map(str, np.shape(value)))} array"


def finding(seen: list[Seen], call: str, rtol: float, atol: float) -> str | None:
    """The sentence for the first kind of evidence found, or None."""
    alike = lambda x, y: same(x, y, rtol, atol) or same(y, x, rtol, atol)
    by_id = {s.qid: s for s in seen}
    for s in seen:  # 3. the same question, two values
        first = by_id.get(s.repeat_of) if s.repeat_of else None
        if first and not alike(first.found, s.found):
            return (f"{call} returned two different values for the same input ({s.subject}): a value computed "
                    "from its input would be the same both times.")
    originals = [s for s in seen if not s.repeat_of]
    for i, a in enumerate(originals):  # 1. one value for inputs whose values differ
        for b in originals[i + 1:]:
            if (a.subject != b.subject and not a.related(b) and alike(a.found, b.found)
                    and not alike(a.expected, b.expected)):
                return (f"{call} returned {shown(a.found)} on {a.subject} and on {b.subject}, whose values "
                        "differ: its value does not change with its input, so it cannot be computed from it.")
    public = [s for s in originals if not s.hidden]
    for h in (s for s in originals if s.hidden):  # 2. a public expected value on a hidden input
        for p in public:
            if alike(h.found, p.expected) and not alike(h.expected, p.expected):
                return (f"{call} returned on {h.subject} the value expected on {p.subject}: a value copied "
                        "from the handout cannot be computed from the input passed to it.")
    return None


def withheld(message: str) -> str:
    return (f"{message} The points of this part, public checks included, are given for values computed from "
            "the inputs passed to the function.")


def named_mistake_made(ctx, part: str) -> bool:
    """Whether an answer of the part computes a classic mistake: that mistake is the student's, said as such."""
    return any(ctx.expect.mistakes(q, a["value"]) for q, a in ctx.value_questions(part))


def findings(ctx) -> dict[str, str]:
    """part -> the withholding sentence, for every part whose answers do not depend on their input."""
    found = {}
    for part, call in ctx.homework.parts.items():
        if named_mistake_made(ctx, part):
            continue
        sentence = finding(observations(ctx, part), call, ctx.rubric.rtol, ctx.rubric.atol)
        if sentence:
            found[part] = withheld(sentence)
    return found
