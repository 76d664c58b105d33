"""Page-break markers of the print edition in the EPUB's text (EPUB page-list).

The print layout records where each page begins (``pagination.PageMap``): the paragraph
and its first words. Here a marker is put at exactly that place in the intermediate, so
that a reader of the ebook can cite "p. 34" of the printed reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .pagination import PageMap

_SKIPPED_ROLES = ("doc-noteref",)  # text the print edition shows as a generated call


@dataclass(frozen=True)
class Marker:
    page: int
    id: str
    exact: bool  # placed before the page's first words (not only at its paragraph or section)


def insert(root: etree._Element, page_map: PageMap, label: str) -> list[Marker]:
    """Insert <span role="doc-pagebreak"> markers into the numbered intermediate ``root``."""
    markers = []
    for start in page_map.starts:
        marker = etree.Element("span", {"id": f"page-{start.page}", "role": "doc-pagebreak", "aria-label": f"{label} {start.page}"})
        target = None
        if start.container is not None:
            found = root.xpath("//*[@data-tc=$tc]", tc=start.container)
            target = found[0] if found else None
        if target is not None and _in_print_only(target):
            target = None
        exact = False
        if start.block is not None:
            found = root.xpath("//*[@data-fb=$fb]", fb=start.block)
            if not found or _in_print_only(found[0]):
                continue
            found[0].addprevious(marker)  # before the figure that opens the page
            markers.append(Marker(start.page, marker.get("id"), True))
            continue
        if target is not None:
            exact = _insert_before_words(target, start.text, marker)
            if not exact:
                _insert_first(target, marker)
            _hoist(marker)
        elif start.section is not None:
            found = root.xpath("//*[@id=$id]", id=start.section)
            if not found or _in_print_only(found[0]):
                continue
            _insert_first(found[0], marker)
        else:
            continue
        markers.append(Marker(start.page, marker.get("id"), exact))
    return markers


_TITLES = ("h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption")
_TITLED = ("aside", "figure", "table")  # a block, figure or table that opens with its title


def _hoist(marker: etree._Element) -> None:
    """A page that begins at a heading, caption or block title is marked just before that
    element, not inside it (a screen reader would read "Pagina 26" as part of the heading);
    a block, figure or table that opens with that title is marked before itself. The
    marker stays at the same place in the text, so the page-list stays exact."""
    title = next((a for a in marker.iterancestors() if a.tag in _TITLES), None)
    if title is None or not _starts(title, marker):
        return
    place = title
    parent = title.getparent()
    while parent is not None and parent.tag in _TITLED and _starts(parent, marker):
        place = parent
        parent = parent.getparent()
    _move_before(marker, place)


def _starts(element: etree._Element, marker: etree._Element) -> bool:
    """No text of ``element`` comes before ``marker``."""

    def before(node: etree._Element) -> bool | None:  # True: marker found first; False: text first
        if node is marker:
            return True
        if (node.text or "").strip():
            return False
        for child in node:
            if isinstance(child.tag, str):
                found = before(child)
                if found is not None:
                    return found
            if (child.tail or "").strip():
                return False
        return None

    return bool(before(element))


def _move_before(marker: etree._Element, place: etree._Element) -> None:
    parent = marker.getparent()
    previous = marker.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + (marker.tail or "")
    else:
        parent.text = (parent.text or "") + (marker.tail or "")
    parent.remove(marker)
    marker.tail = None
    place.addprevious(marker)


def _in_print_only(element: etree._Element) -> bool:
    """In a part the EPUB does not carry (data-renditions without epub: cover, contents)."""
    return any(
        a.get("data-renditions") is not None and "epub" not in a.get("data-renditions").split()
        for a in [element, *element.iterancestors()]
    )


def _insert_first(element: etree._Element, marker: etree._Element) -> None:
    marker.tail = element.text
    element.text = None
    element.insert(0, marker)


def _text_nodes(element: etree._Element):
    """(owner, 'text' or 'tail', string) of the text an element shows, in order."""
    if element.text:
        yield element, "text", element.text
    for child in element:
        if isinstance(child.tag, str) and child.get("role") not in _SKIPPED_ROLES:
            yield from _text_nodes(child)
        if child.tail:
            yield child, "tail", child.tail


def _insert_before_words(element: etree._Element, words: str, marker: etree._Element) -> bool:
    """Put ``marker`` right before the first occurrence of ``words`` (whitespace-insensitive)."""
    if not words:
        return False
    nodes = list(_text_nodes(element))
    flat = ""
    index = []  # for each character of flat: (node number, offset in node)
    for number, (_, _, text) in enumerate(nodes):
        for offset, char in enumerate(text):
            flat += char
            index.append((number, offset))
    words = words.replace("\u200b", "")  # break opportunities the print sets in web addresses
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    match = re.search(pattern, flat, re.IGNORECASE)  # the print may set words in capitals
    if match is None:
        return False
    number, offset = index[match.start()]
    owner, kind, text = nodes[number]
    before, after = text[:offset], text[offset:]
    if kind == "text":
        owner.text = before or None
        marker.tail = after
        owner.insert(0, marker)
    else:
        owner.tail = before or None
        marker.tail = after
        owner.addnext(marker)
    return True
