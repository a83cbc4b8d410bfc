"""The sentences a student reads about the checks: what was found and expected, named mistakes, factors.

sentences: a value, an array or a status in words (CheckFailed, Mistake, wrong_value, status_problem);
factors: one constant factor seen on every input; hardcoded: answers that do not change with their input;
misnamed: a name the student may have meant; sealed: named mistakes sealed by their wrong number (the
student bundle); markdown: Gradescope's Markdown of the same words.
"""
