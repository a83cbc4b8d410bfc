"""Part Grad (12.5 P): the mean over the data of ||df/dx||, f including the pooling with s.

The questions: Grad on the initial and trained networks with Xtest and Xtrain, on single rows of
Xtest, and on hidden random networks with random inputs (a Grad that reads the global Xtest
fails those); and, for advice only, with X as a torch tensor.
"""

import numpy as np

from autograder.pack import CheckFailed, Grading, Mistake, check, close, expect_on_hidden, grader_only, wrong_value
from ..child import kinds
from .. import networks
from .common import hidden_networks, net_question, public

# Rows of Xtest asked about one at a time: a benign and a malignant sample, and one near the boundary.
SINGLE_ROWS = (0, 17, 203)
ADVICE = {
    "input_modified": "Advice (no points lost): Grad changed the array passed to it; work on a copy.",
    "gradients_left": ("Advice (no points lost): Grad left gradients in the model's parameters (.grad); "
                       "torch.autograd.grad(f, X) computes the input gradient without touching them."),
}
TENSOR_ADVICE = ("Advice (no points lost): Grad(nn,X) does not work when X is a torch tensor; "
                 "torch.as_tensor(X, dtype=torch.float32) accepts both arrays and tensors.")


def inputs_of(question) -> np.ndarray:
    """The X a grad question hands to Grad, as the child builds it."""
    spec = question.about["X"]
    if "array" in spec:
        return np.asarray(spec["array"], dtype=np.float64)
    X = networks.data()[spec["data"]]
    return X[spec["rows"]] if "rows" in spec else X


@grader_only
def expected(question, rubric) -> float:
    from .. import oracle

    net = question.about["net"]
    return oracle.grad(net.W, net.b, oracle.pooling_signs(net.W.shape[0]), inputs_of(question))


@grader_only
def mistakes(question, rubric) -> list[Mistake]:
    from .. import oracle

    net, X = question.about["net"], inputs_of(question)
    s = oracle.pooling_signs(net.W.shape[0])
    g = oracle.input_gradients(net.W, net.b, s, X)
    no_pool = oracle.input_gradients(net.W, net.b, np.ones_like(s), X)
    formula = "Grad = (1/N) sum_n ||df/dx(x_n)||."
    found = [
        Mistake("That is the norm of the mean gradient, not the mean of the per-sample gradients' norms.",
                f"{formula} Summing f over the samples before backward() is fine; taking the norm of the summed "
                "gradient is not.", np.linalg.norm(g.mean(axis=0))),
        Mistake("That is the norm of the summed gradient.", formula, np.linalg.norm(g.sum(axis=0))),
        Mistake("Grad sums over the samples instead of averaging.", "Divide by N: Grad is the mean over the samples.",
                np.linalg.norm(g, axis=1).sum()),
        Mistake("f is taken without the pooling with s: the hidden layer alone is not the network's output.",
                "f includes the pooling: nn.predict(X), or nn.pool(nn.model(X)).", np.linalg.norm(no_pool, axis=1).mean()),
        Mistake("Grad averages the squared norms.", f"{formula} The norms are not squared.",
                (np.linalg.norm(g, axis=1) ** 2).mean()),
        # The ReLU's derivative dropped: every hidden neuron counts for every sample, the same gradient for all.
        Mistake("The ReLU's derivative is missing: every hidden neuron counts, active or not.",
                "df/dx(x_n) = sum_j s_j 1[a_j > 0] W_:,j: only the neurons active on x_n (a_j > 0) contribute; let "
                "autograd differentiate through the ReLU.", float(np.linalg.norm(s @ net.W))),
    ]
    spec = question.about["X"]
    if spec.get("data") != "Xtest" or "rows" in spec:
        found.append(Mistake("Grad reads the global Xtest instead of its argument X.",
                             "Compute everything from the X passed to Grad(nn, X).",
                             oracle.grad(net.W, net.b, s, networks.data()["Xtest"])))
    return found


GRAD = Grading(kinds.GRAD, expected=expected, mistakes=mistakes)


def grad_question(qid: str, net, X: dict, hidden: bool = False, as_tensor: bool = False):
    if "rows" in X:
        data = f"X = {X['data']}[{X['rows']}] (one row)"
    else:
        data = f"X = {X['data']}" if "data" in X else "random inputs"
    wire = {**X, "array": np.asarray(X["array"]).tolist()} if "array" in X else X
    q = net_question(f"grad/{qid}", "Grad", kinds.GRAD, net, hidden=hidden, label=f"{net.label} with {data}",
                     about={"X": X}, X=wire, tensor=as_tensor)
    q.advisory = as_tensor  # the notebook passes numpy arrays; a Grad that takes tensors too is advice
    return q


def expect_grad(ctx, question, answer) -> None:
    for item in answer.get("advice", []):
        ctx.advise(ADVICE[item])
    found = ctx.fail_unless_answered(question, answer)
    expected_value = ctx.expect.value(question)
    if not close(found, expected_value, ctx.rubric.rtol, ctx.rubric.atol):
        raise CheckFailed(wrong_value("Grad(nn,X)", question.label, found, expected_value, ctx.hint(question, found)))


@check("grad_initial_network", asks=lambda asking: [grad_question("initial/Xtest", public()["initial"], {"data": "Xtest"})])
def check_grad_initial_network(ctx):
    for question, answer in ctx.mine():
        expect_grad(ctx, question, answer)


def trained_questions(asking):
    trained = public()["trained"]
    return [grad_question(f"trained/{name}", trained, {"data": name}) for name in ("Xtest", "Xtrain")] + [
        grad_question("tensor", trained, {"data": "Xtest"}, as_tensor=True)]


@check("grad_trained_network", asks=trained_questions)
def check_grad_trained_network(ctx):
    for question, answer in ctx.mine():
        if not question.advisory:
            expect_grad(ctx, question, answer)
        elif not answer.ok or not close(answer["value"], ctx.expect.value(question), ctx.rubric.rtol, ctx.rubric.atol):
            ctx.advise(TENSOR_ADVICE)


def single_rows(asking):
    return [grad_question(f"row/{row}", public()["trained"], {"data": "Xtest", "rows": [row]}) for row in SINGLE_ROWS]


@check("grad_single_rows", asks=single_rows)
def check_grad_single_rows(ctx):
    for question, answer in ctx.mine():
        expect_grad(ctx, question, answer)


def hidden_inputs(asking):
    """Hidden networks with random inputs, N rows spread over the rubric's [inputs] samples (one row, a few, many)."""
    sizes = asking.spread("grad_hidden_inputs/N", *asking.rubric.tables.inputs.samples, log=True, whole=True)
    rng = lambda k: asking.rng(f"grad_hidden_inputs/{k}/inputs")
    return [grad_question(f"hidden/{k}", net, {"array": inputs(rng(k), net, n)}, hidden=True)
            for k, (net, n) in enumerate(zip(hidden_networks(asking, "grad_hidden_inputs"), sizes))]


def inputs(rng, net, n: int):
    """N random rows, none at a ReLU kink of `net` (where Grad is not defined and float32 and float64 differ)."""
    return networks.away_from_kinks(rng, net, networks.random_inputs(rng, n))


@check("grad_hidden_inputs", asks=hidden_inputs)
def check_grad_hidden_inputs(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_grad(ctx, q, a))
