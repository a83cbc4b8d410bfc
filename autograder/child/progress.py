"""Progress of a long question (a training), told to the parent while it runs, when the parent asks.

The self-check shows a student how far a 10,000-step training is; the grader does not ask, and
then `report` does nothing. A pack's answering code calls `report(done, total)` as often as it
likes: a line goes out at most every INTERVAL seconds, and at the end.
"""

import time

INTERVAL = 1.0
_state = {"send": None, "question": None, "last": 0.0}


def start(send, question_id: str) -> None:
    """Report on `question_id` through `send(message)`; the child's main loop calls this per question."""
    _state.update(send=send, question=question_id, last=0.0)


def stop() -> None:
    _state.update(send=None, question=None)


def wanted() -> bool:
    """Whether the parent asked for progress on the question running now."""
    return _state["send"] is not None


def report(done: int, total: int) -> None:
    send = _state["send"]
    if send is None:
        return
    now = time.monotonic()
    if done < total and now - _state["last"] < INTERVAL:
        return
    _state["last"] = now
    send({"event": "progress", "id": _state["question"], "done": int(done), "total": int(total)})
