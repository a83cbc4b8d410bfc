"""Trainings shared between gradings of trusted code: the mutation run and the test suite.

A 10,000-step fit is most of a grading's time, and a mutant of Grad (or of any answer a
classifier does not depend on) trains exactly what the reference trains. The key is the
code the class depends on (Submission.closure_digest), the handout's provided code and the
question; the value is the child's answer to the train question, as it came.

Student submissions are never graded with a cache: their code may have side effects at
definition time that the key cannot see. With the same key, a training is bit-identical
(one torch thread, the handout's fixed seed), which tests/test_trainings.py checks.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path



class Trainings:
    """Answers to train questions by key, in memory and (when given a folder) on disk for other processes."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.memory: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.hits = 0

    @staticmethod
    def key(submission, question: dict, homework) -> str:
        """The handout's code, the code the trained part's answer depends on, and the question's inputs
        (`question` as it is sent to a child: Question.wire())."""
        payload = json.dumps([homework.handout.provided_source(), submission.closure_digest(question["part"]),
                              question["inputs"]], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def get(self, key: str) -> dict | None:
        with self.lock:
            found = self.memory.get(key)
            if found is None and self.folder and (self.folder / f"{key}.json").exists():
                found = json.loads((self.folder / f"{key}.json").read_text())
                self.memory[key] = found
            if found is not None:
                self.hits += 1
            return found

    def put(self, key: str, answer: dict) -> None:
        with self.lock:
            self.memory[key] = answer
            if self.folder:
                fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
                with os.fdopen(fd, "w") as f:
                    json.dump(answer, f)
                os.replace(tmp, self.folder / f"{key}.json")
