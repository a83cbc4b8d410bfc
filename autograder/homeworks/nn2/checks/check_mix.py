"""Part Mix (12.5 P): ||W||_Mix = sqrt(sum_i ||W_i,:||_1^2) of the first layer's weights."""

from ..feedback import CheckFailed, close, wrong_value
from . import check, expect_on_hidden


def expect_mix(ctx, qid: str) -> None:
    question, answer = ctx.ask(qid)
    where = question["net"].label
    found = ctx.fail_unless_number(answer, "Mix(nn)", where, "Mix")
    expected = ctx.expect.value(qid)
    if not close(found, expected, ctx.rubric.rtol, ctx.rubric.atol):
        raise CheckFailed(wrong_value("Mix(nn)", where, found, expected, ctx.hint(qid, found)))


@check("mix_initial_network")
def check_mix_initial_network(ctx):
    expect_mix(ctx, "mix/initial")


@check("mix_trained_network")
def check_mix_trained_network(ctx):
    expect_mix(ctx, "mix/trained")


@check("mix_hidden_networks")
def check_mix_hidden_networks(ctx):
    expect_on_hidden(ctx, ctx.ids("mix/hidden/"), lambda qid: expect_mix(ctx, qid), "Mix(nn)")
