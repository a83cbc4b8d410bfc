# mistake: condition_number returns lambda_min / lambda_max
# loses: condition_number
# hint: That is lambda_min / lambda_max
def condition_number(H):
    ev = numpy.linalg.eigvalsh(numpy.asarray(H, dtype=float))
    return ev[0]/ev[-1]
