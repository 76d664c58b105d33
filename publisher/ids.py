"""The ids the pipeline itself gives out, in one place.

Generated parts have fixed ids (and the same names as documents in the EPUB); a
manuscript's ids are its slug and ``slug--local`` for everything inside it; notes are
``slug--fn-N`` and their calls ``slug--fnref-N``. A manuscript can therefore not take a
slug that is a generated part's id, nor a local id the pipeline makes itself.
"""

from __future__ import annotations

import re

# Fixed ids of the generated parts (templates use them for ids and document names).
IDS = {
    "cover": "omslag",
    "half_title": "franse-titel",
    "title_page": "titelpagina",
    "colophon": "colofon",
    "toc": "inhoud",
    "changes": "wijzigingen",
    "main": "hoofdtekst",
    "sources": "bronnen",
    "index": "register",
}
# Names the EPUB writer uses for documents of its own (text/cover.xhtml, nav.xhtml).
WRITER_DOCUMENTS = ("cover", "nav")
RESERVED_SLUGS = frozenset(IDS.values()) | frozenset(WRITER_DOCUMENTS)

SEPARATOR = "--"
# local ids inside a manuscript that the pipeline makes: its title, notes, note calls and
# the places the index points at (ix-N)
_RESERVED_LOCAL = re.compile(r"^(title|fn-\d+|fnref-\d+(-\d+)?|ix-\d+)$")


def local(slug: str, ident: str) -> str:
    """The id of ``ident`` inside the manuscript ``slug``."""
    return f"{slug}{SEPARATOR}{ident}"


def is_reserved_local(ident: str) -> bool:
    return bool(_RESERVED_LOCAL.match(ident))
