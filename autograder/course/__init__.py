"""A course at once (the TA's verbs): `autograder batch` and `autograder merge`.

downloads: the entries of a course's download (folder, Canvas, Moodle, Gradescope export); batch: grading
them in parallel, resumable, and merge; cluster: the same gradings on a Dask cluster; late: the late
policy; report, class_report, insights, similarity: the sheets and the report; canvas, moodle: the LMS files.
"""
