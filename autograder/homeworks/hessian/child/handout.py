"""The cells of the "hessian" programming notebook, as the handout has them.

Each cell is a (kind, source) pair. Code in PROVIDED_NAMES is the handout's and
is never taken from a submission; the TODO cells are the five answers.
"""

from autograder.child.selfcheck_cell import SELFCHECK, SELFCHECK_TASK

TITLE = "Hessian: the conditioning of a linear model"

INTRO = """\
# Hessian: the conditioning of a linear model (40 P)

We train the one-layer network $y = w^\\top x + b$ on data $x \\in \\mathbb{R}^d$ with targets
$t \\in \\{-1, 1\\}$ by minimizing

$$J(w, b) = \\frac1N \\sum_{n=1}^N \\tfrac12 (1 - y_n t_n)^2 .$$

The theory part of this sheet shows that for $x \\sim \\mathcal{N}(\\mu, \\sigma^2 I)$ the Hessian of $J$
with respect to $w$ is $H = E[x x^\\top] = \\sigma^2 I + \\mu \\mu^\\top$ (because $t^2 = 1$), with
condition number $\\lambda_1 / \\lambda_d = 1 + \\|\\mu\\|^2 / \\sigma^2$. Here we see it numerically,
and see what it means for gradient descent."""

DATA = """\
import numpy
import utils

d = 10
mu = 3*numpy.ones(d)/d**.5     # ||mu|| = 3
sigma = 1.0
X,T = utils.gaussian_data(mu,sigma,n=2000,seed=0)
Xc = X - X.mean(axis=0)        # the same data, centered"""

MODEL = """\
import numpy,torch

class LinearModel:

    def __init__(self,d,seed=0):
        g = torch.Generator().manual_seed(seed)
        self.w = (0.01*torch.randn(d,generator=g)).requires_grad_(True)
        self.b = (0.01*torch.randn((),generator=g)).requires_grad_(True)

    def predict(self,X,w=None,b=None):
        w = self.w if w is None else w
        b = self.b if b is None else b
        # The data takes the parameters' dtype, so float64 parameters give a float64 objective.
        return torch.as_tensor(X).to(w.dtype) @ w + b

    def objective(self,X,T,w=None,b=None):
        Y = self.predict(X,w,b)
        T = torch.as_tensor(T).to(Y.dtype)
        return (0.5*(1-Y*T)**2).mean()"""

HESSIAN_TASK = """\
## The Hessian, twice (20 P)

Since $J$ is quadratic in $w$, its Hessian does not depend on $w$ or $b$:

$$H = \\frac{\\partial^2 J}{\\partial w \\, \\partial w^\\top} = \\frac1N \\sum_{n=1}^N t_n^2 \\, x_n x_n^\\top
= \\frac1N X^\\top X \\qquad (d \\times d).$$

* Implement `hessian(X)` that returns this matrix from the data alone (`X` is a numpy array or a torch tensor, one sample per row).
* Implement `autograd_hessian(model,X,T)` that returns the same matrix by differentiating `model.objective` twice
  with respect to `w` with PyTorch's autograd, for example with
  `torch.autograd.functional.hessian(lambda w: model.objective(X,T,w=w), model.w)`."""

HESSIAN_TODO = """\
def hessian(X):
    # TODO: Replace by your code
    raise NotImplementedError"""

AUTOGRAD_HESSIAN_TODO = """\
def autograd_hessian(model,X,T):
    # TODO: Replace by your code
    raise NotImplementedError"""

HESSIAN_RUN = """\
def numpy_of(A): return torch.as_tensor(A).detach().double().numpy()

H = numpy_of(hessian(X))
print('> hessian(X): shape %s, trace %.3f (theory: d*sigma^2 + ||mu||^2 = %.3f)'%(H.shape,numpy.trace(H),d*sigma**2+mu@mu))
for seed in (0,1):
    A = numpy_of(autograd_hessian(LinearModel(d,seed),X,T))
    print('> autograd_hessian at the parameters of seed %d equals hessian(X): %s'%(seed,numpy.allclose(A,H,rtol=1e-4,atol=1e-5)))"""

CONDITION_TASK = """\
## Condition numbers (10 P)

* Implement `condition_number(H)` that returns $\\lambda_\\max / \\lambda_\\min$ of a symmetric positive definite matrix `H`.
* Implement `predicted_condition_number(mu,sigma)` that returns the theory's $1 + \\|\\mu\\|^2 / \\sigma^2$.

Centering the data moves its mean to $0$: the prediction for `Xc` is $1$. With $N = 2000$ samples the
measured values scatter around the predictions: the eigenvalues that the theory puts at $\\sigma^2$
spread over about $\\sigma^2 (1 \\pm \\sqrt{d/N})^2$."""

CONDITION_NUMBER_TODO = """\
def condition_number(H):
    # TODO: Replace by your code
    raise NotImplementedError"""

PREDICTED_CONDITION_NUMBER_TODO = """\
def predicted_condition_number(mu,sigma):
    # TODO: Replace by your code
    raise NotImplementedError"""

CONDITION_RUN = """\
for name,Z,mean in (('raw',X,mu),('centered',Xc,numpy.zeros(d))):
    H = numpy_of(hessian(Z))
    ev = numpy.linalg.eigvalsh(H)
    print('> %8s data | eigenvalues %.3f ... %.3f | condition number %7.3f | predicted %7.3f'
          %(name,ev[0],ev[-1],condition_number(H),predicted_condition_number(mean,sigma)))"""

DESCENT_TASK = """\
## Gradient descent (10 P)

* Implement `gradient_descent(model,X,T,lr,steps)` that runs `steps` updates of plain gradient descent
  $w \\leftarrow w - \\eta \\, \\partial J / \\partial w$, $b \\leftarrow b - \\eta \\, \\partial J / \\partial b$
  on `model.w` and `model.b` (in place), and returns the list of the `steps` values of $J$ *before* each
  update (so the first value is $J$ at the start), as Python floats.

Below, both data sets are trained with the same learning rate $\\eta = 1/\\lambda_\\max$ of the raw data's
Hessian in $(w, b)$, which is the Hessian of the data with a column of ones appended for the bias."""

GRADIENT_DESCENT_TODO = """\
def gradient_descent(model,X,T,lr,steps):
    # TODO: Replace by your code
    raise NotImplementedError"""

DESCENT_RUN = """\
def with_ones(Z): return numpy.hstack([Z,numpy.ones((len(Z),1))])

def minimum(Z,T):
    # With t = +-1, (1-y*t)^2 = (t-y)^2: the minimum of J is a least-squares fit of t by (w, b).
    theta = numpy.linalg.lstsq(with_ones(Z),T,rcond=None)[0]
    return 0.5*((T-with_ones(Z)@theta)**2).mean()

def steps_to_converge(values,Jmin,tol=1e-3):
    return next((k for k,J in enumerate(values) if J-Jmin < tol),None)

lr = 1/numpy.linalg.eigvalsh(numpy_of(hessian(with_ones(X)))).max()
for name,Z in (('raw',X),('centered',Xc)):
    values = gradient_descent(LinearModel(d),Z,T,lr,1000)
    print('> %8s data | lr %.4f | J: start %.4f, after 1000 steps %.4f, minimum %.4f | steps to within 1e-3: %s'
          %(name,lr,values[0],values[-1],minimum(Z,T),steps_to_converge(values,minimum(Z,T))))"""

# The five answers, in the order of the sheet; each is graded in the part of its name.
ANSWERS = {
    "hessian": HESSIAN_TODO,
    "autograd_hessian": AUTOGRAD_HESSIAN_TODO,
    "condition_number": CONDITION_NUMBER_TODO,
    "predicted_condition_number": PREDICTED_CONDITION_NUMBER_TODO,
    "gradient_descent": GRADIENT_DESCENT_TODO,
}

# Names whose definition always comes from the handout, never from a submission.
PROVIDED_NAMES = ("utils", "d", "mu", "sigma", "X", "T", "Xc", "LinearModel")


def cells(answers=None):
    """The notebook's cells as (kind, source) pairs; `answers` replaces TODO bodies by name."""
    a = dict(ANSWERS, **(answers or {}))
    return [
        ("markdown", INTRO),
        ("code", DATA),
        ("code", MODEL),
        ("markdown", HESSIAN_TASK),
        ("code", "\n\n".join([a["hessian"], a["autograd_hessian"]])),
        ("code", HESSIAN_RUN),
        ("markdown", CONDITION_TASK),
        ("code", "\n\n".join([a["condition_number"], a["predicted_condition_number"]])),
        ("code", CONDITION_RUN),
        ("markdown", DESCENT_TASK),
        ("code", a["gradient_descent"]),
        ("code", DESCENT_RUN),
        ("markdown", SELFCHECK_TASK),
        ("code", SELFCHECK),
    ]


def provided_source():
    """The provided definitions a child needs: the data and the model, no printing, no runs."""
    return "\n\n".join([DATA, MODEL])
