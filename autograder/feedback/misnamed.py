"""An answer's name as a student may have written it instead: another case, a typo, or a look-alike.

A look-alike is the name with a letter of another script that looks the same: a Cyrillic і pasted from
a chat or a PDF makes `Mіx`, which Python keeps apart from `Mix`. The student cannot see the
difference, so the feedback names the letter: its position, code point and Unicode name. Which letters
look alike is Unicode's own list (confusables.txt), through confusable-homoglyphs; it is imported
lazily, since the self-check runs on the student's Python, which may lack it: there any letter
outside ASCII in place of another counts as one.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Callable, Iterable

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def hint(wanted: str, defined: Iterable[str], where: Callable[[str], str | None] = lambda name: None) -> str | None:
    """The sentence after "No `Mix` was found": the look-alike and its letters, or the name meant; `where`
    gives the place of a defined name ("cell 5")."""
    defined = sorted(defined)
    alike = lookalike(wanted, defined)
    if alike:
        return sentence(alike, wanted, where(alike))
    meant = meant_name(wanted, defined)
    return f"Did you mean `{meant}`? Names are case-sensitive." if meant else None


def meant_name(wanted: str, defined: Iterable[str]) -> str | None:
    """A defined name that differs from `wanted` in case only, or by a typo (MixClasifier)."""
    defined = sorted(defined)
    lowered = {d.lower(): d for d in defined}
    if wanted.lower() in lowered:
        return lowered[wanted.lower()]
    close = difflib.get_close_matches(wanted, defined, n=1, cutoff=0.75)
    return close[0] if close else None


def lookalike(wanted: str, defined: Iterable[str]) -> str | None:
    """A defined name that differs from `wanted` only in letters that look like `wanted`'s own."""
    return next((name for name in sorted(defined) if differences(name, wanted)), None)


def differences(found: str, wanted: str) -> list[int]:
    """The positions where `found` has a look-alike of `wanted`'s letter; [] unless every difference is one."""
    if len(found) != len(wanted) or found == wanted:
        return []
    at = [i for i, (a, b) in enumerate(zip(found, wanted)) if a != b]
    return at if all(looks_like(found[i], wanted[i]) for i in at) else []


def looks_like(letter: str, original: str) -> bool:
    try:
        from confusable_homoglyphs import confusables
    except ImportError:  # the self-check on a student's Python: any letter outside ASCII
        return not letter.isascii() and original.isascii()
    found = confusables.is_confusable(letter, preferred_aliases=[], greedy=True) or []
    return any(glyph["c"] == original for entry in found for glyph in entry["homoglyphs"])


def sentence(found: str, wanted: str, where: str | None = None) -> str:
    """"`Mіx` in cell 5 is not `Mix`: its second letter is U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I,
    not i; type the name on your keyboard." """
    letters = ", and ".join(f"its {ordinal(i + 1)} letter is {code_point(found[i])}, not {wanted[i]}"
                            for i in differences(found, wanted))
    place = f" in {where}" if where else ""
    return f"`{found}`{place} is not `{wanted}`: {letters}; type the name on your keyboard."


def code_point(letter: str) -> str:
    return f"U+{ord(letter):04X} {unicodedata.name(letter, 'an unnamed character')}"


def ordinal(n: int) -> str:
    if n <= len(ORDINALS):
        return ORDINALS[n - 1]
    return f"{n}{'th' if n % 100 in (11, 12, 13) else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
