"""Write the grader's stored data: the handout's network before and after its fit, and the data split.

autograder/data/public_networks.npz: grading asks Mix, Grad and reg() about
these two networks without training them again.
autograder/scaffold/breast_cancer.npz: utils.breast_cancer()'s four arrays, so that
the grader (and its children) need not import scikit-learn to get them.
(The self-check's expected values are computed from the rubric when the student bundle is built.)
Run after any change to the handout's scaffold:

    .venv/bin/python reference/make_grader_data.py
"""

from pathlib import Path

import numpy as np

from autograder import probes
from autograder.networks import PUBLIC_FILE
from autograder.scaffold import stored, utils


def weights(net):
    layer = list(net.model)[0]
    return layer.weight.detach().numpy().copy(), layer.bias.detach().numpy().copy()


def main(out: Path = PUBLIC_FILE) -> None:
    namespace, errors = probes.prepare([], {}, lambda ns, statements, cells: [])  # in-process: no deferral
    assert not errors
    net = namespace["NeuralNetworkClassifier"]()
    W_initial, b_initial = weights(net)
    net.fit(namespace["Xtrain"], namespace["Ttrain"])
    W_trained, b_trained = weights(net)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, W_initial=W_initial, b_initial=b_initial, W_trained=W_trained, b_trained=b_trained)
    print(f"wrote {out}")
    Xtrain, Ttrain, Xtest, Ttest = utils.breast_cancer()
    np.savez(stored.DATA_FILE, Xtrain=Xtrain, Ttrain=Ttrain, Xtest=Xtest, Ttest=Ttest)
    print(f"wrote {stored.DATA_FILE}")


if __name__ == "__main__":
    main()
