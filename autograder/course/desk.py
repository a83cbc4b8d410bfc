"""The review desk's store: what TAs decide beside the grader, in SQLite in a batch's output (review.sqlite).

Three kinds of rows: a manual question's points (with the rubric items picked and a comment), an override
of an automatic check (its new points, the reason the student reads, and the automatic score it replaced:
a regrade that changes that score puts the override up for a second look), and regrade requests with
their state. Every change is an audit row (who, when, old, new, why). The grader never writes here, so a
batch rerun keeps all of it.

Several TAs may work on one output at once, each from a page of their own: SQLite in WAL mode with every
change in one immediate transaction, and each row carries a version, so a change made on a stale view is
refused (Conflict) with what is there now instead of overwriting a colleague's.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

FILE = "review.sqlite"
BUSY_MS = 30_000  # a colleague's transaction is a few milliseconds; wait rather than fail

# Each migration takes the schema from its index to the next; PRAGMA user_version holds where a file is.
MIGRATIONS = (
    """CREATE TABLE scores (student TEXT NOT NULL, question TEXT NOT NULL, kind TEXT NOT NULL,
           points REAL NOT NULL, items TEXT NOT NULL DEFAULT '[]', comment TEXT NOT NULL DEFAULT '',
           basis REAL, who TEXT NOT NULL, at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
           PRIMARY KEY (student, question));
       CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL, student TEXT NOT NULL,
           question TEXT NOT NULL, old TEXT, new TEXT, why TEXT NOT NULL DEFAULT '');""",
    """CREATE TABLE requests (id INTEGER PRIMARY KEY, student TEXT NOT NULL, question TEXT NOT NULL,
           text TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'open', resolution TEXT NOT NULL DEFAULT '',
           opened_by TEXT NOT NULL, opened_at TEXT NOT NULL, resolved_by TEXT, resolved_at TEXT,
           version INTEGER NOT NULL DEFAULT 1);""",
)
SCHEMA = len(MIGRATIONS)
REQUEST_STATES = ("open", "accepted", "rejected")  # accepted: the score was changed; rejected: it stands


class Conflict(Exception):
    """A change made on a stale view: `current` is the row as it is now (None: there is none)."""

    def __init__(self, current: dict | None):
        super().__init__("changed meanwhile")
        self.current = current


@dataclass(frozen=True)
class Score:
    """A manual question's points, or an override of an automatic check (kind "override", with `basis`: the
    automatic score it replaced)."""

    student: str
    question: str
    kind: str
    points: float
    items: tuple[int, ...]
    comment: str
    basis: float | None
    who: str
    at: str
    version: int

    def to_json(self) -> dict:
        return {**self.__dict__, "items": list(self.items)}


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Desk:
    """The store of one batch output; open() makes or migrates it."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db, self.path = db, path
        self.inside = False  # within a transaction: a change joins it (an import is all or nothing)

    @classmethod
    def open(cls, out: Path, create: bool = True) -> "Desk | None":
        path = Path(out) / FILE
        if not create and not path.exists():
            return None
        db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        path.chmod(0o600)  # TA-only, like ta/
        desk = cls(db, path)
        desk.migrate()
        return desk

    def close(self) -> None:
        self.db.close()

    def migrate(self) -> None:
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA:
                raise RuntimeError(f"{self.path} was written by a newer autograder (schema {version}, this one "
                                   f"knows {SCHEMA}): review it with that version")
            for step in MIGRATIONS[version:]:
                for statement in filter(str.strip, step.split(";")):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA}")

    @contextmanager
    def transaction(self):
        """One immediate transaction: the write lock is taken at its start, so a read-then-write sees no
        colleague's change in between. Nested, it is the outer one's."""
        if self.inside:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        self.inside = True
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self.inside = False

    def scores(self) -> list[Score]:
        rows = self.db.execute("SELECT * FROM scores ORDER BY student, question").fetchall()
        return [score_of(r) for r in rows]

    def score(self, student: str, question: str) -> Score | None:
        row = self.db.execute("SELECT * FROM scores WHERE student = ? AND question = ?",
                              (student, question)).fetchone()
        return score_of(row) if row else None

    def put(self, score: Score, seen: int | None, why: str = "") -> Score:
        """Set a score; `seen` is the version the writer saw (0: none yet; None: any, as an import)."""
        with self.transaction() as db:
            old = self.score(score.student, score.question)
            if seen is not None and (old.version if old else 0) != seen:
                raise Conflict(old.to_json() if old else None)
            new = Score(**{**score.__dict__, "at": now(), "version": (old.version if old else 0) + 1})
            db.execute("INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (new.student, new.question, new.kind, new.points, json.dumps(list(new.items)), new.comment,
                        new.basis, new.who, new.at, new.version))
            self.audit(new.who, new.student, new.question, old and old.to_json(), new.to_json(), why or new.comment)
        return new

    def remove(self, student: str, question: str, who: str, seen: int | None, why: str = "") -> None:
        with self.transaction() as db:
            old = self.score(student, question)
            if old is None or (seen is not None and old.version != seen):
                raise Conflict(old.to_json() if old else None)
            db.execute("DELETE FROM scores WHERE student = ? AND question = ?", (student, question))
            self.audit(who, student, question, old.to_json(), None, why or "removed")

    def audit(self, who: str, student: str, question: str, old, new, why: str) -> None:
        self.db.execute("INSERT INTO audit (at, who, student, question, old, new, why) VALUES (?,?,?,?,?,?,?)",
                        (now(), who, student, question, json.dumps(old) if old is not None else None,
                         json.dumps(new) if new is not None else None, why))

    def history(self, student: str | None = None) -> list[dict]:
        where, args = ("WHERE student = ?", (student,)) if student else ("", ())
        return [dict(r) for r in self.db.execute(f"SELECT * FROM audit {where} ORDER BY id", args)]

    def requests(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM requests ORDER BY id")]

    def request(self, student: str, question: str, text: str, who: str) -> dict:
        with self.transaction() as db:
            cursor = db.execute("INSERT INTO requests (student, question, text, opened_by, opened_at) "
                                "VALUES (?,?,?,?,?)", (student, question, text, who, now()))
            self.audit(who, student, question, None, {"request": text}, "regrade request")
        return self.request_by_id(cursor.lastrowid)

    def request_by_id(self, number: int) -> dict | None:
        row = self.db.execute("SELECT * FROM requests WHERE id = ?", (number,)).fetchone()
        return dict(row) if row else None

    def resolve(self, number: int, state: str, resolution: str, who: str, seen: int | None) -> dict:
        """Close a request: accepted (the score was changed) or rejected (it stands), with what the student
        reads; or open again."""
        with self.transaction() as db:
            old = self.request_by_id(number)
            if old is None or (seen is not None and old["version"] != seen):
                raise Conflict(old)
            db.execute("UPDATE requests SET state = ?, resolution = ?, resolved_by = ?, resolved_at = ?, "
                       "version = version + 1 WHERE id = ?", (state, resolution, who, now(), number))
            self.audit(who, old["student"], old["question"], {"request": old["state"]}, {"request": state},
                       resolution)
        return self.request_by_id(number)


def score_of(row: sqlite3.Row) -> Score:
    return Score(row["student"], row["question"], row["kind"], row["points"], tuple(json.loads(row["items"])),
                 row["comment"], row["basis"], row["who"], row["at"], row["version"])


def snapshot(out: Path) -> tuple[list[Score], list[dict], list[dict]]:
    """The scores, requests and history of an output (all [] when no TA has reviewed it)."""
    desk = Desk.open(out, create=False)
    if desk is None:
        return [], [], []
    try:
        return desk.scores(), desk.requests(), desk.history()
    finally:
        desk.close()


def read(out: Path) -> tuple[list[Score], list[dict]]:
    """The scores and requests of an output ([] and [] when no TA has reviewed it)."""
    return snapshot(out)[:2]
