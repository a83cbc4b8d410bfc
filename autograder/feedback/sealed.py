"""Named mistakes in the student bundle, readable only with the wrong number they answer.

The self-check names a student's mistake from the number they computed, as the grader does.
Stored in plain text, every sentence (and the right formula it gives) could be read without
making any mistake. So each sentence is sealed with a key derived from its question and the
mistake's value rounded to four significant digits; the self-check derives the same key from
the student's own number and opens the sentence that fits, if any. Four digits are coarser than
the matching tolerance (1e-4), and the student's number is also tried nudged up and down by
that tolerance, so a value that matches in the grader opens its sentence here too.

A slow key derivation makes guessing every four-digit number for every question cost more
than computing the mistake. This hides text from reading, nothing more: the sentences name
mistakes, and the sheet states the formulas anyway.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

import numpy as np

ITERATIONS = 200_000
SALT = b"autograder named mistakes"


def fingerprint(value) -> tuple[str, float]:
    """What a value is known by: a number itself; an array its shape and Frobenius norm (close arrays
    have close norms: the grader compares whole arrays, the self-check's hint only this)."""
    a = np.asarray(value, dtype=np.float64)
    with np.errstate(over="ignore"):  # a diverging mistake's entries may square past float64: its norm is inf
        return ("", float(a)) if a.ndim == 0 else ("x".join(map(str, a.shape)), float(np.linalg.norm(a)))


def rounded(value: float) -> str:
    return f"{value:.3e}"


@functools.lru_cache(maxsize=4096)
def key(qid: str, text: str) -> bytes:
    """Slow on purpose (the module's docstring says why), so each key is derived once per process: a
    self-check asks the same question of the same number several times (its verdict, the hard-coding
    evidence), and every correct answer fingerprints alike."""
    return hashlib.pbkdf2_hmac("sha256", f"{qid}|{text}".encode(), SALT, ITERATIONS)


def keystream(k: bytes, length: int) -> bytes:
    blocks = (hashlib.sha256(k + i.to_bytes(4, "big")).digest() for i in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def seal(qid: str, known: tuple[str, float], sentence: str) -> dict:
    """A sealed sentence: an id to find it by and the encrypted text, both from the rounded value."""
    shape, value = known
    k = key(qid, shape + rounded(value))
    data = sentence.encode()
    box = bytes(a ^ b for a, b in zip(data, keystream(k, len(data))))
    return {"id": hmac.new(k, b"id", "sha256").hexdigest()[:24], "box": base64.b64encode(box).decode()}


def unseal(qid: str, known: tuple[str, float], sealed: list[dict], rtol: float) -> str | None:
    """The sentence sealed for a value the student's `known` matches, or None."""
    by_id = {s["id"]: s["box"] for s in sealed}
    shape, found = known
    if not sealed or not np.isfinite(found):
        return None
    for text in dict.fromkeys(rounded(v) for v in (found, found * (1 + rtol), found * (1 - rtol))):
        k = key(qid, shape + text)
        box = by_id.get(hmac.new(k, b"id", "sha256").hexdigest()[:24])
        if box is not None:
            data = base64.b64decode(box)
            return bytes(a ^ b for a, b in zip(data, keystream(k, len(data)))).decode("utf-8", "replace")
    return None
