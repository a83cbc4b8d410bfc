"""The rubric: points, tolerances, bands, limits and visibility, read from an instructor's TOML file.

Everything that decides a score and is not mathematics lives in the rubric file,
so an instructor changes points or hides a check without touching code. Every
value is validated on load, and an invalid one names its key and the file.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from .errors import RubricError

PARTS = ("Mix", "Grad", "FrobClassifier", "MixClassifier")
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")
BAND_KEYS = ("train_accuracy", "test_accuracy", "grad_xtest", "penalized_norm")
# The student bundle carries the rubric as JSON: Python 3.10 has no TOML reader.
DEFAULT_PATH = next((p for p in (Path(__file__).with_name("rubric.toml"), Path(__file__).with_name("rubric.json"))
                     if p.exists()), Path(__file__).with_name("rubric.toml"))


@dataclass(frozen=True)
class Check:
    id: str
    part: str
    number: str
    name: str
    points: float
    visibility: str

    @property
    def is_public(self) -> bool:
        return self.visibility == "visible"


@dataclass(frozen=True)
class Rubric:
    path: Path
    total: float
    parts: dict[str, float]
    checks: tuple[Check, ...]
    rtol: float
    atol: float
    grad_rtol: float
    grad_atol: float
    frob_lambda: float
    mix_lambda: float
    load_seconds: float
    call_seconds: float
    train_seconds: float
    memory_mb: int
    processes: int
    open_files: int
    disk_mb: int
    seed_file: Path
    hidden_networks: int
    bands: dict[str, dict[str, tuple[float, float]]]
    digest: str  # of the file's bytes: a changed rubric means a regrade

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise RubricError(f"{self.path}: no [[check]] with id = {check_id!r}")


def load(path: str | Path | None = None) -> Rubric:
    path = Path(path) if path else DEFAULT_PATH
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RubricError(f"rubric file {path} does not exist") from None
    try:
        if path.suffix == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            import tomllib  # Python 3.11+: the grader's side

            data = tomllib.loads(raw.decode("utf-8"))
    except ValueError as exc:  # TOMLDecodeError, JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise RubricError(f"rubric file {path} is not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {exc}") from None
    return _parse(path, data, hashlib.sha256(raw).hexdigest())


def _parse(path: Path, data: dict, digest: str) -> Rubric:
    where = str(path)

    def get(table: dict, key: str, kind, prefix: str = ""):
        name = f"{prefix}{key}"
        if key not in table:
            raise RubricError(f"{where}: missing key {name}")
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise RubricError(f"{where}: {name} must be a {kind.__name__}, got {value!r}")
        if kind is float and not (math.isfinite(value) and value >= 0):
            raise RubricError(f"{where}: {name} must be a finite number >= 0, got {value!r}")
        return value

    def table(key: str) -> dict:
        value = data.get(key)
        if not isinstance(value, dict):
            raise RubricError(f"{where}: missing table [{key}]")
        return value

    parts = {p: get(table("parts"), p, float, "parts.") for p in PARTS}
    checks = []
    for i, row in enumerate(data.get("check", [])):
        prefix = f"check[{i}]."
        check = Check(
            id=get(row, "id", str, prefix),
            part=get(row, "part", str, prefix),
            number=get(row, "number", str, prefix),
            name=get(row, "name", str, prefix),
            points=get(row, "points", float, prefix),
            visibility=get(row, "visibility", str, prefix),
        )
        if check.part not in PARTS:
            raise RubricError(f"{where}: {prefix}part must be one of {', '.join(PARTS)}, got {check.part!r}")
        if check.visibility not in VISIBILITIES:
            raise RubricError(f"{where}: {prefix}visibility must be one of {', '.join(VISIBILITIES)}")
        checks.append(check)
    ids = [c.id for c in checks]
    if len(set(ids)) != len(ids):
        raise RubricError(f"{where}: check ids must be unique")
    for part, points in parts.items():
        summed = sum(c.points for c in checks if c.part == part)
        if not math.isclose(summed, points, abs_tol=1e-9):
            raise RubricError(f"{where}: the checks of {part} add up to {summed:g} points, [parts] says {points:g}")
    total = get(data, "total", float)
    if not math.isclose(sum(parts.values()), total, abs_tol=1e-9):
        raise RubricError(f"{where}: the parts add up to {sum(parts.values()):g}, total says {total:g}")

    tol, pen, lim, hid = table("tolerance"), table("penalty"), table("limits"), table("hidden")
    bands = {}
    for part in ("FrobClassifier", "MixClassifier"):
        rows = table("bands").get(part)
        if not isinstance(rows, dict):
            raise RubricError(f"{where}: missing table [bands.{part}]")
        bands[part] = {}
        for key in BAND_KEYS:
            value = rows.get(key)
            if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)
                    and value[0] <= value[1]):
                raise RubricError(f"{where}: bands.{part}.{key} must be [low, high] with low <= high")
            bands[part][key] = (float(value[0]), float(value[1]))

    seed_file = Path(get(hid, "seed_file", str, "hidden."))
    networks = get(hid, "networks", int, "hidden.")
    if networks < 1:
        raise RubricError(f"{where}: hidden.networks must be at least 1")
    return Rubric(
        path=path,
        total=total,
        parts=parts,
        checks=tuple(checks),
        rtol=get(tol, "rtol", float, "tolerance."),
        atol=get(tol, "atol", float, "tolerance."),
        grad_rtol=get(tol, "grad_rtol", float, "tolerance."),
        grad_atol=get(tol, "grad_atol", float, "tolerance."),
        frob_lambda=get(pen, "frob_lambda", float, "penalty."),
        mix_lambda=get(pen, "mix_lambda", float, "penalty."),
        load_seconds=get(lim, "load_seconds", float, "limits."),
        call_seconds=get(lim, "call_seconds", float, "limits."),
        train_seconds=get(lim, "train_seconds", float, "limits."),
        memory_mb=get(lim, "memory_mb", int, "limits."),
        processes=get(lim, "processes", int, "limits."),
        open_files=get(lim, "open_files", int, "limits."),
        disk_mb=get(lim, "disk_mb", int, "limits."),
        seed_file=seed_file if seed_file.is_absolute() else path.parent / seed_file,
        hidden_networks=networks,
        bands=bands,
        digest=digest,
    )
