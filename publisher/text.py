"""Small text helpers shared by the stages."""

from __future__ import annotations

import re
import unicodedata

# letters that do not decompose into a base letter and an accent
_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ĳ": "ij", "Ĳ": "ij", "đ": "d", "Đ": "d", "þ": "th"})


def slugify(title: str) -> str:
    plain = unicodedata.normalize("NFKD", title.translate(_LIGATURES)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
