# mistake: condition_number divides the last by the first of numpy.linalg.eigvals, which are not sorted
# loses: condition_number
# hint: in no particular order
def condition_number(H):
    ev = numpy.linalg.eigvals(numpy.asarray(H, dtype=float)).real
    return ev[-1]/ev[0]
