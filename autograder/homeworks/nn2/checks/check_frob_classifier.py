"""Part FrobClassifier (7.5 P): reg() = 0.005 * (sqrt(h) * ||W||_Frob)^2."""

from . import check, penalties

PART = "FrobClassifier"


@check("frob_reg_value")
def check_frob_reg_value(ctx):
    penalties.check_public_values(ctx, PART)


@check("frob_reg_gradient")
def check_frob_reg_gradient(ctx):
    penalties.check_public_gradients(ctx, PART)


@check("frob_reg_hidden")
def check_frob_reg_hidden(ctx):
    penalties.check_hidden(ctx, PART)


@check("frob_training")
def check_frob_training(ctx):
    penalties.check_training(ctx, PART)
