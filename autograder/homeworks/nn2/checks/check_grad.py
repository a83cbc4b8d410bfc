"""Part Grad (12.5 P): the mean over the data of ||df/dx||, f including the pooling with s."""

from ..feedback import ADVICE, CheckFailed, close, wrong_value
from . import check, expect_on_hidden


def where(question: dict) -> str:
    spec = question["X"]
    if "rows" in spec:
        data = f"X = {spec['data']}[{spec['rows']}] (one row)"
    elif "data" in spec:
        data = f"X = {spec['data']}"
    else:
        data = "random inputs"
    return f"{question['net'].label} with {data}"


def expect_grad(ctx, qid: str, check_id: str) -> None:
    question, answer = ctx.ask(qid)
    for item in answer.get("advice", []):
        ctx.add_advice(check_id, ADVICE[item])
    found = ctx.fail_unless_number(answer, "Grad(nn,X)", where(question), "Grad")
    expected = ctx.expect.value(qid)
    if not close(found, expected, ctx.rubric.rtol, ctx.rubric.atol):
        raise CheckFailed(wrong_value("Grad(nn,X)", where(question), found, expected, ctx.hint(qid, found)))


@check("grad_initial_network")
def check_grad_initial_network(ctx):
    expect_grad(ctx, "grad/initial/Xtest", "grad_initial_network")


@check("grad_trained_network")
def check_grad_trained_network(ctx):
    expect_grad(ctx, "grad/trained/Xtest", "grad_trained_network")
    expect_grad(ctx, "grad/trained/Xtrain", "grad_trained_network")
    _, tensor_a = ctx.ask("grad/tensor")
    if tensor_a["status"] != "ok" or not close(tensor_a["value"], ctx.expect.value("grad/tensor"),
                                               ctx.rubric.rtol, ctx.rubric.atol):
        ctx.add_advice("grad_trained_network",
                       "Advice (no points lost): Grad(nn,X) does not work when X is a torch tensor; "
                       "torch.as_tensor(X, dtype=torch.float32) accepts both arrays and tensors.")


@check("grad_single_rows")
def check_grad_single_rows(ctx):
    for qid in ctx.ids("grad/row/"):
        expect_grad(ctx, qid, "grad_single_rows")


@check("grad_hidden_inputs")
def check_grad_hidden_inputs(ctx):
    expect_on_hidden(ctx, ctx.ids("grad/hidden/"),
                     lambda qid: expect_grad(ctx, qid, "grad_hidden_inputs"), "Grad(nn,X)")
