"""Sharing trainings between gradings of our own code: the key is exactly the code a class depends on."""

import inprocess
from autograder.grading import submission
from autograder.grading.trainings import Trainings
from conftest import NN2, REFERENCE_NOTEBOOK, ROOT, edited

REFERENCE = NN2.reference.read_text()


def load(tmp_path, text):
    path = tmp_path / "s.py"
    path.write_text(text)
    return submission.load(path, NN2.handout)


def keys(tmp_path, text):
    sub = load(tmp_path, text)
    trainings = [q for q in inprocess.asked(NN2, seed=False)[0] if q.long]
    return {q.part: Trainings.key(sub, q.wire(), NN2) for q in trainings}


def test_a_change_to_grad_keeps_both_keys(tmp_path):
    changed = edited(REFERENCE, "dfdx.norm(dim=1).mean()", "dfdx.norm(dim=1).sum()")
    assert keys(tmp_path, changed) == keys(tmp_path, REFERENCE)


def test_a_change_to_mix_changes_the_key_of_the_class_that_calls_it_only(tmp_path):
    changed = edited(REFERENCE, "W.abs().sum(dim=0)", "W.abs().sum(dim=1)")
    before, after = keys(tmp_path, REFERENCE), keys(tmp_path, changed)
    assert after["FrobClassifier"] == before["FrobClassifier"]
    assert after["MixClassifier"] != before["MixClassifier"]


def test_helpers_and_constants_a_class_reads_are_part_of_its_key(tmp_path):
    text = edited(REFERENCE, "return 0.005*(nh**.5*Frob(self))**2", "return LAM*(nh**.5*Frob(self))**2") + "\nLAM = 0.005\n"
    other = edited(text, "LAM = 0.005", "LAM = 0.006")
    assert keys(tmp_path, text)["FrobClassifier"] != keys(tmp_path, other)["FrobClassifier"]
    assert keys(tmp_path, text)["MixClassifier"] == keys(tmp_path, other)["MixClassifier"]


def test_answers_are_shared_through_a_folder(tmp_path):
    first, second = Trainings(tmp_path / "t"), Trainings(tmp_path / "t")
    first.put("k", {"status": "ok", "W": [[1.0]]})
    assert second.get("k") == {"status": "ok", "W": [[1.0]]} and second.get("other") is None
    assert second.hits == 1


def test_comments_and_layout_do_not_change_a_key(tmp_path):
    reformatted = edited(REFERENCE, "return 0.025*Mix(self)**2", "return 0.025 * Mix(self) ** 2  # lambda*||W||_Mix^2")
    assert keys(tmp_path, reformatted) == keys(tmp_path, REFERENCE)


# ----------------------------------------------------------------------------- torch's compiler, not imported

TRAIN = """
import hashlib, sys
sys.path[:0] = [sys.argv[1]]
import torch
from autograder.child import compiler
from autograder.homeworks.nn2.child import answers
namespace, _ = answers.prepare([], {}, lambda *a: [], child=True)
exec(open(sys.argv[1] + "/reference/nn2/solution.py").read(), namespace)
torch.set_flush_denormal(True)
net = namespace["FrobClassifier"]()
if sys.argv[2] == "stand-in":
    with compiler.not_imported():
        net.fit(namespace["Xtrain"], namespace["Ttrain"], nbit=300)
else:
    net.fit(namespace["Xtrain"], namespace["Ttrain"], nbit=300)
real = type(sys.modules.get("torch._dynamo")).__name__ == "module"
print(hashlib.sha256(list(net.model)[0].weight.detach().numpy().tobytes()).hexdigest(), real)
if sys.argv[2] == "stand-in":  # anything but what eager training asks loads the real module
    with compiler.not_imported():
        import torch._dynamo
        assert callable(torch._dynamo.reset) and type(sys.modules["torch._dynamo"]).__name__ == "module"
"""


def test_a_training_without_torchs_compiler_is_bit_identical_and_never_imports_it():
    import subprocess
    import sys

    runs = {mode: subprocess.run([sys.executable, "-c", TRAIN, str(ROOT), mode], capture_output=True, text=True)
            for mode in ("stand-in", "real")}
    assert all(r.returncode == 0 for r in runs.values()), {m: r.stderr[-2000:] for m, r in runs.items()}
    (stood, real_after_stand_in), (plain, real_after_plain) = (r.stdout.split() for r in runs.values())
    assert stood == plain  # the same weights, bit for bit
    assert real_after_stand_in == "False" and real_after_plain == "True"
