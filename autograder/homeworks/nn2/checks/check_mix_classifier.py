"""Part MixClassifier (7.5 P): reg() = 0.025 * ||W||_Mix^2."""

from . import check, penalties

PART = "MixClassifier"


@check("mixc_reg_value")
def check_mixc_reg_value(ctx):
    penalties.check_public_values(ctx, PART)


@check("mixc_reg_gradient")
def check_mixc_reg_gradient(ctx):
    penalties.check_public_gradients(ctx, PART)


@check("mixc_reg_hidden")
def check_mixc_reg_hidden(ctx):
    penalties.check_hidden(ctx, PART)


@check("mixc_training")
def check_mixc_training(ctx):
    penalties.check_training(ctx, PART)
