"""Entry point of the child process: run the student's definitions, answer the parent's questions.

Started by runner.py only, through kit.BOOT: python -I -S -c BOOT KIT SITE_DIRS REQUEST_FILE CHANNEL_FD

Everything written to CHANNEL_FD is one JSON object per line; stdout and stderr
belong to the student and go to files the parent reads only for crash notes.
Nothing here decides a score: the parent checks every number it receives.
"""

import ast
import json
import linecache
import os
import resource
import sys


def main(request_file: str, channel_fd: int) -> None:
    with open(request_file, encoding="utf-8") as f:
        request = json.load(f)
    set_limits(request["limits"])
    channel = os.fdopen(channel_fd, "w", encoding="utf-8", buffering=1)

    def send(message: dict) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    from autograder import probes  # torch is imported here, after the limits are set

    namespace, load_errors = probes.prepare(request["statements"], request["cells"], run_statements, child=True)
    send({"event": "ready", "load_errors": load_errors})
    for question in request["questions"]:
        send({"event": "answer", "id": question["id"], **probes.answer(namespace, question)})


def set_limits(limits: dict) -> None:
    # Core files would fill the scratch folder with hundreds of MB of torch memory.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Caps what the student's prints can write to the captured stdout and stderr files.
    size = int(limits["file_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    # A busy loop that escapes the wall-clock timeout still ends here.
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def run_statements(namespace: dict, statements: list, cells: dict) -> list:
    """Execute each kept statement on its own, so one failing definition costs only itself."""
    for label, source in cells.items():
        filename = f"<{label}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    errors = []
    for label, lineno, source in statements:
        filename = f"<{label}>"
        try:
            tree = ast.parse(source, filename)
            ast.increment_lineno(tree, lineno - 1)
            exec(compile(tree, filename, "exec"), namespace)
        except BaseException as exc:  # student code: SystemExit and KeyboardInterrupt included
            if isinstance(exc, ImportError):
                errors.append(f"{label}, line {lineno}: {type(exc).__name__}: {exc} (import skipped)")
            else:
                errors.append(f"{label}, line {lineno}: {type(exc).__name__}: {exc}")
    return errors

