"""What crosses the trust boundary: a question to the child, an answer back. Both sides use this module.

A question is sent as JSON: its id, its kind (which answering function of the homework's child
code runs) and its inputs (plain numbers and lists). Everything else about it (the network it
is about as an object, how feedback names it, whether it is hidden) stays with the parent.
An answer comes back as one JSON line: the id, a status, and fields of plain numbers and
lists that the parent cleans against the kind's declared fields before any check reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Status(str, Enum):
    """How a question ended; the str value is what travels on the wire."""

    OK = "ok"
    MISSING = "missing"  # the answer's name is not defined
    NOT_IMPLEMENTED = "not_implemented"  # the handout's TODO body is still there
    ERROR = "error"  # the student's code raised
    BAD_VALUE = "bad_value"  # it returned something of the wrong type or shape
    BAD_CLASS = "bad_class"  # a class that does not derive from the handout's
    TIMEOUT = "timeout"  # parent: it ran over its time limit
    CRASHED = "crashed"  # parent: the process ended under it, or sent nonsense
    SKIPPED = "skipped"  # parent: not asked, after a timeout or crash in the same part
    LOAD_FAILED = "load_failed"  # parent: the definitions could not be loaded at all
    OUT_OF_TIME = "out_of_time"  # parent: not answered when the grading's total time ran out
    GRADER_ERROR = "grader_error"  # the pack's own code broke its contract (child/contract.py): not the student's

    @classmethod
    def of(cls, text) -> "Status | None":
        try:
            return cls(text)
        except ValueError:
            return None


# Statuses that say the answer is absent, not wrong: a hidden check repeats the public message.
ABSENT = (Status.MISSING, Status.NOT_IMPLEMENTED, Status.BAD_CLASS, Status.LOAD_FAILED)


@dataclass(eq=False)
class Question:
    """One thing asked of the student's code."""

    id: str
    part: str  # the rubric part it counts for
    kind: str  # the answering function in the child, and the fields of its answer
    inputs: object  # the kind's typed inputs (child/contract.py Inputs), sent to the child as JSON
    label: str = ""  # how feedback names what was asked about: "the trained network with X = Xtest"
    about: Any = None  # the parent's own view of the inputs (a Network, an array): never sent
    subject: str = ""  # what the answer must change with (the network): hardcoded.py, factors; default: label
    # The subject this one is a transformed copy of (X shifted): an answer may rightly agree on both.
    variant_of: str = ""
    hidden: bool = False  # drawn from the secret seed: feedback never shows its expected value
    advisory: bool = False  # costs no points: only advice is drawn from it
    repeat_of: str = ""  # the same question asked again, to tell a function from a call counter
    long: bool = False  # a training: the longer time limit applies, and it is asked last

    def __post_init__(self):
        self.subject = self.subject or self.label

    def __repr__(self) -> str:  # not its inputs: a network is 3,000 numbers
        return f"Question({self.id!r}, {self.kind!r})"

    def wire(self) -> dict:
        """What the child (and the lane that asks it) gets: the part and the time limit's kind ride along."""
        inputs = self.inputs.wire() if hasattr(self.inputs, "wire") else self.inputs
        return {"id": self.id, "part": self.part, "kind": self.kind, "long": self.long, "inputs": inputs}

    def again(self) -> "Question":
        return Question(f"{self.id}/again", self.part, self.kind, self.inputs, self.label, self.about,
                        self.subject, self.variant_of, self.hidden, self.advisory, self.id, self.long)


@dataclass
class Answer:
    """A cleaned answer: a status and the kind's fields that passed cleaning."""

    status: Status
    fields: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.fields[key]

    def get(self, key, default=None):
        return self.fields.get(key, default)

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


def answer_line(question_id: str, status: Status, **fields) -> dict:
    """What the child sends for one question."""
    return {"event": "answer", "id": question_id, "status": status.value, **fields}
