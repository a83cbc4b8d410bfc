"""What the checks of "Neural Networks 2" share: questions about a network, the public and hidden networks."""

from functools import lru_cache

from autograder.pack import Question
from .. import networks


@lru_cache(maxsize=1)
def public() -> dict:
    """The handout's network before and after its fit (stored: grading never trains them again)."""
    return networks.public()


def hidden_networks(asking, check_id: str) -> list:
    """The check's hidden networks, drawn from the secret seed, their weights' scales spread over the rubric's
    [inputs] range; none without a seed (the self-check)."""
    if not asking.hidden_count:
        return []
    scales = asking.spread(f"{check_id}/scale", *asking.rubric.tables.inputs.scale, log=True)
    return networks.hidden(asking.rng(check_id), scales)


def net_question(qid: str, part: str, kind, net, hidden: bool = False, label: str = "", about=None,
                 **inputs) -> Question:
    """A question of `kind` (child/kinds.py) about a network: its first layer's weights and biases go to the
    child, with the kind's other inputs."""
    return Question(qid, part, kind.name, kind.inputs(W=net.W.tolist(), b=net.b.tolist(), **inputs),
                    label=label or net.label, about={"net": net, **(about or {})}, subject=net.label, hidden=hidden)
