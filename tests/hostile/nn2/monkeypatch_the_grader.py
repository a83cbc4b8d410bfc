# attack: patches the child's own grader code (autograder.child.main and the homework's answering functions) and pytest so that every Mix question is answered "ok" with a chosen number
# defence: the child's code decides nothing; the parent cleans every answer and compares it with the oracle, in its own process
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1 on
def Mix(nn):
    import sys
    main = sys.modules["autograder.child.main"]
    real = main.answer
    main.answer = lambda kinds, ns, q: ({"event": "answer", "id": q["id"], "status": "ok", "value": 1.0,
                                         "passed": True} if q["kind"] == "mix" else real(kinds, ns, q))
    answers = sys.modules["autograder.homeworks.nn2.child.answers"]
    kinds = sys.modules["autograder.homeworks.nn2.child.kinds"]
    kinds.MIX.handlers["answer"] = lambda ns, inputs: (answers.Status.OK, {"value": 1.0, "passed": True})
    try:
        import pytest
        pytest.approx = lambda *a, **k: 1.0
        pytest.main = lambda *a, **k: 0
    except Exception:
        pass
    return 1.0
