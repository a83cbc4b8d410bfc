"""Deploying to Gradescope: the autograder zip (build.py), and what runs in the container (run.py).

Gradescope unzips the autograder into /autograder/source, runs setup.sh once as
root when it builds the image, and runs /autograder/run_autograder for every
submission. AUTOGRADER_ROOT replaces /autograder, so all of it can be simulated
in a temporary folder.
"""
