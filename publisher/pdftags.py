"""Corrections to the structure tree WeasyPrint writes for the screen PDF (PDF/UA-1).

WeasyPrint 70 tags a document well, but ``publisher pdfcheck`` (``publisher.pdfcheck``)
finds four things it leaves wrong, and this module mends them in the finisher, on the
PDF objects before they are written:

- Running heads, folios and the concept mark (the page-margin boxes) are tagged as
  content and then left out of the tree (Matterhorn 01-005): they become pagination
  artifacts, ``Header`` above the text block and ``Footer`` below it.
- A link annotation can hang from a ``Span`` inside the ``Link`` element instead of the
  ``Link`` itself (28-011): its object reference moves up to the ``Link``.
- Header cells have no ``Scope`` (15-003 for assistive technology that reads no
  ``Headers``): each ``TH`` gets the scope its data cells show — ``Row`` when the cells
  that name it stand in its own row, ``Column`` otherwise.
- Footnotes are not tagged as notes (PDF/UA-1, 7.9): each note in a page's footnote
  area becomes a ``Note`` with the note's id (from the laid-out page) as its ``ID``.

The functions read and change pydyf objects only; what they need to know of the layout\n(the notes on each page, the page height) is handed to ``mend``.
"""

from __future__ import annotations

import re

import pydyf

from .errors import Diagnostics, PublisherError

_TM = re.compile(rb"(-?[\d.]+) (-?[\d.]+) Tm$")


def mend(pdf: pydyf.PDF, page_notes: list[list[str]], notes: tuple[str, ...], page_height: float) -> None:
    """All corrections, in order (see the module's docstring). ``page_notes`` lists the
    ids of the footnotes found on each laid-out page, ``notes`` those of every footnote
    of the document; ``page_height`` is in the content streams' units."""
    tree = _Tree(pdf)
    tree.margin_artifacts(page_height)
    tree.links_on_link_elements()
    tree.header_scopes()
    tree.notes(page_notes, notes)


class _Tree:
    def __init__(self, pdf: pydyf.PDF):
        self.pdf = pdf
        root = self.get(pdf.catalog["StructTreeRoot"])
        self.root = root
        self.nums = self.get(root["ParentTree"])["Nums"]
        self.reachable: set[int] = set()
        self._reach(root)

    def get(self, reference) -> pydyf.Dictionary:
        return self.pdf.objects[_number(reference)]

    def _reach(self, element) -> None:
        stack = [element]
        while stack:
            current = stack.pop()
            for kid in current.get("K", ()):
                if _is_reference(kid):
                    number = _number(kid)
                    if number not in self.reachable:
                        self.reachable.add(number)
                        child = self.pdf.objects[number]
                        if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                            stack.append(child)

    def elements(self, kind: str | None = None):
        """Reachable structure elements in document order."""
        order: list[pydyf.Dictionary] = []

        def walk(element):
            for kid in element.get("K", ()):
                if _is_reference(kid):
                    child = self.pdf.objects[_number(kid)]
                    if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                        order.append(child)
                        walk(child)

        walk(self.root)
        return [e for e in order if kind is None or e["S"] == kind]

    # -- margin boxes --------------------------------------------------------------

    def margin_artifacts(self, page_height: float) -> None:
        pages = len(self.pdf.page_references)
        for index in range(0, len(self.nums) - 1, 2):
            key, value = self.nums[index], self.nums[index + 1]
            if key >= pages or not isinstance(value, pydyf.Array):
                continue
            orphans = {mcid for mcid, ref in enumerate(value) if _number(ref) not in self.reachable}
            if not orphans:
                continue
            page = self.get(self.pdf.page_references[key])
            stream = self.get(page["Contents"])
            _to_artifacts(stream.stream, orphans, page_height)
            for mcid in orphans:
                self.get(value[mcid]).clear()  # an element left out of the tree: emptied
                value[mcid] = "null"

    # -- links ---------------------------------------------------------------------

    def links_on_link_elements(self) -> None:
        pages = len(self.pdf.page_references)
        annotations = {
            obj["StructParent"]: obj.number
            for obj in self.pdf.objects
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Annot" and "StructParent" in obj
        }
        for index in range(0, len(self.nums) - 1, 2):
            key, value = self.nums[index], self.nums[index + 1]
            if key < pages or isinstance(value, pydyf.Array):
                continue
            element = self.get(value)
            link = element
            while link is not None and link.get("S") != "/Link":
                parent = link.get("P")
                link = self.get(parent) if parent is not None and _number(parent) in self.reachable else None
            if link is None or link is element:
                continue  # already on its Link, or no Link around it (pdfcheck reports 28-011)
            for kid in list(element["K"]):
                if _is_reference(kid):
                    target = self.get(kid)
                    if isinstance(target, pydyf.Dictionary) and target.get("Type") == "/OBJR" and _number(target["Obj"]) == annotations.get(key):
                        element["K"].remove(kid)
                        link["K"].append(kid)
            self.nums[index + 1] = link.reference

    # -- tables --------------------------------------------------------------------

    def header_scopes(self) -> None:
        for table in self.elements("/Table"):
            rows = [e for e in self._descendants(table) if e.get("S") == "/TR"]
            row_of: dict[bytes, int] = {}
            cells = []
            for row_number, row in enumerate(rows):
                for kid in row["K"]:
                    cell = self.get(kid)
                    cells.append((row_number, cell))
                    if cell.get("S") == "/TH" and "ID" in cell:
                        row_of[_text(cell["ID"])] = row_number
            named_in: dict[bytes, set[str]] = {}
            for row_number, cell in cells:
                if cell.get("S") == "/TD":
                    for header in cell.get("A", {}).get("Headers", ()):
                        key = _text(header)
                        named_in.setdefault(key, set()).add("row" if row_of.get(key) == row_number else "column")
            for row_number, cell in cells:
                if cell.get("S") != "/TH":
                    continue
                ways = named_in.get(_text(cell["ID"]), set()) if "ID" in cell else set()
                scope = "/Row" if ways == {"row"} else "/Both" if ways == {"row", "column"} else "/Column"
                attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                attributes["Scope"] = scope

    def _descendants(self, element):
        for kid in element.get("K", ()):
            if _is_reference(kid):
                child = self.pdf.objects[_number(kid)]
                if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                    yield child
                    if child.get("S") != "/Table":
                        yield from self._descendants(child)

    # -- notes ---------------------------------------------------------------------

    def notes(self, page_notes: list[list[str]], notes: tuple[str, ...]) -> None:
        """``page_notes``: the ids of the footnotes on each page, in order. WeasyPrint tags
        a page's footnote area as a NonStruct directly under the Document, holding one
        Span per note: those Spans become Notes."""
        document = self.get(self.root["K"][0])
        areas: dict[int, list[pydyf.Dictionary]] = {}
        for kid in document["K"]:
            element = self.get(kid)
            if element.get("S") == "/NonStruct" and "Pg" in element:
                areas.setdefault(_number(element["Pg"]), []).append(element)
        diagnostics = Diagnostics()
        tagged: list[str] = []
        for index, ids in enumerate(page_notes):
            if not ids:
                continue
            page = _number(self.pdf.page_references[index])
            candidates = [
                area for area in areas.get(page, [])
                if len(area["K"]) == len(ids) and all(self.get(k).get("S") == "/Span" for k in area["K"])
            ]
            if len(candidates) != 1:
                diagnostics.add(
                    "R419",
                    f"the {len(ids)} footnote(s) on page {index + 1} of the screen PDF cannot be found in its "
                    f"structure tree ({len(candidates)} candidate footnote areas): they cannot be tagged as notes",
                )
                continue
            for kid, identifier in zip(candidates[0]["K"], ids):
                note = self.get(kid)
                note["S"] = "/Note"
                note["ID"] = pydyf.String(identifier)
                tagged.append(identifier)
        missing = [n for n in notes if n not in tagged]
        if missing and not diagnostics.items:
            diagnostics.add(
                "R419",
                f"{len(missing)} of the screen PDF's {len(notes)} footnotes are not in a page's footnote area "
                f"(first: '{missing[0]}'): they cannot be tagged as notes",
            )
        diagnostics.raise_if_errors()


def _to_artifacts(items: list, mcids: set[int], page_height: float) -> None:
    """Turn the marked-content sequences with these MCIDs into pagination artifacts."""
    for index in range(len(items) - 2):
        tag, properties, operator = items[index : index + 3]
        if not (isinstance(tag, str) and tag.startswith("/") and isinstance(properties, pydyf.Dictionary) and operator == b"BDC"):
            continue
        if properties.get("MCID") not in mcids:
            continue
        place = None
        for later in items[index + 3 :]:
            if later == b"EMC":
                break
            match = _TM.search(later) if isinstance(later, bytes) else None
            if match:
                place = "/Header" if float(match.group(2)) < page_height / 2 else "/Footer"
                break
        artifact = pydyf.Dictionary({"Type": "/Pagination"})
        if place:
            artifact["Subtype"] = place
        items[index] = "/Artifact"
        items[index + 1] = artifact


def _is_reference(value) -> bool:
    return isinstance(value, bytes) and value.endswith(b" R")


def _number(reference) -> int:
    if isinstance(reference, str):
        reference = reference.encode()
    return int(reference.split()[0])


def _text(value) -> bytes:
    return value.data if isinstance(value, pydyf.String) else bytes(value)
