"""The sheet's theory as oracles: closed forms, bounds, and torch's autograd held against each other.

The oracle (numpy, closed forms) decides scores; the reference solution (torch)
is an independent implementation. Property tests on random networks check that
the two agree and that both respect the proven bounds.
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

from autograder.grading import submission
from autograder.child.main import run_statements
from autograder.homeworks.nn2 import oracle
from autograder.homeworks.nn2.child import answers as probes
from autograder.homeworks.nn2.child.kinds import NetworkInputs
from conftest import NN2

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)  # the same examples on every run


@pytest.fixture(scope="module")
def reference():
    """The reference answers, run in the handout's namespace as the grader's child runs them."""
    sub = submission.load(NN2.reference, NN2.handout)
    namespace, errors = probes.prepare(sub.to_request()["statements"], sub.cell_sources, run_statements)
    assert errors == []
    return namespace


def random_network(seed, h=None, d=None, n=None):
    rng = np.random.default_rng(seed)
    h = h or int(rng.integers(2, 40))
    d = d or int(rng.integers(1, 12))
    n = n or int(rng.integers(1, 15))
    scale = rng.choice([0.01, 0.3, 1.0, 10.0])
    W = rng.normal(0, scale, (h, d)) * (rng.random((h, d)) < rng.choice([0.3, 1.0]))
    b = rng.normal(0, scale, h)
    s = rng.choice([-1.0, 1.0], h)
    X = rng.normal(0, 2, (n, d))
    return W, b, s, X


@SETTINGS
@given(st.integers(0, 2**32 - 1))
def test_grad_is_at_most_mix_which_is_at_most_sqrt_h_frob(seed):
    W, b, s, X = random_network(seed)
    h = W.shape[0]
    per_sample = np.linalg.norm(oracle.input_gradients(W, b, s, X), axis=1)
    assert (per_sample <= oracle.mix(W) * (1 + 1e-12)).all()
    assert oracle.grad(W, b, s, X) <= oracle.mix(W) * (1 + 1e-12)
    assert oracle.mix(W) <= np.sqrt(h) * oracle.frob(W) * (1 + 1e-12)


@SETTINGS
@given(st.integers(0, 2**32 - 1))
def test_the_closed_form_input_gradient_is_torchs_autograd(seed):
    W, b, s, X = random_network(seed)
    Xt = torch.tensor(X, requires_grad=True)
    f = torch.relu(Xt @ torch.tensor(W).T + torch.tensor(b)) @ torch.tensor(s)
    (g,) = torch.autograd.grad(f.sum(), Xt)
    assert np.allclose(oracle.input_gradients(W, b, s, X), g.numpy(), rtol=1e-10, atol=1e-12)


@SETTINGS
@given(st.integers(0, 2**32 - 1), st.sampled_from(["frob", "mix"]))
def test_the_penalty_gradients_are_torchs_autograd_of_the_penalties(seed, which):
    W, _, _, _ = random_network(seed)
    Wt = torch.tensor(W, requires_grad=True)
    if which == "frob":
        value = 0.005 * W.shape[0] * (Wt ** 2).sum()
        expected = oracle.frob_penalty_gradient(W, 0.005)
        assert np.isclose(value.item(), oracle.frob_penalty(W, 0.005))
    else:
        value = 0.025 * (Wt.abs().sum(dim=0) ** 2).sum()
        expected = oracle.mix_penalty_gradient(W, 0.025)
        assert np.isclose(value.item(), oracle.mix_penalty(W, 0.025))
    (g,) = torch.autograd.grad(value, Wt)
    assert np.allclose(g.numpy(), expected, rtol=1e-10, atol=1e-12)


@SETTINGS
@given(st.integers(0, 2**32 - 1))
def test_the_mix_penalty_gradient_matches_finite_differences(seed):
    W, _, _, _ = random_network(seed, h=6, d=4)
    W[np.abs(W) < 1e-3] = 0.5  # |w| is not differentiable at 0: keep finite differences off the kink
    eps = 1e-6
    numeric = np.zeros_like(W)
    for idx in np.ndindex(*W.shape):
        up, down = W.copy(), W.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (oracle.mix_penalty(up, 0.025) - oracle.mix_penalty(down, 0.025)) / (2 * eps)
    assert np.allclose(numeric, oracle.mix_penalty_gradient(W, 0.025), rtol=1e-5, atol=1e-7)


def load_network(namespace, W, b):
    net = namespace["NeuralNetworkClassifier"]()
    probes.set_weights(net, NetworkInputs(W=W.tolist(), b=b.tolist()))
    layer = list(net.model)[0]
    return net, layer.weight.detach().double().numpy(), layer.bias.detach().double().numpy()


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.integers(0, 2**32 - 1))
def test_the_reference_solution_agrees_with_the_oracle_on_random_networks(reference, seed):
    W, b, _, X = random_network(seed, h=100, d=30, n=20)
    net, W32, b32 = load_network(reference, W, b)
    s = oracle.pooling_signs()
    assert np.isclose(float(reference["Mix"](net)), oracle.mix(W32), rtol=1e-5)
    assert np.isclose(float(reference["Grad"](net, X)), oracle.grad(W32, b32, s, X), rtol=1e-4, atol=1e-6)
    for name, expected in (("FrobClassifier", oracle.frob_penalty(W32, 0.005)),
                           ("MixClassifier", oracle.mix_penalty(W32, 0.025))):
        obj = reference[name]()
        probes.set_weights(obj, NetworkInputs(W=W.tolist(), b=b.tolist()))
        assert np.isclose(float(obj.reg()), expected, rtol=1e-5)
