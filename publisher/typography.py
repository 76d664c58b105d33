"""Typographic quotes, apostrophes, dashes and ellipses, following the publication language.

Works on the text of an lxml tree in document order, so that a quote right after an
emphasised word still knows what came before it. Code is left alone.
"""

from __future__ import annotations

import re

from lxml import etree

from .locale import TYPOGRAPHY, Typography

_SKIP = {"code", "pre", "kbd", "samp", "script", "style"}
_OPENING_CONTEXT = set(" \t\n\u00a0\u202f\u2009([{\u2013\u2014/-") | {""}


# Fixed expressions that never break at a line end: a no-break space ties them.
_TIES = (
    re.compile(r"\b(zie) (?=(?:p\.|figuur|tabel|case|noot)\s)", re.IGNORECASE),  # zie p. 12, zie figuur 3
    re.compile(r"\b([pP]\.) (?=\d)"),  # p. 12
    re.compile(r"\b(Case|case|Figuur|figuur|Tabel|tabel|Noot|noot) (?=\d)"),  # Case 3, figuur 2
    re.compile(r"\b(CC) (?=BY\b)"),  # CC BY 4.0
    re.compile(r"\b(BY(?:-[A-Z]{2}){0,2}|License|Licence|licentie) (?=\d)"),  # CC BY 4.0, License 1.1
)


def tie_fixed_expressions(text: str) -> str:
    """Tie "zie p. 12", "Case 3", "figuur 2" and "CC BY 4.0" with no-break spaces."""
    for pattern in _TIES:
        text = pattern.sub("\\1\u00a0", text)
    return text


def smarten(text: str, typo: Typography, before: str = "") -> str:
    """Return ``text`` with typographic punctuation; ``before`` is the preceding character."""
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    out: list[str] = []
    previous = before
    i = 0
    while i < len(text):
        char = text[i]
        following = text[i + 1] if i + 1 < len(text) else ""
        if char == '"':
            char = typo.double[0] if previous in _OPENING_CONTEXT or previous in typo.single[:1] else typo.double[1]
        elif char == "'":
            char = _single(text, i, previous, following, typo)
        out.append(char)
        previous = char
        i += 1
    return tie_fixed_expressions("".join(out))


def _single(text: str, i: int, previous: str, following: str, typo: Typography) -> str:
    if previous.isalnum() and (following.isalpha() or following == ""):
        return typo.apostrophe  # dilemma's, auto's, rock 'n' roll's closing
    if previous and (previous.isalnum() or previous in ".,;:!?)\u2026" or previous == typo.double[1]):
        return typo.single[1]
    if previous in _OPENING_CONTEXT or previous == typo.double[0]:
        rest = text[i + 1 :]
        if re.match(r"\d\d(?:\b|s\b)", rest):
            return typo.apostrophe  # '90, '90s
        for word in typo.elisions:
            if re.match(rf"{word}\b", rest):
                return typo.apostrophe  # 's avonds, 't, 'n
        return typo.single[0]
    return typo.single[1]


def smarten_tree(root: etree._Element, language: str) -> None:
    """Smarten every text node of ``root`` in place, in document order."""
    typo = TYPOGRAPHY[language]
    state = {"previous": ""}

    def text_of(value: str | None) -> str | None:
        if not value:
            return value
        result = smarten(value, typo, state["previous"])
        state["previous"] = result[-1]
        return result

    def walk(element: etree._Element) -> None:
        if not isinstance(element.tag, str):
            return
        if element.tag in _SKIP:
            if element.text:
                state["previous"] = element.text[-1]
        else:
            element.text = text_of(element.text)
            for attribute in ("alt", "title", "aria-label"):
                if attribute in element.attrib:
                    element.set(attribute, smarten(element.get(attribute), typo))
            for child in element:
                walk(child)
                child.tail = text_of(child.tail)
        if element.tag in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption", "caption"):
            state["previous"] = ""

    walk(root)
