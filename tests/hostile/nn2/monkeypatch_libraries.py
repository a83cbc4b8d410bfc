# attack: patches numpy, torch, math, builtins and json so that every comparison says equal, then returns a wrong value
# defence: comparisons happen in the parent process, which never runs student code; the child only sends numbers
# scores: Mix=0 Grad=full FrobClassifier=0 MixClassifier=0
# message: exited with code 1
import builtins, math, json

def Mix(nn):
    numpy.allclose = numpy.isclose = numpy.array_equal = lambda *a, **k: True
    numpy.testing.assert_allclose = lambda *a, **k: None
    torch.allclose = torch.equal = lambda *a, **k: True
    math.isclose = lambda *a, **k: True
    builtins.abs = lambda x: 0
    builtins.isinstance = lambda *a: True
    json.loads = lambda *a, **k: {"score": 40}
    return 1.0
