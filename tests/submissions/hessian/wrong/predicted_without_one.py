# mistake: predicted_condition_number returns ||mu||^2 / sigma^2 without the 1
# loses: predicted_condition_number
# hint: The 1 is missing
def predicted_condition_number(mu, sigma):
    mu = numpy.asarray(mu, dtype=float)
    return mu @ mu/sigma**2
