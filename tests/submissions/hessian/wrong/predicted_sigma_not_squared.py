# mistake: predicted_condition_number divides by sigma instead of sigma^2
# loses: predicted_condition_number
# hint: sigma is not squared
def predicted_condition_number(mu, sigma):
    mu = numpy.asarray(mu, dtype=float)
    return 1 + mu @ mu/sigma
