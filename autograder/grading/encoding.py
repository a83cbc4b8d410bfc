"""Which text encoding an upload is in: UTF-8 (with or without a BOM), UTF-16 or -32, or a legacy code page.

Jupyter writes UTF-8, but students' files pass through Windows editors (Notepad saved UTF-16 or
cp1252 for years) and mail programs. A file that is text in some encoding is read as that text and
graded like its UTF-8 twin; the student is told which encoding was read, never blamed for it.

The order: a byte order mark decides; then strict UTF-8 (a file with NUL bytes is not UTF-8 text:
it is UTF-16 or -32 without a BOM, or binary); then the best guess of charset-normalizer, asked
only about the evidence (the lines holding non-ASCII bytes: a few accented letters drown in a file
of ASCII code, where it guessed cp1250 for a Cyrillic comment and hp_roman8 for "# Jörg"). Among
code pages that fit equally well the guess is cp1252, Windows' code page for Western languages
(alone, "# Jörg" fits big5 as well as cp1252). A decoded text holding NUL characters is binary data.

charset-normalizer is imported lazily: the students' self-check runs with their own Python, which may
lack it; there the guess is strict cp1252 alone, and UTF-16 without a BOM is not recognised.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one. These codecs read the mark and drop it.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
WESTERN = "cp1252"
SAMPLE_BYTES = 1024 * 1024  # what charset-normalizer is shown of a file at most
CHUNK_BYTES = 1024 * 1024  # what a big file is read in
NAMES = {"cp1252": "Latin-1 (cp1252)", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
         "utf-32": "UTF-32", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name: "utf-8", "utf-8-sig", "utf-16-le", "cp1252", ...


def decode(raw: bytes) -> Decoded | None:
    """The text of `raw` and its encoding, or None when it is not text in any encoding found."""
    encoding = detect(raw)
    if encoding is None:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:  # a guess made on a sample that the rest of the file contradicts
        return None
    return None if "\x00" in text else Decoded(text, encoding)


def detect(raw: bytes) -> str | None:
    """The codec to read `raw` with: its BOM's, UTF-8, or the guess for the sample of its evidence."""
    found = bom(raw)
    if found:
        return found
    if b"\x00" not in raw:
        try:
            raw.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
    return guess(sample(raw))


def bom(head: bytes) -> str | None:
    return next((encoding for mark, encoding in BOMS if head.startswith(mark)), None)


def sample(raw: bytes) -> bytes:
    """What tells encodings apart: for a file with NUL bytes (UTF-16 or -32) its start, else its lines
    holding non-ASCII bytes, up to SAMPLE_BYTES."""
    if b"\x00" in raw[:8192]:
        return raw[:SAMPLE_BYTES]
    found, size = [], 0
    for line in raw.splitlines(keepends=True):
        if size >= SAMPLE_BYTES:
            break
        if not line.isascii():
            found.append(line)
            size += len(line)
    return b"".join(found)[:SAMPLE_BYTES]


def guess(evidence: bytes) -> str | None:
    """charset-normalizer's best guess for `evidence`, cp1252 when it fits as well; None when nothing fits."""
    if not evidence:  # ASCII with NUL bytes: binary data
        return None
    try:
        import charset_normalizer
    except ImportError:  # the self-check on a student's Python: cp1252, or nothing
        return WESTERN if b"\x00" not in evidence and fits(evidence, WESTERN) else None
    best = charset_normalizer.from_bytes(evidence).best()
    if best is None:
        return None
    western = charset_normalizer.from_bytes(evidence, cp_isolation=[WESTERN]).best()
    if western is not None and western.chaos <= best.chaos:
        return WESTERN
    return codecs.lookup(best.encoding).name


def fits(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def note(encoding: str) -> str | None:
    """What the student is told about the encoding read, or None for UTF-8."""
    if encoding in ("utf-8", "utf-8-sig"):
        return None
    return f"Your file is encoded in {NAMES.get(encoding, encoding)}, not UTF-8; it was read as such."


def of_stream(f, head: bytes) -> str | None:
    """The encoding of a file too big to read whole, read from `f` in chunks (its position is left anywhere)."""
    found = bom(head)
    if found or b"\x00" in head:
        return found or guess(head)
    decoder = codecs.getincrementaldecoder("utf-8")()
    evidence, size = [], 0
    utf8 = True
    f.seek(0)
    while chunk := f.read(CHUNK_BYTES):
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if size < SAMPLE_BYTES and not chunk.isascii():
            evidence.append(sample(chunk))
            size += len(evidence[-1])
    return "utf-8" if utf8 else guess(b"".join(evidence)[:SAMPLE_BYTES])


def head_text(head: bytes, encoding: str | None) -> str | None:
    """The first bytes of a file as text (a character cut at their end left out), None when it is not text."""
    if encoding is None:
        return None
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)


def as_utf8(f, encoding: str):
    """`f` (bytes in `encoding`) as a stream of UTF-8 bytes, transcoded chunk by chunk."""
    if encoding == "utf-8":
        return f
    return io.BufferedReader(_Transcoded(f, encoding), CHUNK_BYTES)


class _Transcoded(io.RawIOBase):
    """The UTF-8 bytes of a stream in another encoding: what the JSON stream parser (ijson) reads."""

    def __init__(self, f, encoding: str):
        self.f, self.decoder, self.pending = f, codecs.getincrementaldecoder(encoding)(), b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            chunk = self.f.read(CHUNK_BYTES)
            self.pending = self.decoder.decode(chunk, final=not chunk).encode("utf-8")
            if not chunk:
                break
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        return size
