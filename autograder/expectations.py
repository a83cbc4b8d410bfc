"""Where a check's expected numbers come from: computed by the oracle, or read from stored numbers.

The grader computes every expected value from the sheet's closed forms
(`Computed`). The students' self-check must not hold those formulas, so it reads
the expected values of the public checks, and the values of the classic
mistakes on them, from a file of numbers (`Stored`) that `Computed` wrote.
The checks ask through one interface and never know which they got.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import questions, sealed
from .feedback import named_mistake
from .questions import data

PUBLIC_FILE = Path(__file__).parent / "data" / "public_expected.json"


def forward_accuracy(W, b, X, T) -> float:
    """The handout's score(): sign of relu(X W^T + b) s against the labels (the forward pass, no answer)."""
    h = W.shape[0]
    s = np.concatenate([np.ones(h // 2), -np.ones(h - h // 2)])
    return float((np.sign(np.maximum(X @ W.T + b, 0) @ s) == T).mean())


class Computed:
    """The grader's expectations: closed forms from autograder/oracle.py, mistakes from hints.py."""

    def __init__(self, rubric, questions: dict[str, dict]):
        from . import hints, oracle

        self.oracle, self.hints = oracle, hints
        self.rubric, self.questions = rubric, questions

    def _lam(self, part):
        return self.rubric.frob_lambda if part == "FrobClassifier" else self.rubric.mix_lambda

    def value(self, qid: str) -> float:
        q, o = self.questions[qid], self.oracle
        net = q["net"]
        if q["kind"] == "mix":
            return o.mix(net.W)
        if q["kind"] == "grad":
            from .questions import inputs_of
            return o.grad(net.W, net.b, o.pooling_signs(net.W.shape[0]), inputs_of(q))
        if q["part"] == "FrobClassifier":
            return o.frob_penalty(net.W, self._lam(q["part"]))
        return o.mix_penalty(net.W, self._lam(q["part"]))

    def gradient(self, qid: str) -> np.ndarray:
        q, o = self.questions[qid], self.oracle
        f = o.frob_penalty_gradient if q["part"] == "FrobClassifier" else o.mix_penalty_gradient
        return f(q["net"].W, self._lam(q["part"]))

    def alternatives(self, qid: str) -> list[tuple[str, float]]:
        return self.hints.candidates(self.questions[qid], self.rubric)

    def mistake(self, qid: str, found: float) -> str | None:
        """The sentence of the classic mistake whose value `found` matches, if any."""
        return named_mistake(found, self.alternatives(qid), self.rubric.rtol, self.rubric.atol)

    def figures(self, part: str, answer: dict) -> dict[str, float | None]:
        o, d, W, b = self.oracle, data(), answer["W"], answer["b"]
        s = o.pooling_signs(W.shape[0])
        norm = float(np.sqrt(W.shape[0])) * o.frob(W) if part == "FrobClassifier" else o.mix(W)
        return {
            "train_accuracy": o.accuracy(W, b, s, d["Xtrain"], d["Ttrain"]),
            "test_accuracy": o.accuracy(W, b, s, d["Xtest"], d["Ttest"]),
            "grad_xtest": o.grad(W, b, s, d["Xtest"]),
            "penalized_norm": norm,
        }

    def public_numbers(self, qids: list[str]) -> dict:
        """The numbers a self-check needs for the public questions `qids` (no formula, no seed)."""
        out = {}
        for qid in qids:
            q = self.questions[qid]
            entry = {"value": self.value(qid)}
            if not q.get("repeat_of"):
                # A mistake that computes the right value here (the mean of one row is its sum) is none.
                right = entry["value"]
                entry["mistakes"] = [sealed.seal(qid, float(v), s) for s, v in self.alternatives(qid)
                                     if np.isfinite(v) and not np.isclose(v, right, rtol=1e-3)]
            if q["kind"] == "reg":
                entry["gradient"] = self.gradient(qid).tolist()
            out[qid] = entry
        return out


def public_numbers(rubric) -> dict:
    """The self-check's numbers for `rubric` (its lambdas decide the penalties' expected values)."""
    asked = {q["id"]: q for q in questions.build(rubric, seed=None)}
    return Computed(rubric, asked).public_numbers([qid for qid, q in asked.items() if q["kind"] != "train"])


class Stored:
    """The self-check's expectations: numbers for the public networks, nothing to compute them with.

    After training, it recomputes the accuracies (the handout's forward pass) and
    sqrt(h)*||W||_Frob (the handout's Frob). Grad on Xtest and ||W||_Mix would need the
    answers themselves: it takes the student's own Grad and Mix on the trained network,
    but only once their public checks passed (`trusted`); otherwise that band is left to
    the grader (None).
    """

    def __init__(self, numbers: dict, rtol: float = 1e-4):
        self.stored = numbers
        self.rtol = rtol
        self.trusted: set[str] = set()  # "Mix", "Grad": parts whose public checks all passed

    @classmethod
    def for_rubric(cls, rubric) -> "Stored":
        """The numbers shipped with the student bundle; in the grader's own checkout, computed for `rubric`."""
        if PUBLIC_FILE.exists():
            return cls(json.loads(PUBLIC_FILE.read_text()), rubric.rtol)
        return cls(public_numbers(rubric), rubric.rtol)

    def value(self, qid: str) -> float:
        return self.stored[qid]["value"]

    def gradient(self, qid: str) -> np.ndarray:
        return np.array(self.stored[qid]["gradient"], dtype=np.float64)

    def mistake(self, qid: str, found: float) -> str | None:
        """The sealed sentence `found` opens: only the wrong number itself is the key (sealed.py)."""
        return sealed.unseal(qid, found, self.stored[qid].get("mistakes", []), self.rtol)

    def figures(self, part: str, answer: dict) -> dict[str, float | None]:
        d, W, b, own = data(), answer["W"], answer["b"], answer.get("own", {})
        if part == "FrobClassifier":
            norm = float(np.sqrt(W.shape[0]) * np.sqrt((W ** 2).sum()))
        else:
            norm = own.get("mix") if "Mix" in self.trusted else None
        return {
            "train_accuracy": forward_accuracy(W, b, d["Xtrain"], d["Ttrain"]),
            "test_accuracy": forward_accuracy(W, b, d["Xtest"], d["Ttest"]),
            "grad_xtest": own.get("grad_xtest") if "Grad" in self.trusted else None,
            "penalized_norm": norm,
        }
