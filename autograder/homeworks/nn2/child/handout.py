"""The cells of the "Neural Networks 2" programming notebook, as the handout has them.

Each cell is a (kind, source) pair. Code in PROVIDED_NAMES is the handout's and
is never taken from a submission; the TODO cells are the four answers.
"""

from autograder.child.selfcheck_cell import SELFCHECK, SELFCHECK_TASK

TITLE = "Neural Networks 2: gradient and parameter norms"

INTRO = """\
# Neural Networks 2: gradient and parameter norms (40 P)

In this exercise we train a two-layer neural network on the Breast Cancer data
set with PyTorch, compare it with scikit-learn baselines, and look at the norms
that bound the network's input gradient (exercise 2 of this sheet). We then use
those norms as regularizers."""

DATA = """\
import utils

Xtrain,Ttrain,Xtest,Ttest = utils.breast_cancer()

nx = Xtrain.shape[1]
nh = 100"""

CLASSIFIER = """\
import numpy,torch,sklearn,sklearn.metrics
from torch import nn,optim

class NeuralNetworkClassifier:

    def __init__(self):
        torch.manual_seed(0)
        self.model = nn.Sequential(nn.Linear(nx,nh),nn.ReLU())
        with torch.no_grad(): list(self.model)[0].weight *= 0.1
        self.s = torch.zeros([100]); self.s[:50] = 1; self.s[50:] = -1
        self.pool  = lambda y: y.matmul(self.s)
        self.loss  = lambda y,t: torch.clamp(1-y*t,min=0).mean()

    def reg(self): return 0

    def fit(self,X,T,nbit=10000):
        X = torch.Tensor(X)
        T = torch.Tensor(T)
        optimizer = optim.Adam(self.model.parameters(),lr=0.01)
        for _ in range(nbit):
            optimizer.zero_grad()
            (self.loss(self.pool(self.model(X)),T)+self.reg()).backward()
            optimizer.step()

    def predict(self,X):
        return self.pool(self.model(torch.Tensor(X)))

    def score(self,X,T):
        Y = numpy.sign(self.predict(X).data.numpy())
        return sklearn.metrics.accuracy_score(T,Y)"""

BASELINES = """\
from sklearn import ensemble,svm
rfc = ensemble.RandomForestClassifier(random_state=0); rfc.fit(Xtrain,Ttrain)
svc = svm.SVC(); svc.fit(Xtrain,Ttrain)
nnc = NeuralNetworkClassifier(); nnc.fit(Xtrain,Ttrain)

def pretty(name,model):
    return '> %10s | Train Acc: %6.3f | Test Acc: %6.3f'%(name,model.score(Xtrain,Ttrain),model.score(Xtest,Ttest))"""

NORMS_TASK = """\
## Gradient and parameter norms (25 P)

For the network above, the theory part of this sheet shows

$$\\text{Grad} \\;\\leq\\; \\|W\\|_\\text{Mix} \\;\\leq\\; \\sqrt{h}\\,\\|W\\|_\\text{Frob}$$

with $\\|W\\|_\\text{Frob} = \\sqrt{\\sum_{ij} w_{ij}^2}$,
$\\|W\\|_\\text{Mix} = \\sqrt{\\sum_i \\big(\\sum_j |w_{ij}|\\big)^2}$ and
$\\text{Grad} = \\frac1N \\sum_{n=1}^N \\|\\nabla_{x} f(x_n)\\|$, where $d$ is the number
of input features, $h$ the number of hidden neurons and $W$ ($d \\times h$) the
weights of the first layer. Note that *PyTorch stores $W$ transposed* (shape $h \\times d$).

* Implement the function `Mix(nn)` that takes the classifier as input and returns $\\|W\\|_\\text{Mix}$.
* Implement the function `Grad(nn,X)` that takes the classifier and a data set as input and returns
  the averaged gradient norm of $f$ (including the pooling with $s$).

The function `Frob(nn)` is given."""

FROB = "def Frob(nn): W = list(nn.model)[0].weight; return (W**2).sum()**.5"

MIX_TODO = """\
def Mix(nn):
    # TODO: Replace by your code
    raise NotImplementedError"""

GRAD_TODO = """\
def Grad(nn,X):
    # TODO: Replace by your code
    raise NotImplementedError"""

FULLPRETTY = """\
def fullpretty(name,nn):
    return pretty(name,nn) + ' | Grad: %7.3f | WMix: %7.3f | sqrt(h)*WFrob: %7.3f'%(Grad(nn,Xtest),Mix(nn),nh**.5*Frob(nn))"""

NORMS_RUN = """\
nnr = NeuralNetworkClassifier()
print(fullpretty('Before',nnr))
nnr.fit(Xtrain,Ttrain)
print(fullpretty('After',nnr))"""

PENALTIES_TASK = """\
## Norm penalties (15 P)

We now penalize the norms during training. The new objective is
$J^\\text{Frob}(\\theta) = \\text{loss} + \\lambda\\,(\\sqrt{h}\\,\\|W\\|_\\text{Frob})^2$ with $\\lambda = 0.005$,
and, for the mixed norm, $\\text{loss} + \\lambda\\,\\|W\\|_\\text{Mix}^2$ with $\\lambda = 0.025$.

* Create the classes `FrobClassifier(NeuralNetworkClassifier)` and `MixClassifier(NeuralNetworkClassifier)`
  that override the method `reg(self)` with these penalties. They may call the norm functions above,
  but then those must be differentiable with respect to the weights."""

FROB_CLASSIFIER_TODO = """\
class FrobClassifier(NeuralNetworkClassifier):
    # TODO: Replace by your code
    def reg(self):
        raise NotImplementedError"""

MIX_CLASSIFIER_TODO = """\
class MixClassifier(NeuralNetworkClassifier):
    # TODO: Replace by your code
    def reg(self):
        raise NotImplementedError"""

PENALTIES_RUN = """\
nnfrob = FrobClassifier(); nnfrob.fit(Xtrain,Ttrain)
nnmix = MixClassifier();   nnmix.fit(Xtrain,Ttrain)
print(pretty('RForest',rfc)); print(pretty('SVC',svc))
print(fullpretty('NN',nnc)); print(fullpretty('NN+Frob',nnfrob)); print(fullpretty('NN+Mix',nnmix))"""

# The four answers, in the order of the sheet, with the part each one is graded in.
ANSWERS = {
    "Mix": MIX_TODO,
    "Grad": GRAD_TODO,
    "FrobClassifier": FROB_CLASSIFIER_TODO,
    "MixClassifier": MIX_CLASSIFIER_TODO,
}

# Names whose definition always comes from the handout, never from a submission.
PROVIDED_NAMES = (
    "utils", "Xtrain", "Ttrain", "Xtest", "Ttest", "nx", "nh",
    "NeuralNetworkClassifier", "Frob", "pretty", "fullpretty",
)


def cells(answers=None):
    """The notebook's cells as (kind, source) pairs; `answers` replaces TODO bodies by name."""
    a = dict(ANSWERS, **(answers or {}))
    return [
        ("markdown", INTRO),
        ("code", DATA),
        ("code", CLASSIFIER),
        ("code", BASELINES),
        ("markdown", NORMS_TASK),
        ("code", "\n\n".join([FROB, a["Mix"], a["Grad"], FULLPRETTY])),
        ("code", NORMS_RUN),
        ("markdown", PENALTIES_TASK),
        ("code", "\n\n".join([a["FrobClassifier"], a["MixClassifier"]])),
        ("code", PENALTIES_RUN),
        ("markdown", SELFCHECK_TASK),
        ("code", SELFCHECK),
    ]


def provided_source():
    """The provided definitions a child needs: no baselines, no training, no printing."""
    import ast

    keep = [DATA, CLASSIFIER]
    for source in (BASELINES, FROB, FULLPRETTY):
        keep += [ast.get_source_segment(source, node) for node in ast.parse(source).body
                 if isinstance(node, ast.FunctionDef)]
    return "\n\n".join(keep)
