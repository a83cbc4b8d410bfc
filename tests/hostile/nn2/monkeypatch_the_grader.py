# attack: patches the child's own grader code (autograder.probes) and pytest so that every Mix question is answered "ok" with a chosen number
# defence: the child's code decides nothing; the parent cleans every answer and compares it with the oracle, in its own process
# scores: Mix=0 Grad=12.5 FrobClassifier=0 MixClassifier=0
# message: Mix(nn) returned 1 on
def Mix(nn):
    import sys
    probes = sys.modules["autograder.probes"]
    real = probes.answer
    probes.answer = lambda ns, q: {"status": "ok", "value": 1.0, "passed": True} if q["kind"] == "mix" else real(ns, q)
    try:
        import pytest
        pytest.approx = lambda *a, **k: 1.0
        pytest.main = lambda *a, **k: 0
    except Exception:
        pass
    return 1.0
