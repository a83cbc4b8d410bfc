# mistake: predicted_condition_number uses ||mu|| instead of ||mu||^2
# loses: predicted_condition_number
# hint: The norm of mu is not squared
def predicted_condition_number(mu, sigma):
    return 1 + numpy.linalg.norm(mu)/sigma**2
