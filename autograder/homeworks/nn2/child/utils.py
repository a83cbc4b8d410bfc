"""The course's data function for "Neural Networks 2".

Every detail (permutation, mislabelling, normalization) is fixed by the sheet:
the figures students compare against depend on it to the last digit.
"""
import numpy
import sklearn.datasets


def breast_cancer():
    D = sklearn.datasets.load_breast_cancer()
    X = D['data']
    T = D['target'] * 2 - 1  # malignant -1, benign +1

    N = len(X)
    P = numpy.random.RandomState(0).permutation(N)
    Xtrain, Ttrain = X[P[:N // 2]], T[P[:N // 2]]
    Xtest, Ttest = X[P[N // 2:]], T[P[N // 2:]]

    # 4% label noise: every 25th training label, starting at index 0.
    Ttrain = Ttrain.copy()
    Ttrain[::25] *= -1

    m = Xtrain.mean(axis=0)
    s = Xtrain.std(axis=0) + 1e-9
    for Z in (Xtrain, Xtest):
        Z -= m
        Z /= s

    return Xtrain, Ttrain, Xtest, Ttest
