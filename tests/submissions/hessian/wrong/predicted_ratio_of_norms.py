# mistake: predicted_condition_number returns 1 + ||mu|| / sigma, squaring neither
# loses: predicted_condition_number
# hint: Neither ||mu|| nor sigma is squared
def predicted_condition_number(mu, sigma):
    return 1 + numpy.linalg.norm(mu)/sigma
