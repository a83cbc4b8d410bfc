"""Entry point of the child process: run the student's definitions, answer the parent's questions.

Started by sandbox/runner.py only, through kit.BOOT:
    python -I -S -c BOOT KIT SITE_DIRS REQUEST_FILE CHANNEL

Everything written to the channel is one JSON object per line (protocol.py); stdout and stderr
belong to the student and are pipes the parent empties. CHANNEL is a file descriptor the parent
passed (POSIX), or "stdout" where none can be passed (Windows): then the channel is this
process's stdout, and the student's prints go to stderr. Nothing here decides a score: the
parent cleans and checks every number it receives. The homework's own child code (its handout
namespace and how each kind of question is answered) is `autograder.homeworks.<id>.child.answers`.
"""

import ast
import json
import linecache
import os
import re
import sys
import traceback

from autograder.child import contract, progress, simulated
from autograder.child.contract import ContractError
from autograder.child.protocol import Status, answer_line


def main(request_file: str, channel: str) -> None:
    simulated.hide_posix_modules()  # a test switch: as on Windows (simulated.py)
    with open(request_file, encoding="utf-8") as f:
        request = json.load(f)
    os.unlink(request_file)  # the questions' order is not the student's code's business
    send = open_channel(channel)
    limits = request["limits"]
    if limits.get("confine", True):  # the grader's children; the self-check's ask for none of it
        from autograder.child.limits import set_limits

        confined = set_limits(limits)
    else:
        confined = {"landlock": 0, "network_filter": False}
    homework = request["homework"]
    if not re.fullmatch(r"[a-z][a-z0-9_]*", homework):
        raise ValueError(f"not a homework id: {homework!r}")
    # numpy and torch are imported here, after the limits are set; nothing of the student's has run yet.
    try:
        kinds, answers = pack_code(homework)
    except (ImportError, OSError) as exc:
        send({"event": "broken", **failed_import(exc)})
        return
    confined["flush_denormal"] = flush_subnormals()
    skip = set(request.get("skip", []))

    def run(namespace, statements, cells):
        return run_statements(namespace, statements, cells, skip, lambda i: send({"event": "loading", "index": i}))

    namespace, load_errors = answers.prepare(request["statements"], request["cells"], run, child=True)
    send({"event": "ready", "load_errors": load_errors, **confined})
    for question in request["questions"]:
        if request.get("progress"):
            progress.start(send, question["id"])
        send(answer(kinds, namespace, question))
        progress.stop()


def flush_subnormals() -> bool | None:
    """Subnormal floats flushed to zero in this thread, the only one that computes (one torch thread).

    A penalty that drives weights towards zero fills a training with subnormal numbers, which Intel
    CPUs compute in microcode: FrobClassifier's 10,000 steps took 28.7 s instead of 8.0 s. Flushed,
    they are zeros; no verdict of either catalog moves (tests/submissions/verdicts.json). True when
    flushed, False on a CPU without the flag (said in the timeline), None when the pack uses no torch.
    """
    torch = sys.modules.get("torch")
    return None if torch is None else bool(torch.set_flush_denormal(True))


def open_channel(channel: str):
    """send(message): one JSON line on the channel, a passed descriptor or this process's stdout."""
    if channel == "stdout":
        fd = os.dup(1)
        os.dup2(2, 1)  # from here on, whatever the student prints goes to stderr
    else:
        fd = int(channel)
    stream = os.fdopen(fd, "w", encoding="utf-8", buffering=1)

    def send(message: dict) -> None:
        stream.write(json.dumps(message) + "\n")
        stream.flush()

    return send


def failed_import(exc: BaseException) -> dict:
    """Which installed package failed to import (the first frame in site-packages), and the error's last line."""
    module = getattr(exc, "name", None) or ""
    for frame in traceback.extract_tb(exc.__traceback__):
        parts = frame.filename.replace("\\", "/").split("/")
        for folder in ("site-packages", "dist-packages"):
            if folder in parts and parts.index(folder) + 1 < len(parts):
                module = parts[parts.index(folder) + 1].removesuffix(".py")
                break
        else:
            continue
        break
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return {"module": module.split(".")[0], "error": last}


def answer(kinds: dict, namespace: dict, question: dict) -> dict:
    """The answer line for one question: the student's exceptions become statuses; a pack that breaks its own
    contract (child/contract.py) is a grader error, said as such; an unknown kind ends the child loudly."""
    kind = kinds.get(question["kind"])
    if kind is None:  # a function declared in one place: the engine answers it (numpy and torch are loaded by now)
        from autograder.child import calls

        kind = calls.kind(question["kind"])
    if kind is None:
        raise KeyError(question["kind"])
    try:
        ask, inputs = kind.answering(question["inputs"])
    except ContractError as broken:
        return answer_line(question["id"], Status.GRADER_ERROR, message=str(broken))
    try:
        status, fields = ask(namespace, inputs)
    except NotImplementedError:
        status, fields = Status.NOT_IMPLEMENTED, {}
    except BaseException as exc:  # student code may raise SystemExit, KeyboardInterrupt, anything
        from autograder.child.values import describe

        status, fields = Status.ERROR, {"message": describe(exc)}
    try:
        kind.check_answer(fields)
    except ContractError as broken:
        return answer_line(question["id"], Status.GRADER_ERROR, message=str(broken))
    return answer_line(question["id"], status, **fields)


def pack_code(homework: str):
    """(the pack's kinds by name, its answers module), from the kit's copy of its child code (sandbox/kit.py puts
    every pack's child folder at autograder/homeworks/<id>/child, wherever the pack lives)."""
    return contract.child_code(f"autograder.homeworks.{homework}")


def run_statements(namespace: dict, statements: list, cells: dict, skip=frozenset(), before=None) -> list:
    """Execute each kept statement on its own, so one failing definition costs only itself.

    `before(i)` is told before statement i runs: when the process dies or hangs in
    it, the parent starts a new child that skips it (`skip`).
    """
    for label, source in cells.items():
        filename = f"<{label}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    errors = []
    for index, (label, lineno, source) in enumerate(statements):
        if index in skip:
            continue
        if before:
            before(index)
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

