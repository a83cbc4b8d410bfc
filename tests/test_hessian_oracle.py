"""The theory of the "hessian" homework as an oracle: the oracle, the reference and the handout agree.

Everything runs in this process (our own code, torch on the CPU): the oracle against the
sheet's theory, finite differences and autograd; the reference against the oracle, executed on
top of the handout's provided cells the way the notebook runs them; and the handout notebook
itself. The catalog of correct and wrong submissions is graded by the real grader in
test_catalog.py.

Tolerances are scale-relative, max |found - expected| <= rtol * max |expected| (measured on
this machine; see RTOL): the answers may be float32, the oracle is float64.
"""

from __future__ import annotations

import contextlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings, strategies as st

import catalog
from autograder import homework
from autograder.homeworks.hessian import oracle
from autograder.scaffold.cell import SELFCHECK
from autograder.homeworks.hessian.child import utils as hessian_utils
from autograder.homeworks.hessian.child.handout import HANDOUT as handout

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = (ROOT / "reference" / "hessian" / "solution.py").read_text()
PARTS = tuple(handout.ANSWERS)

# Measured worst cases of the reference and the correct catalog against the oracle (900 random
# cases, d 1..12, N 1..300, numpy and float32-tensor inputs; and the notebook's N = 2000):
#   matrices: 7.3e-7 (1.4e-6 at N = 2000) for float32 autograd of N products; numpy answers ~1e-15;
#   condition numbers: 2e-13 in float64; a float32 eigvalsh of the same H is off by ~eps32 * kappa (5e-7 here);
#   prediction: 2e-13 (through eigvalsh of sigma^2 I + mu mu^T), 4e-16 from the formula;
#   descent curves and final (w, b): 2.7e-6 in float32 (2e-7 over the notebook's 1000 steps).
# Each bound leaves a float32 answer 10-100x room, and stays far below the smallest gap to a
# classic mistake (a factor 2 or N, an inverse, a missing 1, a curve shifted by one step).
RTOL = {"hessian": 1e-4, "autograd_hessian": 1e-4, "condition_number": 1e-5,
        "predicted_condition_number": 1e-6, "gradient_descent": 1e-3}
QUICK = settings(max_examples=25, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow])


def close(found, expected, rtol: float) -> bool:
    found, expected = oracle.as_float64(found), oracle.as_float64(expected)
    if found.shape != expected.shape or not np.all(np.isfinite(found)):
        return False
    return bool(np.max(np.abs(found - expected), initial=0) <= rtol * max(np.max(np.abs(expected), initial=0), 1e-12))


# --- running notebook code ----------------------------------------------------------------------

@contextlib.contextmanager
def handout_utils():
    """`import utils` finds this homework's data function (another homework has a utils too)."""
    saved = sys.modules.get("utils")
    sys.modules["utils"] = hessian_utils
    try:
        yield
    finally:
        if saved is None:
            sys.modules.pop("utils", None)
        else:
            sys.modules["utils"] = saved


def run_code(*sources: str, namespace: dict | None = None) -> dict:
    namespace = {} if namespace is None else namespace
    with handout_utils():
        for source in sources:
            exec(compile(source, "<notebook>", "exec"), namespace)
    return namespace


def submission(path: Path | None = None) -> dict:
    """The provided cells, then the reference's answers, then the file's definitions over them."""
    extra = [path.read_text()] if path else []
    return run_code(handout.provided_source(), REFERENCE, *extra)


# --- the questions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One set of random inputs for all five answers."""
    d: int
    N: int
    seed: int
    lr_factor: float = 1.0  # lr = lr_factor / lambda_max of the (w, b) Hessian: stable below 2
    steps: int = 20
    as_tensor: bool = False  # X and T handed over as float32 torch tensors

    def inputs(self) -> dict:
        rng = np.random.default_rng(self.seed)
        # The prediction 1 + ||mu||^2/sigma^2 needs a direction orthogonal to mu: its mu has d >= 2.
        mu, sigma = rng.normal(0, 2, max(self.d, 2)), float(rng.uniform(0.3, 2))
        X = mu[: self.d] + sigma * rng.standard_normal((self.N, self.d))
        T = rng.choice([-1.0, 1.0], self.N)
        w, b = rng.normal(0, 1, self.d).astype(np.float32), np.float32(rng.normal())
        if self.as_tensor:  # the oracle then sees exactly the float32 numbers the answer sees
            X, T = torch.tensor(X, dtype=torch.float32), torch.tensor(T, dtype=torch.float32)
        Z = mu[: self.d] + sigma * rng.standard_normal((max(3 * self.d, 20), self.d))
        lr = self.lr_factor / oracle.eigenvalues(oracle.hessian_with_bias(X))[-1]
        return dict(X=X, T=T, w=w, b=b, H=oracle.hessian(Z), mu=mu, sigma=sigma, lr=lr, steps=self.steps)


def model_at(namespace: dict, w, b):
    model = namespace["LinearModel"](len(w))
    with torch.no_grad():
        model.w.copy_(torch.from_numpy(np.asarray(w)))
        model.b.fill_(float(b))
    return model


def answer(namespace: dict, part: str, q: dict):
    """What the part's function returns on the question; gradient_descent also reports where the model ended."""
    if part == "hessian":
        return namespace["hessian"](q["X"])
    if part == "autograd_hessian":
        return namespace["autograd_hessian"](model_at(namespace, q["w"], q["b"]), q["X"], q["T"])
    if part == "condition_number":
        return namespace["condition_number"](q["H"])
    if part == "predicted_condition_number":
        return namespace["predicted_condition_number"](q["mu"], q["sigma"])
    model = model_at(namespace, q["w"], q["b"])
    values = namespace["gradient_descent"](model, q["X"], q["T"], q["lr"], q["steps"])
    return values, model.w.detach(), model.b.detach()


def expected(part: str, q: dict):
    if part in ("hessian", "autograd_hessian"):
        return oracle.hessian(q["X"])
    if part == "condition_number":
        return oracle.condition_number(q["H"])
    if part == "predicted_condition_number":
        return oracle.predicted_condition_number(q["mu"], q["sigma"])
    return oracle.gradient_descent(q["w"], q["b"], q["X"], q["T"], q["lr"], q["steps"])


def agrees(namespace: dict, part: str, q: dict) -> bool:
    try:
        found = answer(namespace, part, q)
    except Exception:
        return False
    want, rtol = expected(part, q), RTOL[part]
    if part != "gradient_descent":
        return close(found, want, rtol)
    (values, w, b), (want_values, want_w, want_b) = found, want
    return (isinstance(values, list) and all(isinstance(v, float) for v in values)
            and close(values, want_values, rtol) and close(np.r_[oracle.as_float64(w), float(b)],
                                                           np.r_[want_w, want_b], rtol))


def random_cases(count: int, seed: int) -> list[Case]:
    rng = np.random.default_rng(seed)
    edges = [Case(1, 1, 1), Case(12, 1, 2), Case(1, 300, 3, 1.9), Case(12, 300, 4, 0.3, 40)]
    return edges + [Case(int(rng.integers(1, 13)), int(rng.integers(1, 301)), 10 + k,
                         float(rng.uniform(0.1, 1.9)), int(rng.integers(1, 41))) for k in range(count)]


CASES = random_cases(8, seed=0)
QUESTIONS = [c.inputs() for c in CASES]


# --- the oracle against the theory ---------------------------------------------------------------

means = st.lists(st.floats(-3, 3), min_size=2, max_size=5).map(np.array)
sigmas = st.floats(0.5, 2)


@QUICK
@given(mu=means, sigma=sigmas, seed=st.integers(0, 2**31))
def test_the_empirical_hessian_of_gaussian_data_has_the_population_eigenvalues(mu, sigma, seed):
    n = 100_000
    X, _ = hessian_utils.gaussian_data(mu, sigma, n, seed)
    ev, m2, s2 = oracle.eigenvalues(oracle.hessian(X)), mu @ mu, sigma ** 2
    # Along mu, E[(u.x)^2] averages n terms of variance 4 m^2 s^2 + 2 s^4; across, the d-1 eigenvalues of a
    # Wishart matrix spread over s^2 (1 +- sqrt(d/n))^2. Six standard deviations, and five bulk widths.
    bulk = 5 * s2 * np.sqrt(len(mu) / n)
    assert abs(ev[-1] - (s2 + m2)) <= 6 * np.sqrt((4 * m2 * s2 + 2 * s2 ** 2) / n) + bulk
    assert np.all(np.abs(ev[:-1] - s2) <= bulk)
    assert np.allclose(oracle.population_eigenvalues(mu, sigma), np.linalg.eigvalsh(oracle.population_hessian(mu, sigma)))


@QUICK
@given(mu=st.lists(st.floats(-10, 10), min_size=2, max_size=12).map(np.array), sigma=st.floats(0.1, 10))
def test_the_condition_number_of_the_population_hessian_is_the_prediction(mu, sigma):
    kappa = oracle.predicted_condition_number(mu, sigma)
    assert kappa == 1 + (mu @ mu) / sigma ** 2
    # eigvalsh finds lambda_min to within a few ulps of lambda_max: relative error ~ eps * kappa.
    found = oracle.condition_number(oracle.population_hessian(mu, sigma))
    assert abs(found - kappa) <= 8 * len(mu) * np.finfo(float).eps * kappa ** 2


problems = st.builds(lambda d, N, seed: Case(d, N, seed).inputs(), st.integers(1, 12), st.integers(1, 300),
                     st.integers(0, 2**31))


@QUICK
@given(q=problems)
def test_the_oracle_gradient_is_the_finite_difference_and_the_autograd_gradient(q):
    w, b, X, T = q["w"].astype(float), float(q["b"]), q["X"], q["T"]
    gw, gb = oracle.gradient(w, b, X, T)
    # J is quadratic: a central difference is exact up to rounding, eps * J / h.
    h, J = 1e-5, lambda w, b: oracle.objective(w, b, X, T)
    scale = 1e-9 * max(1.0, J(w, b)) / h
    fd_w = [(J(w + h * e, b) - J(w - h * e, b)) / (2 * h) for e in np.eye(len(w))]
    assert np.allclose(fd_w, gw, atol=scale) and abs((J(w, b + h) - J(w, b - h)) / (2 * h) - gb) <= scale
    model = run_code(handout.defining("LinearModel"), namespace={"d": len(w)})["LinearModel"](len(w))
    wt, bt = torch.tensor(w, requires_grad=True), torch.tensor(b, dtype=torch.float64, requires_grad=True)
    J_torch = model.objective(X, T, w=wt, b=bt)
    assert np.isclose(J_torch.item(), J(w, b), rtol=1e-12)
    aw, ab = torch.autograd.grad(J_torch, [wt, bt])
    assert np.allclose(aw.numpy(), gw, rtol=1e-10, atol=1e-12) and np.isclose(ab.item(), gb, rtol=1e-10, atol=1e-12)


def torch_descent(q) -> list[float]:
    """The same update in torch float64, through the handout's model and autograd."""
    model = run_code(handout.defining("LinearModel"), namespace={})["LinearModel"](len(q["w"]))
    w, b = torch.tensor(q["w"], dtype=torch.float64), torch.tensor(float(q["b"]), dtype=torch.float64)
    values = []
    for _ in range(q["steps"]):
        w, b = w.requires_grad_(True), b.requires_grad_(True)
        J = model.objective(q["X"], q["T"], w=w, b=b)
        values.append(J.item())
        gw, gb = torch.autograd.grad(J, [w, b])
        w, b = (w - q["lr"] * gw).detach(), (b - q["lr"] * gb).detach()
    return values


@QUICK
@given(q=problems, lr_factor=st.floats(0.05, 1.99), steps=st.integers(1, 40))
def test_oracle_descent_is_torchs_and_decreases_below_two_over_lambda_max(q, lr_factor, steps):
    q = dict(q, lr=lr_factor / oracle.eigenvalues(oracle.hessian_with_bias(q["X"]))[-1], steps=steps)
    values, _, _ = oracle.gradient_descent(q["w"], q["b"], q["X"], q["T"], q["lr"], steps)
    assert np.allclose(values, torch_descent(q), rtol=1e-10)
    # J(theta - lr g) - J(theta) = -lr |g|^2 (1 - lr g^T A g / (2 |g|^2)) <= 0 for lr < 2 / lambda_max(A).
    assert np.all(np.diff(values) <= 1e-12 * values[0])


# --- the reference ------------------------------------------------------------------------------

@QUICK
@given(d=st.integers(1, 12), N=st.integers(1, 300), seed=st.integers(0, 2**31), lr_factor=st.floats(0.1, 1.9),
       steps=st.integers(1, 40), as_tensor=st.booleans())
def test_the_reference_agrees_with_the_oracle(d, N, seed, lr_factor, steps, as_tensor):
    q = Case(d, N, seed, lr_factor, steps, as_tensor).inputs()
    reference = submission()
    for part in PARTS:
        assert agrees(reference, part, q), part


@QUICK
@given(q=problems)
def test_autograd_hessian_does_not_depend_on_w_and_b(q):
    reference = submission()
    rng = np.random.default_rng(0)
    first = answer(reference, "autograd_hessian", q)
    for _ in range(2):
        other = dict(q, w=rng.normal(0, 5, len(q["w"])).astype(np.float32), b=np.float32(rng.normal(0, 5)))
        assert close(answer(reference, "autograd_hessian", other), first, RTOL["autograd_hessian"])


# --- the catalog --------------------------------------------------------------------------------

def test_the_handout_builds_and_every_todo_raises_not_implemented():
    cells = handout.cells()
    code = "\n".join(source for kind, source in cells if kind == "code")
    assert code.count("# TODO: Replace by your code") == len(PARTS) == 5
    namespace = run_code(handout.provided_source())
    assert set(handout.PROVIDED_NAMES) <= set(namespace)
    q, model = QUESTIONS[1], namespace["LinearModel"](12)
    calls = {"hessian": (q["X"],), "autograd_hessian": (model, q["X"], q["T"]), "condition_number": (q["H"],),
             "predicted_condition_number": (q["mu"], q["sigma"]), "gradient_descent": (model, q["X"], q["T"], 0.1, 3)}
    for part, todo in handout.ANSWERS.items():
        run_code(todo, namespace=namespace)
        with pytest.raises(NotImplementedError):
            namespace[part](*calls[part])


def test_the_provided_data_and_model_follow_the_sheet():
    ns = run_code(handout.provided_source())
    X, T, Xc, mu = ns["X"], ns["T"], ns["Xc"], ns["mu"]
    assert X.shape == (2000, 10) and X.dtype == np.float64 and set(np.unique(T)) == {-1.0, 1.0}
    assert np.isclose(np.linalg.norm(mu), 3) and np.allclose(Xc.mean(axis=0), 0) and np.allclose(Xc, X - X.mean(axis=0))
    again = hessian_utils.gaussian_data(mu, 1.0, 2000, 0)
    assert np.array_equal(again[0], X) and np.array_equal(again[1], T)
    assert np.all(hessian_utils.gaussian_data(mu, 0.0, 3, 0)[1] == 1)  # x_1 == mu_1 counts as +1
    model = ns["LinearModel"](10)
    assert model.w.shape == (10,) and model.b.shape == () and model.w.requires_grad and model.b.requires_grad
    assert model.w.dtype == torch.float32 and torch.equal(model.w, ns["LinearModel"](10).w)
    J = model.objective(X, T)
    assert J.shape == () and np.isclose(J.item(), oracle.objective(model.w.detach(), model.b.item(), X, T), rtol=1e-5)


def test_the_solved_notebook_runs_and_prints_what_the_oracle_predicts():
    answers = catalog.reference_answers(homework.load("hessian"))
    code = [source for kind, source in handout.cells(answers) if kind == "code" and source != SELFCHECK]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ns = run_code(*code)
    lines = out.getvalue().splitlines()
    assert len(lines) == 7 and all(line.startswith("> ") for line in lines)
    assert "equals hessian(X): True" in lines[1] and "equals hessian(X): True" in lines[2]
    for line, Z in zip(lines[3:5], (ns["X"], ns["Xc"])):
        assert f"condition number {oracle.condition_number(oracle.hessian(Z)):7.3f}" in line
    assert "predicted  10.000" in lines[3] and "predicted   1.000" in lines[4]
    for line, Z in zip(lines[5:7], (ns["X"], ns["Xc"])):
        model = ns["LinearModel"](10)
        values, _, _ = oracle.gradient_descent(model.w.detach(), model.b.item(), Z, ns["T"], ns["lr"], 1000)
        steps = next(k for k, J in enumerate(values) if J - oracle.minimum(Z, ns["T"]) < 1e-3)
        printed = int(line.rsplit(":", 1)[1])
        assert abs(printed - steps) <= 1, (line, steps)  # float32 against float64 at the threshold
    raw, centered = (int(line.rsplit(":", 1)[1]) for line in lines[5:7])
    assert centered < raw / 4
