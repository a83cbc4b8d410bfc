"""The secret seed of the hidden inputs: read from the rubric's seed file, created there when missing.

The seed never leaves the grading process; a child sees only the inputs drawn from it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from autograder.errors import UsageError


def read_seed(path: Path) -> int:
    """The secret seed; created (mode 600) when missing, so a TA's repeated runs agree."""
    try:
        text = path.read_text().strip()
        return int(text, 16)
    except FileNotFoundError:
        pass
    except ValueError:
        raise UsageError(f"the secret seed file {path} must hold one hexadecimal number: fix it, or delete it "
                         "to draw a new seed (hidden inputs change)") from None
    seed = secrets.token_hex(16)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x") as f:
            f.write(seed + "\n")
        path.chmod(0o600)
    except FileExistsError:
        return read_seed(path)
    except OSError:
        pass  # read-only install: this run's hidden inputs are fresh, scores of right answers are not
    return int(seed, 16)
