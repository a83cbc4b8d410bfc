"""Running untrusted student code: a child process per lane, limits, timeouts, a JSON channel.

runner.py is the parent's side (numpy only); child.py is the child's entry point
and, with probes.py, the only code that imports torch or touches student code.
"""
