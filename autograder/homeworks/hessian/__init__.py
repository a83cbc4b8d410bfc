"""The pack of "hessian": the conditioning of a linear model, from Exercise 1 of the same sheet (40 P).

hessian(X), autograd_hessian(model,X,T), condition_number(H), predicted_condition_number(mu,sigma)
and gradient_descent(model,X,T,lr,steps). child/: the handout (cells, data function, LinearModel)
and how a child answers; checks/: one file per answer, each with its questions, expected values
and named mistakes; oracle.py: the closed forms in numpy; rubric.toml; mutants.py and
equivalence.py: its mutation operators and the decider's runs.
"""

from autograder.pack import Homework, Key, Task, Words, checkout_sources

HOMEWORK = Homework(
    api="2.0",  # the pack API it is written for (autograder.pack.API_VERSION)
    **checkout_sources("hessian"),  # its solved notebook, model answers and catalog: reference/ and tests/
    id="hessian",
    title="Hessian: the conditioning of a linear model",
    answers=(Task("hessian", "hessian(X)"), Task("autograd_hessian", "autograd_hessian(model,X,T)"),
             Task("condition_number", "condition_number(H)"),
             Task("predicted_condition_number", "predicted_condition_number(mu,sigma)"),
             Task("gradient_descent", "gradient_descent(model,X,T,lr,steps)")),
    notebook="hessian",
    summary=("Graded: both Hessians on the notebook's raw and centered data and on hidden random data sets and "
             "parameters; the condition number and its prediction; gradient descent's curve and final parameters."),
    tables={"inputs": {"samples": Key("range", "N, the samples of a hidden data set (spread on a log scale)", 1),
                       "features": Key("range", "d, the features of a hidden data set", 1)}},
    words=Words(input="input", public_inputs="the notebook's data", anything="data, parameters and sizes",
                factor_suspects="1/N, a factor 2, a square?", vocabulary=("Hessian", "condition number", "eigenvalue")),
)
