"""`autograder grade`: one submission in, one results.json out.

uploads, archives, encoding, cells, picking: what was uploaded and which file to grade; submission: the
definitions kept; choose: which homework; questions: what is asked of the student's code; checks and
runner: the pack's checks, run in rubric order; expectations: the expected values; trainings: shared
trainings of our own code; results and table: results.json and the terminal's table; grade: the verb.
"""
