"""What the grader asks of a submission, and the cleaning of what comes back.

A question is a plain dict (JSON for the child) with an id, the part it counts
for, a kind (mix, grad, reg, train) and its inputs. The checks compute their
expected values from the same inputs with the oracle; the child never sees them.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from . import networks
from .networks import Network
from .sandbox.runner import clean_text

STATUSES = ("ok", "missing", "not_implemented", "error", "bad_value", "bad_class",
            "timeout", "crashed", "skipped", "load_failed")
# How feedback names the call each part grades.
CALLS = {"Mix": "Mix(nn)", "Grad": "Grad(nn,X)", "FrobClassifier": "FrobClassifier.reg()",
         "MixClassifier": "MixClassifier.reg()"}
# Rows of Xtest asked about one at a time: a benign and a malignant sample, and one near the boundary.
SINGLE_ROWS = (0, 17, 203)


@lru_cache(maxsize=1)
def data() -> dict[str, np.ndarray]:
    from .scaffold import stored

    Xtrain, Ttrain, Xtest, Ttest = stored.breast_cancer()
    return {"Xtrain": Xtrain, "Ttrain": Ttrain, "Xtest": Xtest, "Ttest": Ttest}


def net_question(qid: str, part: str, kind: str, net: Network, **extra) -> dict:
    return {"id": qid, "part": part, "kind": kind, "net": net, **extra}


def build(rubric, seed: int | None, own_figures: bool = False) -> list[dict]:
    """Every question of a grading, in the order the lanes ask them; no hidden ones without a seed.

    Hidden questions are marked `hidden`. The public ones of each value part are asked once more
    at the end (`repeat_of`): a function of its input gives the same value for the same input,
    and one that counts its calls to return the handout's numbers does not (hardcoded.py).
    """
    public = networks.public()
    n = rubric.hidden_networks
    hidden = (lambda check_id: networks.hidden(seed, check_id, n)) if seed is not None else (lambda _: [])
    qs = [net_question(f"mix/{key}", "Mix", "mix", public[key]) for key in ("initial", "trained")]
    qs += [net_question(f"mix/hidden/{k}", "Mix", "mix", net, hidden=True)
           for k, net in enumerate(hidden("mix_hidden_networks"))]
    qs += repeats(qs)
    qs += grad_questions(public, seed, hidden("grad_hidden_inputs"))
    for part, prefix in (("FrobClassifier", "frob"), ("MixClassifier", "mixc")):
        mine = [net_question(f"{prefix}/reg/{key}", part, "reg", public[key], cls=part) for key in ("initial", "trained")]
        mine += [net_question(f"{prefix}/reg/hidden/{k}", part, "reg", net, cls=part, hidden=True)
                 for k, net in enumerate(hidden(f"{prefix}_reg_hidden"))]
        qs += mine + repeats(mine)
        qs.append({"id": f"{prefix}/train", "part": part, "kind": "train", "cls": part, "own_figures": own_figures})
    return qs


def grad_questions(public: dict, seed: int | None, hidden_nets: list[Network]) -> list[dict]:
    qs = [net_question("grad/initial/Xtest", "Grad", "grad", public["initial"], X={"data": "Xtest"})]
    for name in ("Xtest", "Xtrain"):
        qs.append(net_question(f"grad/trained/{name}", "Grad", "grad", public["trained"], X={"data": name}))
    for row in SINGLE_ROWS:
        qs.append(net_question(f"grad/row/{row}", "Grad", "grad", public["trained"],
                               X={"data": "Xtest", "rows": [row]}))
    for k, net in enumerate(hidden_nets):
        inputs = networks.random_inputs(seed, f"grad_hidden_inputs/{k}")
        qs.append(net_question(f"grad/hidden/{k}", "Grad", "grad", net, X={"array": inputs}, hidden=True))
    qs += repeats(qs[:2])
    # Advice only: the notebook passes numpy arrays, but a Grad that also takes tensors is more useful.
    qs.append(net_question("grad/tensor", "Grad", "grad", public["trained"], X={"data": "Xtest"}, advisory=True))
    return qs


def repeats(questions: list[dict]) -> list[dict]:
    """The public questions among `questions` once more, in reverse order."""
    return [{**q, "id": f"{q['id']}/again", "repeat_of": q["id"]}
            for q in reversed(questions) if not q.get("hidden")]


def inputs_of(question: dict) -> np.ndarray:
    """The X a grad question hands to Grad, as the child builds it."""
    spec = question["X"]
    if "array" in spec:
        return np.asarray(spec["array"], dtype=np.float64)
    X = data()[spec["data"]]
    return X[spec["rows"]] if "rows" in spec else X


def lanes(questions: list[dict], cores: int = 2) -> list[list[dict]]:
    """Two children, one per core, so that the two 10,000-step trainings run side by side; with
    one core, one child answers everything (a second would only import torch once more)."""
    second = [q for q in questions if q["part"] == "MixClassifier"]
    first = [q for q in questions if q["part"] != "MixClassifier"]
    if cores < 2:
        first, second = first + second, []
    for lane in (first, second):
        lane.sort(key=lambda q: q["kind"] == "train")  # trainings last: cheap answers come back first
    return [first, second]


def to_json(question: dict) -> dict:
    out = {k: v for k, v in question.items() if k not in ("net", "advisory", "hidden", "repeat_of")}
    if "net" in question:
        out.update(question["net"].to_json())
    if "X" in question:
        spec = dict(question["X"])
        if "array" in spec:
            spec["array"] = np.asarray(spec["array"]).tolist()
        out["X"] = spec
        out["as"] = "tensor" if question.get("advisory") else "numpy"
    return out


def clean(answer: dict | None, question: dict) -> dict:
    """Keep only well-formed fields of a child's answer: numbers finite or flagged, arrays of the right shape."""
    if not isinstance(answer, dict) or answer.get("status") not in STATUSES:
        return {"status": "crashed", "message": "sent an answer the grader could not read"}
    out: dict = {"status": answer["status"]}
    for key in ("message", "found", "no_gradient", "after"):
        if key in answer:
            out[key] = clean_text(answer[key])
    if "seconds" in answer and type(answer["seconds"]) in (int, float):
        out["seconds"] = float(answer["seconds"])
    if out["status"] == "ok" and question["kind"] in ("mix", "grad", "reg"):
        value = answer.get("value")
        if type(value) not in (int, float):
            return {"status": "bad_value", "found": "no number"}
        out["value"] = float(value)
        out["finite"] = math.isfinite(out["value"])
    if question["kind"] == "grad":
        advice = answer.get("advice", [])
        out["advice"] = [a for a in advice if a in ("input_modified", "gradients_left")] if isinstance(advice, list) else []
    if question["kind"] == "reg" and out["status"] == "ok":
        out["grad_W"] = array(answer.get("grad_W"), (networks.H, networks.D))
        out["grad_b_nonzero"] = answer.get("grad_b_nonzero") is True
    if question["kind"] == "train" and out["status"] == "ok":
        out["W"] = array(answer.get("W"), (networks.H, networks.D))
        out["b"] = array(answer.get("b"), (networks.H,))
        if out["W"] is None or out["b"] is None or not (np.isfinite(out["W"]).all() and np.isfinite(out["b"]).all()):
            return {"status": "bad_value", "found": "weights that are not finite numbers of the handout's shape"}
        own = answer.get("own") if isinstance(answer.get("own"), dict) else {}
        out["own"] = {k: float(v) for k, v in own.items()
                      if k in ("grad_xtest", "mix") and type(v) in (int, float) and math.isfinite(v)}
    return out


def array(value, shape: tuple[int, ...]) -> np.ndarray | None:
    """A float64 array of exactly `shape` from nested JSON lists, or None."""
    if not isinstance(value, list):
        return None
    try:
        a = np.array(value, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        return None
    return a if a.shape == shape else None
