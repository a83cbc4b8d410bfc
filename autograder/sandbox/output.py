"""What a child prints: read as it comes, counted, kept in part, never an error for the student.

stdout and stderr of a child are pipes that a thread of the parent empties all the time, so a
print never blocks and never fails (a capped file made the student's own `print` raise
`OSError: File too large` past 8 MB, and a correct answer that printed lost its points). The
first KEEP_BYTES are kept, the rest is counted and dropped; of stderr the last TAIL_BYTES are
kept too, because a crash's real cause is usually its last line. A child that prints forever
still ends at its time limit. Reading through pipes also means there is no file in the child's
folder that it could swap for a link to the grader's secrets.
"""

from __future__ import annotations

import os
import selectors
import threading

from autograder.child.contract import clean_text  # noqa: F401  (the parent cleans what children say with it)
from autograder.sandbox import host

KEEP_BYTES = 1024 * 1024
TAIL_BYTES = 4096
CHUNK = 1 << 16


class Drain:
    """Empties a child's output pipes (fd -> "stdout" or "stderr") until they close or `stop()` is called:
    one thread with select() where pipes support it (POSIX), else a thread per pipe (Windows)."""

    def __init__(self, fds: dict[int, str]):
        self.fds = dict(fds)
        self.kept = {"stdout": bytearray(), "stderr": bytearray()}
        self.tail = b""
        self.total = 0  # bytes printed, both streams
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.selector = selectors.DefaultSelector() if host.has("select_pipes") else None
        if self.selector is None:
            self.threads = [threading.Thread(target=self.pump, args=(fd,), daemon=True) for fd in self.fds]
        else:
            for fd in self.fds:
                os.set_blocking(fd, False)
                self.selector.register(fd, selectors.EVENT_READ)
            self.threads = [threading.Thread(target=self.run, daemon=True)]
        for thread in self.threads:
            thread.start()

    def run(self) -> None:
        open_fds = set(self.fds)
        while open_fds and not self.stopping.is_set():
            for key, _ in self.selector.select(timeout=0.2):
                if not self.read(key.fd):
                    self.selector.unregister(key.fd)
                    open_fds.discard(key.fd)

    def pump(self, fd: int) -> None:
        """One pipe, read blocking until its end; the thread closes it (a blocked read cannot be stopped)."""
        while self.read(fd):
            pass
        os.close(fd)

    def read(self, fd: int) -> bool:
        """One chunk of `fd`; False at its end."""
        try:
            chunk = os.read(fd, CHUNK)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not chunk:
            return False
        stream = self.fds[fd]
        with self.lock:
            self.total += len(chunk)
            kept = self.kept[stream]
            if len(kept) < KEEP_BYTES:
                kept += chunk[: KEEP_BYTES - len(kept)]
            if stream == "stderr":
                self.tail = (self.tail + chunk)[-TAIL_BYTES:]
        return True

    def stderr_tail(self) -> bytes:
        with self.lock:
            return self.tail

    def stop(self) -> None:
        """Stop reading (a detached grandchild may hold the pipes open forever) and close them."""
        self.stopping.set()
        if self.selector is None:  # reader threads end, and close their pipes, with the pipes
            for thread in self.threads:
                thread.join(timeout=1)
            return
        self.threads[0].join(timeout=5)
        self.selector.close()
        for fd in self.fds:
            try:
                os.close(fd)
            except OSError:
                pass


def size(count: int) -> str:
    """312 MB, 4.2 MB, 900 kB: how much was printed, for a sentence."""
    if count >= 10 * 1024 * 1024:
        return f"{count / 1024 / 1024:.0f} MB"
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{count / 1024:.0f} kB"


def note(printed: int) -> list[str]:
    """A note for the feedback when the student's code printed more than is kept; printing costs nothing."""
    if printed <= KEEP_BYTES:
        return []
    return [f"Your code printed {size(printed)} while it was graded (print calls in your answers?). "
            f"Printing costs no points; the grader kept only the first {size(KEEP_BYTES)} of it, "
            "and no check reads it."]
