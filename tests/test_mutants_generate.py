"""The mutant generator and the equivalence decider, on the reference solution.

The generator must give many distinct, compilable mutants of the four answers only; the decider
must call the reference (and an honest rewrite of it) equivalent, and the classic mistakes not.
"""

import ast

import pytest
import torch
from hypothesis import given, settings, strategies as st

from autograder.homeworks.nn2 import equivalence, mutants as operators
from autograder.homeworks.nn2.equivalence import equivalent
from autograder.homeworks.nn2.mutants import FAMILIES
from autograder.mutants import families, generate as generator
from autograder.mutants.generate import Mutant, _answer
from conftest import NN2, NN2_RUBRIC

ANSWERS = {a.name: a.path for a in NN2.answers}


def generate(source, constants=None):
    return generator.generate(source, operators, NN2.answers, constants)

REFERENCE = NN2.reference.read_text()
MIX_RETURN = "return (W.abs().sum(dim=0)**2).sum()**.5"


@pytest.fixture(scope="module")
def mutants() -> list[Mutant]:
    return generate(REFERENCE)


def rewrite(old: str, new: str) -> str:
    """The reference with one piece of text replaced (which must be there exactly once)."""
    assert REFERENCE.count(old) == 1, old
    return REFERENCE.replace(old, new)


def dump(source: str) -> str:
    return ast.dump(ast.parse(source))


# ---------------------------------------------------------------- generation

def test_at_least_150_distinct_mutants_with_unique_readable_ids(mutants):
    assert len(mutants) >= 150
    assert len({dump(m.source) for m in mutants}) == len(mutants)
    assert len({m.id for m in mutants}) == len(mutants)
    for m in mutants:
        assert m.id.startswith(f"{m.target}/{m.operator}/")
        assert m.description.startswith(f"{m.target}: ") and "->" in m.description
        assert "\n" not in m.description


def test_every_mutant_compiles_and_differs_from_the_reference(mutants):
    reference = dump(REFERENCE)
    for m in mutants:
        compile(m.source, m.id, "exec")
        assert dump(m.source) != reference, m.id


def test_only_the_targeted_answer_changes(mutants):
    reference = ast.parse(REFERENCE)
    for m in mutants:
        tree = ast.parse(m.source)
        for target in ANSWERS:
            same = ast.dump(_answer(tree, ANSWERS[target])) == ast.dump(_answer(reference, ANSWERS[target]))
            assert same == (target != m.target), (m.id, target)
        # Nothing outside the answers: the same top-level definitions, in the same order.
        assert [type(n).__name__ + getattr(n, "name", "") for n in tree.body] == \
               [type(n).__name__ + getattr(n, "name", "") for n in reference.body]


def test_every_target_and_the_asked_for_families_have_mutants(mutants):
    assert {m.target for m in mutants} == set(ANSWERS)
    families = {m.operator for m in mutants}
    assert families <= set(FAMILIES)
    assert {
        "swap-binop", "drop-operand", "constant", "swap-dim", "drop-abs", "drop-root", "drop-square",
        "mean-sum", "norm-p", "pooling", "detach", "item", "numpy-roundtrip", "global-data",
        "all-parameters", "layer-index", "swap-lambda", "hidden-size", "return-zero", "swap-norm",
        "grad-of-mean", "norm-of-mean",
    } <= families


def test_the_classic_mistakes_are_among_the_mutants(mutants):
    by_text = {dump(m.source): m for m in mutants}
    for mistake in [
        rewrite(MIX_RETURN, "return (W.abs().sum(dim=1)**2).sum()**.5"),
        rewrite(MIX_RETURN, "return (W.sum(dim=0)**2).sum()**.5"),
        rewrite("0.005*(nh**.5*Frob(self))**2", "0.005*(nh*Frob(self))**2"),
        rewrite("0.025*Mix(self)**2", "0.005*Mix(self)**2"),
        rewrite("nn.predict(X).sum()", "nn.model(X).sum()"),
        rewrite("torch.as_tensor(X,", "torch.as_tensor(Xtest,"),
    ]:
        assert dump(mistake) in by_text


def test_generation_is_deterministic(mutants):
    assert generate(REFERENCE) == mutants


# ---------------------------------------------------------------- equivalence

def test_the_reference_is_equivalent_to_itself():
    assert equivalent(REFERENCE, REFERENCE) == (True, "")


def test_an_honest_rewrite_is_equivalent():
    mutant = rewrite(MIX_RETURN, "return torch.sqrt((W.abs().sum(0)**2).sum())")
    assert equivalent(mutant, REFERENCE) == (True, "")
    # float32 in a source computes in float64 here, so another spelling of Grad agrees to 1e-9.
    grad = rewrite("return dfdx.norm(dim=1).mean()", "return (dfdx**2).sum(dim=1).sqrt().sum() / len(dfdx)")
    assert equivalent(grad, REFERENCE) == (True, "")


@pytest.mark.parametrize("old,new,what", [
    (MIX_RETURN, "return W.abs().sum(dim=0).sum()**.5", "Mix on network"),  # the missing square
    ("0.025*Mix(self)**2", "0.025*Mix(self).detach()**2", "MixClassifier.reg()'s gradient"),
    ("0.005*(nh**.5*Frob(self))**2", "0.005*(nh**.5*Frob(self)).item()**2", "FrobClassifier.reg()'s gradient"),
    ("torch.as_tensor(X,", "torch.as_tensor(Xtest,", "Grad on network"),
    ("0.005*(nh**.5*Frob(self))**2",
     "0.005*nh*sum((p**2).sum() for p in self.model.parameters())", "FrobClassifier.reg() on network"),
])
def test_known_mistakes_are_not_equivalent_and_say_where(old, new, what):
    same, reason = equivalent(rewrite(old, new), REFERENCE)
    assert not same
    assert what in reason and " vs " in reason


def test_an_unused_bias_and_a_zero_bias_gradient_are_the_same_but_a_penalized_bias_is_not():
    # The grader only asks whether reg()'s bias gradient is nonzero; so does the decider.
    zero = rewrite("0.025*Mix(self)**2", "0.025*Mix(self)**2 + 0*list(self.model)[0].bias.sum()")
    assert equivalent(zero, REFERENCE) == (True, "")
    penalized = rewrite("0.025*Mix(self)**2", "0.025*Mix(self)**2 + 0.025*(list(self.model)[0].bias**2).sum()")
    same, reason = equivalent(penalized, REFERENCE)
    assert not same and "MixClassifier.reg()" in reason


def test_raising_alike_is_equal_and_raising_alone_is_a_difference():
    broken = rewrite(MIX_RETURN, "raise ValueError('no')")
    same, reason = equivalent(broken, REFERENCE)
    assert not same and "raises ValueError" in reason
    assert equivalent(broken, broken) == (True, "")


def test_the_decider_computes_in_float64_and_restores_the_default_dtype():
    before = torch.get_default_dtype()
    assert "torch.float64" in equivalence.in_float64("x = torch.as_tensor(X, dtype=torch.float32).float()")
    assert ".double()" in equivalence.in_float64("x = y.float()")
    observations = equivalence.behaviour(REFERENCE, equivalence.make_cases(3, 0))
    assert torch.get_default_dtype() == before
    assert observations[0] == ("running the module", ("ok",))
    values = [o for _, o in observations if o[0] == "value"]
    assert values and all(v[1].dtype.name == "float64" for v in values)


@settings(max_examples=12, deadline=None, derandomize=True)
@given(st.one_of(st.just(2.0), st.floats(-3, 4).filter(lambda c: abs(c - 2) > 1e-3)))
def test_a_changed_exponent_in_mix_is_equivalent_only_when_unchanged(c):
    mutant = rewrite(MIX_RETURN, f"return (W.abs().sum(dim=0)**{c!r}).sum()**.5")
    same, reason = equivalent(mutant, REFERENCE, n_networks=10)
    assert same == (c == 2.0), reason


def test_the_public_constant_family_returns_the_handouts_numbers_and_is_never_equivalent():
    constants = families.public_values(NN2, NN2_RUBRIC)
    found = [m for m in generate(REFERENCE, constants) if m.operator == "public-constant"]
    # Per answer: each public value as a constant, and all of them in turn (a call counter).
    assert {m.target for m in found} == set(ANSWERS) and len(found) == sum(len(v) + 1 for v in constants.values())
    for m in found:
        assert "\n" not in m.description and m.description.startswith(f"{m.target}: the whole body -> ")
        same, reason = equivalent(m.source, REFERENCE)
        assert not same and reason, m.id
