"""Small text helpers shared by the stages."""

from __future__ import annotations

import re
import unicodedata

# letters that do not decompose into a base letter and an accent
_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ĳ": "ij", "Ĳ": "ij", "đ": "d", "Đ": "d", "þ": "th"})


def slugify(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title.translate(_LIGATURES)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


# C0 control characters other than tab, line feed and carriage return, and DEL: never part
# of a manuscript's text, and some (NUL) break the tools downstream.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_characters(text: str, first_line: int = 1) -> list[tuple[int, int, str]]:
    """(line, column, character) of every control character in ``text``."""
    found = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        for match in _CONTROL.finditer(line):
            found.append((number, match.start() + 1, match.group(0)))
    return found
