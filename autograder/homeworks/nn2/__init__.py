"""The pack of "Neural Networks 2": Mix(nn), Grad(nn,X), FrobClassifier and MixClassifier (40 P).

child/: the handout (cells, provided code, data) and how a child answers; checks/: one file per
part, each with its questions, expected values and named mistakes; oracle.py: the sheet's closed
forms in numpy; networks.py: the public and hidden networks; rubric.toml; mutants.py and
equivalence.py: its mutation operators and the decider's runs.
"""

import math

from autograder.pack import Homework, Key, Task, Words, checkout_sources


def named_factors(rubric) -> dict[str, float]:
    """The constants a factor is worth naming by: the hidden size and the sheet's lambdas."""
    h = 100  # the handout's nh
    penalty = rubric.tables.penalty
    ratio = penalty.mix_lambda / penalty.frob_lambda if penalty.frob_lambda else math.inf
    return {"sqrt(h)": math.sqrt(h), "h": h, "1/h": 1 / h, "1/sqrt(h)": 1 / math.sqrt(h),
            "lambda_Mix/lambda_Frob": ratio, "lambda_Frob/lambda_Mix": 1 / ratio}


BANDS = {
    "train_accuracy": Key("range", "train accuracy after the handout's fit()"),
    "test_accuracy": Key("range", "test accuracy after the handout's fit()"),
    "grad_xtest": Key("range", "Grad on Xtest after the fit"),
    "penalized_norm": Key("range", "the penalized norm after the fit"),
}

HOMEWORK = Homework(
    api="2.0",  # the pack API it is written for (autograder.pack.API_VERSION)
    **checkout_sources("nn2"),  # its solved notebook, model answers and catalog: reference/ and tests/
    id="nn2",
    title="Neural Networks 2",
    answers=(Task("Mix", "Mix(nn)"), Task("Grad", "Grad(nn,X)"),
             Task("FrobClassifier", "FrobClassifier.reg()", method="reg"),
             Task("MixClassifier", "MixClassifier.reg()", method="reg")),
    notebook="neural_networks_2",
    summary=("Graded: Mix and Grad on the handout's initial and trained networks and on hidden random ones; "
             "the value and gradient of both reg() methods; both classifiers trained with the handout's fit()."),
    tables={
        "penalty": {"frob_lambda": Key(float, "FrobClassifier's lambda"),
                    "mix_lambda": Key(float, "MixClassifier's lambda")},
        "inputs": {"samples": Key("range", "rows of the hidden inputs of Grad (spread on a log scale)", 1),
                   "scale": Key("range", "standard deviation of the hidden networks' weights (spread on a log scale)")},
        "bands.FrobClassifier": BANDS,
        "bands.MixClassifier": BANDS,
    },
    named_factors=named_factors,
    words=Words(input="network", public_inputs="the two fixed networks", anything="weights, biases and data",
                factor_suspects="lambda, h, a square?", vocabulary=("network", "weights", "lambda")),
)
