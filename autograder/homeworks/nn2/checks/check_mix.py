"""Part Mix (12.5 P): ||W||_Mix = sqrt(sum_i ||W_i,:||_1^2) of the first layer's weights.

The questions: Mix on the handout's initial and trained networks, and on hidden random ones.
The expected value: the oracle's closed form. The named mistakes: what the classic slips compute.
"""

import numpy as np

from autograder.pack import CheckFailed, Grading, Mistake, check, close, expect_on_hidden, grader_only, wrong_value
from ..child import kinds
from .common import hidden_networks, net_question, public


@grader_only
def expected(question, rubric) -> float:
    from .. import oracle

    return oracle.mix(question.about["net"].W)


def rows_l1(W):
    """||W_i,:||_1 for each input feature i of the sheet's W, i.e. over dim=0 of the torch weight."""
    return np.abs(W).sum(axis=0)


@grader_only
def mistakes(question, rubric) -> list[Mistake]:
    from .. import oracle

    W = question.about["net"].W
    transposed = np.sqrt((np.abs(W).sum(axis=1) ** 2).sum())
    m = oracle.mix(W)
    formula = "||W||_Mix = sqrt(sum_i ||W_i,:||_1^2)."
    return [
        Mistake("The l1 norms are taken over the wrong axis of the weight: PyTorch stores W as (h, d), the "
                "sheet's W transposed.", "The l1 norm of row i of the sheet's W is a sum over the hidden neurons, "
                "i.e. over dim=0 of the weight, not dim=1.", transposed),
        Mistake("The square root is missing.", formula, m ** 2),
        Mistake("The rows' l1 norms are not squared before they are summed.", formula, np.sqrt(rows_l1(W).sum())),
        Mistake("That is ||W||_Frob, not ||W||_Mix.", "||W||_Mix takes the l1 norm of each row, then the l2 norm of "
                "those.", oracle.frob(W)),
        Mistake("That is the entrywise l1 norm sum_ij |w_ij|.", formula, np.abs(W).sum()),
        Mistake("The absolute value is missing.", "||W_i,:||_1 = sum_j |w_ij|.", np.sqrt((W.sum(axis=0) ** 2).sum())),
    ]


MIX = Grading(kinds.MIX, expected=expected, mistakes=mistakes)


def mix_question(key: str, net, hidden: bool = False):
    return net_question(f"mix/{key}", "Mix", kinds.MIX, net, hidden=hidden)


def expect_mix(ctx, question, answer) -> None:
    found = ctx.fail_unless_answered(question, answer)
    expected_value = ctx.expect.value(question)
    if not close(found, expected_value, ctx.rubric.rtol, ctx.rubric.atol):
        raise CheckFailed(wrong_value("Mix(nn)", question.label, found, expected_value, ctx.hint(question, found)))


@check("mix_initial_network", asks=lambda asking: [mix_question("initial", public()["initial"])])
def check_mix_initial_network(ctx):
    for question, answer in ctx.mine():
        expect_mix(ctx, question, answer)


@check("mix_trained_network", asks=lambda asking: [mix_question("trained", public()["trained"])])
def check_mix_trained_network(ctx):
    for question, answer in ctx.mine():
        expect_mix(ctx, question, answer)


def hidden_mix(asking):
    return [mix_question(f"hidden/{k}", net, hidden=True)
            for k, net in enumerate(hidden_networks(asking, "mix_hidden_networks"))]


@check("mix_hidden_networks", asks=hidden_mix)
def check_mix_hidden_networks(ctx):
    expect_on_hidden(ctx, ctx.mine(), lambda q, a: expect_mix(ctx, q, a))
