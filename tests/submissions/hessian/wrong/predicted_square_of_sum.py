# mistake: predicted_condition_number squares the sum of mu's entries instead of summing their squares
# loses: predicted_condition_number
# hint: the square of the sum of mu's entries
def predicted_condition_number(mu, sigma):
    return 1 + numpy.sum(mu)**2/sigma**2
