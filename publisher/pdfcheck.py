"""A checker for PDF/UA-1: the machine-checkable failure conditions of the Matterhorn
Protocol 1.1 that apply to what this pipeline can produce.

veraPDF, the reference validator, cannot be installed from the registries this project
uses, so the screen PDF is checked here, with pikepdf, against the conditions in
``CHECKPOINTS``. Each finding names its Matterhorn condition, the page (1-based, when
there is one) and where in the structure tree it was found (``Document/Sect[2]/Table``).
The other conditions of the protocol are either human checks (reading order, whether a
tag is semantically right, whether alternative text describes the figure) or concern
features this pipeline never writes (forms, JavaScript, multimedia, XFA); ``HUMAN`` and
the README list them.

The checker is a library function, ``check_pdf``; ``publisher pdfcheck FILE…`` is its
command, and every screen PDF the build writes is checked (R418).
"""

from __future__ import annotations

import re
import struct
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from langcodes import tag_is_valid as _known_tag

# ISO 32000-1, 14.8.4: the standard structure types
STANDARD_TYPES = frozenset(
    """Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote
    Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula
    Form""".split()
)

# The conditions this checker decides, in the protocol's words shortened: the README's
# table is generated from this (``publisher pdfcheck --checkpoints``) and a test keeps
# the two in step.
CHECKPOINTS: dict[str, str] = {
    "01-003": "content marked as artifact inside tagged content",
    "01-004": "tagged content inside content marked as artifact",
    "01-005": "content neither tagged nor marked as artifact (or tagged but not in the structure tree)",
    "01-007": "the Suspects entry is true",
    "02-001": "a non-standard structure type is not role-mapped to a standard one",
    "02-003": "the role map is circular",
    "02-004": "a standard structure type is role-mapped",
    "06-001": "no XMP metadata stream",
    "06-002": "the XMP metadata lacks the PDF/UA identifier",
    "06-003": "the XMP metadata lacks dc:title",
    "07-001": "ViewerPreferences lack DisplayDocTitle",
    "07-002": "DisplayDocTitle is false",
    "09-004": "a table element where ISO 32000-1 Table 337 does not allow it",
    "09-005": "a list element where ISO 32000-1 Table 336 does not allow it",
    "09-006": "a TOC element where ISO 32000-1 Table 333 does not allow it",
    "10-001": "a character code that cannot be mapped to Unicode",
    "11-001": "the language of page content cannot be determined",
    "11-002": "the language of Alt, ActualText or E cannot be determined",
    "11-003": "the language of outline entries cannot be determined",
    "11-004": "the language of annotation Contents cannot be determined",
    "11-006": "the language of the document metadata cannot be determined",
    "13-004": "a Figure without alternative text",
    "14-002": "numbered headings, but the first is not H1",
    "14-003": "a heading level skipped going down",
    "14-006": "a structure element holds more than one H",
    "14-007": "both H and H1–H6 used",
    "15-003": "a TH without Scope in a table whose cells do not all name their headers",
    "17-002": "a Formula without Alt",
    "19-003": "a Note without ID",
    "19-004": "a Note ID used twice",
    "26-002": "encrypted with assistive technology's access (bit 10 of P) denied",
    "28-002": "an annotation (not Widget, Link or PrinterMark) outside an Annot element",
    "28-004": "an annotation (not Widget) without Contents or Alt",
    "28-007": "a TrapNet annotation",
    "28-008": "a page with annotations has no Tabs entry",
    "28-009": "a page with annotations has Tabs other than /S",
    "28-010": "a Widget annotation outside a Form element",
    "28-011": "a Link annotation outside a Link element",
    "28-012": "a Link annotation without Contents",
    "30-001": "a reference XObject",
    "30-002": "a form XObject with marked content is drawn more than once",
    "31-009": "a font used for text is not embedded",
    "31-011": "the embedded font lacks a glyph the text uses",
    "31-027": "a font without ToUnicode (and no encoding that makes it unnecessary)",
    "31-028": "a ToUnicode value of zero",
    "31-029": "a ToUnicode value of U+FEFF or U+FFFE",
    "31-030": "text uses the .notdef glyph",
}

# Conditions left to a person (H in the protocol), or with no test of their own; the
# conditions on forms, JavaScript, multimedia, optional content, embedded files, XFA and
# article threads are listed apart, as features this pipeline never writes.
HUMAN = (
    "01-001 01-002 01-006 02-002 04-001 06-004 08-001 08-002 09-001 09-002 09-003 11-007 "
    "12-001 13-001 13-002 13-003 13-005 13-006 13-007 13-008 14-001 14-004 14-005 15-001 "
    "15-002 15-004 15-005 16-001 16-002 16-003 17-001 18-001 18-002 19-001 19-002 28-001 "
    "28-003 28-013 31-010"
).split()
NOT_PRODUCED = (
    "03-001 03-002 03-003 05-001 05-002 05-003 09-007 09-008 11-005 17-003 20-001 20-002 20-003 "
    "21-001 22-001 23-001 24-001 25-001 26-001 27-001 28-005 28-006 28-014 28-015 28-016 28-017 "
    "28-018 29-001 31-001 31-002 31-003 31-004 31-005 31-006 31-007 31-008 31-012 31-013 "
    "31-014 31-015 31-016 31-017 31-018 31-019 31-020 31-021 31-022 31-023 31-024 31-025 "
    "31-026"
).split()


@dataclass(frozen=True)
class Finding:
    checkpoint: str  # a Matterhorn condition, "15-003"
    message: str
    page: int | None  # 1-based
    where: str  # the structure path, or the object ("annotation", "font 'X'")
    label: str | None = None  # the page's label (its printed number), when it differs from ``page``

    def __str__(self) -> str:
        page = f"p. {self.label or self.page}, " if self.page else ""
        return f"Matterhorn {self.checkpoint}: {self.message} ({page}{self.where})"


@dataclass(frozen=True)
class PdfReport:
    path: Path
    checkpoints: tuple[str, ...]  # what was checked
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return not self.findings


PdfError = pikepdf.PdfError


def checkpoints_markdown() -> str:
    """The README's table of what is checked and what is left to people."""
    lines = ["| condition | fails when |", "| --- | --- |"]
    lines += [f"| {number} | {summary} |" for number, summary in CHECKPOINTS.items()]
    lines += [
        "",
        f"Human checks (not decided by the checker): {', '.join(HUMAN)}.",
        "",
        f"Not applicable (features this pipeline never writes: forms and form fields, JavaScript, multimedia, optional content, "
        f"embedded files, XFA, encryption without permissions, Type 1 and simple TrueType fonts, CMaps): {', '.join(NOT_PRODUCED)}.",
        "",
    ]
    return "\n".join(lines)


def check_pdf(path: Path) -> PdfReport:
    """Check one PDF against every condition in ``CHECKPOINTS``."""
    with pikepdf.open(path) as pdf:
        checker = _Checker(pdf)
        checker.run()
    findings = sorted(set(checker.findings), key=lambda f: (f.checkpoint, f.page or 0, f.where, f.message))
    return PdfReport(Path(path), tuple(CHECKPOINTS), tuple(findings))


# ---------------------------------------------------------------------------------------


@dataclass
class _Element:
    obj: pikepdf.Dictionary
    type: str  # after role mapping
    raw: str  # as written
    path: str
    page: int | None
    parent: "_Element | None"
    children: list["_Element"] = field(default_factory=list)
    mcids: list[tuple[int | None, int]] = field(default_factory=list)  # (page, mcid)
    objrs: list[pikepdf.Object] = field(default_factory=list)


_CMAP_CHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_CMAP_RANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_RANGE_ENTRY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")

# ISO 32000-1, Tables 333, 336 and 337: which parents each element may have
_PARENTS = {
    "TR": ({"Table", "THead", "TBody", "TFoot"}, "09-004"),
    "TH": ({"TR"}, "09-004"),
    "TD": ({"TR"}, "09-004"),
    "THead": ({"Table"}, "09-004"),
    "TBody": ({"Table"}, "09-004"),
    "TFoot": ({"Table"}, "09-004"),
    "LI": ({"L"}, "09-005"),
    "Lbl": ({"LI", "BibEntry", "Note"}, "09-005"),
    "LBody": ({"LI"}, "09-005"),
    "TOCI": ({"TOC"}, "09-006"),
}
_CHILDREN = {
    "Table": ({"TR", "THead", "TBody", "TFoot", "Caption"}, "09-004"),
    "THead": ({"TR"}, "09-004"),
    "TBody": ({"TR"}, "09-004"),
    "TFoot": ({"TR"}, "09-004"),
    "TR": ({"TH", "TD"}, "09-004"),
    "L": ({"LI", "L", "Caption"}, "09-005"),
    "LI": ({"Lbl", "LBody"}, "09-005"),
    "TOC": ({"TOCI", "TOC", "Caption"}, "09-006"),
    "TOCI": ({"Lbl", "Reference", "NonStruct", "P", "TOC"}, "09-006"),
}
_PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Tj", "TJ", "'", '"', "INLINE IMAGE"}
_TEXT = {"Tj", "TJ", "'", '"'}


class _Checker:
    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.findings: list[Finding] = []
        self.page_numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
        self.elements: list[_Element] = []
        self.by_object: dict[tuple[int, int], _Element] = {}
        self.lang = ""
        self.parsed: dict[tuple[int, int], list] = {}  # content streams, parsed once

    def operations(self, owner) -> list:
        if owner.objgen not in self.parsed:
            self.parsed[owner.objgen] = pikepdf.parse_content_stream(owner)
        return self.parsed[owner.objgen]

    def add(self, checkpoint: str, message: str, page: int | None = None, where: str = "document") -> None:
        label = self.pdf.pages[page - 1].label if page and "/PageLabels" in self.pdf.Root else None
        self.findings.append(Finding(checkpoint, message, page, where, label if label != str(page) else None))

    def run(self) -> None:
        self.document()
        self.structure()
        self.content()
        self.annotations()
        self.fonts()

    # -- document level ---------------------------------------------------------------

    def document(self) -> None:
        root = self.pdf.Root
        if self.pdf.is_encrypted and not self.pdf.allow.accessibility:
            self.add("26-002", "the file is encrypted and denies assistive technology access to its text")
        lang = root.get("/Lang")
        self.lang = str(lang) if lang is not None else ""
        if not self.lang or not tag_is_valid(self.lang):
            said = f"'{self.lang}' is not a language tag" if self.lang else "the catalogue has no /Lang"
            for checkpoint, what in (("11-001", "page content"), ("11-002", "alternative text"), ("11-003", "the outline"), ("11-004", "annotation descriptions"), ("11-006", "the metadata")):
                self.add(checkpoint, f"the language of {what} cannot be determined: {said}")
        metadata = root.get("/Metadata")
        if metadata is None:
            self.add("06-001", "the catalogue has no XMP metadata stream")
        else:
            xmp = metadata.read_bytes()
            if not re.search(rb"pdfuaid:part(>|=\"|=')\s*1", xmp):
                self.add("06-002", "the XMP metadata does not say pdfuaid:part 1")
            if not re.search(rb"<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>[^<\s][^<]*</rdf:li>", xmp):
                self.add("06-003", "the XMP metadata has no dc:title")
        preferences = root.get("/ViewerPreferences")
        shown = preferences.get("/DisplayDocTitle") if preferences is not None else None
        if shown is None:
            self.add("07-001", "the viewer preferences do not set DisplayDocTitle")
        elif not bool(shown):
            self.add("07-002", "DisplayDocTitle is false: viewers show the file name instead of the title")
        mark = root.get("/MarkInfo")
        if mark is not None and bool(mark.get("/Suspects", False)):
            self.add("01-007", "MarkInfo says the tagging is suspect (Suspects true)")
        if mark is None or not bool(mark.get("/Marked", False)):
            self.add("01-005", "the document is not marked as tagged (MarkInfo /Marked)")

    # -- the structure tree -----------------------------------------------------------

    def structure(self) -> None:
        root = self.pdf.Root.get("/StructTreeRoot")
        if root is None:
            self.add("01-005", "the document has no structure tree: no content is tagged")
            return
        self.role_map = {str(k)[1:]: str(v)[1:] for k, v in (root.get("/RoleMap") or {}).items()}
        for raw, target in self.role_map.items():
            if raw in STANDARD_TYPES:
                self.add("02-004", f"the standard type {raw} is role-mapped to {target}", where="RoleMap")
        self._walk(root.get("/K"), None, "", None, set())
        self._check_elements()

    def _resolve(self, raw: str) -> str | None:
        """The standard type a structure type maps to; None (and a finding) if none."""
        seen: list[str] = []
        current = raw
        while current not in STANDARD_TYPES:
            if current in seen:
                self.add("02-003", f"the role map is circular: {' → '.join(seen + [current])}", where="RoleMap")
                return "?"
            seen.append(current)
            if current not in self.role_map:
                return None
            current = self.role_map[current]
        return current

    def _walk(self, kids, parent: _Element | None, path: str, page: int | None, seen: set) -> None:
        if kids is None:
            return
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        counts: Counter = Counter()
        for kid in items:
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.integer):
                if parent is not None:
                    parent.mcids.append((page, int(kid)))
                continue
            if not isinstance(kid, pikepdf.Dictionary):
                continue
            kind = kid.get("/Type")
            if kind == "/MCR":
                pg = self.page_numbers.get(kid.Pg.objgen) if "/Pg" in kid else page
                if parent is not None and "/Stm" not in kid:
                    parent.mcids.append((pg, int(kid.MCID)))
                continue
            if kind == "/OBJR":
                if parent is not None:
                    parent.objrs.append(kid.get("/Obj"))
                continue
            if "/S" not in kid:
                continue
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
            raw = str(kid.S)[1:]
            counts[raw] += 1
            label = f"{path}/{raw}" if path else raw
            label += f"[{counts[raw]}]" if counts[raw] > 1 else ""
            resolved = self._resolve(raw)
            if resolved == "?":
                resolved = None  # circular: reported as 02-003
            elif resolved is None:
                self.add("02-001", f"the structure type {raw} is neither standard nor role-mapped to a standard type", page, label)
            pg = self.page_numbers.get(kid.Pg.objgen) if "/Pg" in kid else page
            element = _Element(kid, resolved or raw, raw, label, pg, parent)
            self.elements.append(element)
            if kid.is_indirect:
                self.by_object[kid.objgen] = element
            if parent is not None:
                parent.children.append(element)
            self._walk(kid.get("/K"), element, label, pg, seen)

    def _check_elements(self) -> None:
        headings: list[_Element] = []
        note_ids: Counter = Counter()
        plain_h = numbered_h = False
        for element in self.elements:
            kind, obj = element.type, element.obj
            page = element.page or next((pg for pg, _ in element.mcids), None)
            parent_type = element.parent.type if element.parent else None
            if kind in _PARENTS and parent_type not in _PARENTS[kind][0]:
                allowed, checkpoint = _PARENTS[kind]
                self.add(checkpoint, f"{kind} inside {parent_type or 'the structure root'} (allowed in {', '.join(sorted(allowed))})", page, element.path)
            if kind in _CHILDREN:
                allowed, checkpoint = _CHILDREN[kind]
                for child in element.children:
                    if child.type not in allowed:
                        self.add(checkpoint, f"{child.type} inside {kind} (allowed: {', '.join(sorted(allowed))})", child.page or page, child.path)
                if element.mcids and kind in ("Table", "TR", "L", "LI", "TOC", "THead", "TBody", "TFoot"):
                    self.add(checkpoint, f"{kind} holds content directly instead of in its child elements", page, element.path)
            if kind == "Figure" and not _has_text(obj, "/Alt") and not _has_text(obj, "/ActualText"):
                self.add("13-004", "a figure without alternative text (Alt) or replacement text (ActualText)", page, element.path)
            if kind == "Formula" and not _has_text(obj, "/Alt"):
                self.add("17-002", "a formula without alternative text (Alt)", page, element.path)
            if kind == "Note":
                if not _has_text(obj, "/ID"):
                    self.add("19-003", "a note without an ID", page, element.path)
                else:
                    note_ids[str(obj.ID)] += 1
                    if note_ids[str(obj.ID)] == 2:
                        self.add("19-004", f"the note ID '{obj.ID}' is used more than once", page, element.path)
            if kind == "H":
                plain_h = True
            if re.fullmatch(r"H[1-6]", kind):
                numbered_h = True
                headings.append(element)
            if kind == "H" or re.fullmatch(r"H[1-6]", kind):
                siblings = [c for c in (element.parent.children if element.parent else []) if c.type == "H"]
                if kind == "H" and len(siblings) > 1 and siblings[1] is element:
                    self.add("14-006", "a structure element holds more than one H", page, element.parent.path)
            for key in ("/Lang",):
                if key in obj and not tag_is_valid(str(obj[key])):
                    self.add("11-001", f"'{obj[key]}' is not a language tag", page, element.path)
        if plain_h and numbered_h:
            self.add("14-007", "the document uses both H and numbered headings H1–H6")
        level = 0
        for element in headings:
            number = int(element.type[1])
            if level == 0 and number != 1:
                self.add("14-002", f"the first heading is {element.type}, not H1", element.page, element.path)
            elif number > level + 1 and level:
                self.add("14-003", f"{element.type} follows H{level}: heading level {level + 1} is skipped", element.page, element.path)
            level = number
        for table in (e for e in self.elements if e.type == "Table"):
            self._check_table(table)

    def _check_table(self, table: _Element) -> None:
        cells = [e for e in _descendants(table) if e.type in ("TH", "TD")]
        ids = {str(c.obj.ID) for c in cells if c.type == "TH" and "/ID" in c.obj}
        organised = all(
            c.type == "TH" or any(str(h) in ids for h in _attribute(c.obj, "/Headers") or [])
            for c in cells
        )
        if organised:
            return
        for cell in cells:
            if cell.type == "TH" and _attribute(cell.obj, "/Scope") is None:
                self.add("15-003", "a header cell (TH) without Scope, in a table whose cells do not all name their headers", cell.page, cell.path)

    # -- content ----------------------------------------------------------------------

    def content(self) -> None:
        parent_tree = self._parent_tree()
        drawn_forms: Counter = Counter()
        self.parent_tree = parent_tree
        for number, page in enumerate(self.pdf.pages, 1):
            mcids: set[int] = set()
            self._scan(page.obj, page.obj.get("/Resources"), number, [], mcids, drawn_forms)
            self._in_tree(page.obj, mcids, number, "page content")

    def _in_tree(self, owner, mcids: set[int], page: int, what: str) -> None:
        """Every MCID of a content stream is mapped, through the stream owner's
        StructParents, to an element of the structure tree."""
        key = owner.get("/StructParents")
        mapped = self.parent_tree.get(int(key)) if key is not None else None
        for mcid in sorted(mcids):
            element = mapped[mcid] if mapped is not None and mcid < len(mapped) else None
            if not isinstance(element, pikepdf.Dictionary) or element.objgen not in self.by_object:
                self.add("01-005", f"marked content {mcid} is not in the structure tree", page, f"{what}, MCID {mcid}")

    def _parent_tree(self) -> dict[int, list]:
        root = self.pdf.Root.get("/StructTreeRoot")
        table: dict[int, list] = {}
        if root is None or "/ParentTree" not in root:
            return table

        def collect(node):
            nums = node.get("/Nums")
            if nums is not None:
                for i in range(0, len(nums) - 1, 2):
                    value = nums[i + 1]
                    table[int(nums[i])] = list(value) if isinstance(value, pikepdf.Array) else [value]
            for kid in node.get("/Kids", []):
                collect(kid)

        collect(root.ParentTree)
        return table

    def _scan(self, owner, resources, page: int, stack: list[str], mcids: set[int], drawn: Counter) -> None:
        """Walk a content stream with its marked-content stack: every painting operator
        must be inside tagged content (an MCID) or an artifact, never both ways nested."""
        xobjects = resources.get("/XObject") if resources is not None else None
        for operands, operator in self.operations(owner):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])[1:]
                mcid = None
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                if tag == "Artifact":
                    if "tagged" in stack:
                        self.add("01-003", "an artifact inside tagged content", page, "page content")
                    stack.append("artifact")
                elif mcid is not None:
                    if "artifact" in stack:
                        self.add("01-004", f"tagged content (MCID {mcid}) inside an artifact", page, "page content")
                    else:
                        mcids.add(mcid)
                    stack.append("tagged")
                else:
                    stack.append("other")
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in _PAINTING:
                if "tagged" not in stack and "artifact" not in stack:
                    what = "text" if op in _TEXT else "an image" if op == "INLINE IMAGE" else "a drawing"
                    self.add("01-005", f"{what} neither tagged nor marked as an artifact", page, "page content")
            elif op == "Do" and xobjects is not None:
                xobject = xobjects.get(operands[0])
                if xobject is None:
                    continue
                if "/Ref" in xobject:
                    self.add("30-001", "a reference XObject", page, f"XObject {operands[0]}")
                subtype = xobject.get("/Subtype")
                if subtype == "/Image":
                    if "tagged" not in stack and "artifact" not in stack:
                        self.add("01-005", "an image neither tagged nor marked as an artifact", page, f"XObject {operands[0]}")
                elif subtype == "/Form":
                    inner: set[int] = set()
                    self._scan(xobject, xobject.get("/Resources") or resources, page, list(stack), inner, drawn)
                    if inner:
                        drawn[xobject.objgen] += 1
                        if drawn[xobject.objgen] == 2:
                            self.add("30-002", "a form XObject with marked content is drawn more than once", page, f"XObject {operands[0]}")
                        self._in_tree(xobject, inner, page, f"XObject {operands[0]}")

    # -- annotations ------------------------------------------------------------------

    def annotations(self) -> None:
        parent_tree = self._parent_tree()
        for number, page in enumerate(self.pdf.pages, 1):
            annots = page.obj.get("/Annots")
            if not annots:
                continue
            tabs = page.obj.get("/Tabs")
            if tabs is None:
                self.add("28-008", "a page with annotations has no Tabs entry", number, "page")
            elif tabs != "/S":
                self.add("28-009", f"a page with annotations has Tabs {tabs}, not /S (structure order)", number, "page")
            for annot in annots:
                subtype = str(annot.get("/Subtype"))
                where = f"{subtype[1:]} annotation"
                if subtype == "/TrapNet":
                    self.add("28-007", "a TrapNet annotation", number, where)
                element = None
                if "/StructParent" in annot:
                    entry = parent_tree.get(int(annot.StructParent))
                    target = entry[0] if entry else None
                    if isinstance(target, pikepdf.Dictionary):
                        element = self.by_object.get(target.objgen)
                if element is not None and not any(isinstance(o, pikepdf.Dictionary) and o.objgen == annot.objgen for o in element.objrs):
                    element = None  # the element does not point back at the annotation
                described = _has_text(annot, "/Contents") or (element is not None and _has_text(element.obj, "/Alt"))
                if subtype == "/Link":
                    if element is None or element.type != "Link":
                        self.add("28-011", "a link annotation that is not inside a Link element (with an object reference)", number, element.path if element else where)
                    if not _has_text(annot, "/Contents"):
                        self.add("28-012", "a link annotation without a description (Contents)", number, where)
                elif subtype == "/Widget":
                    if element is None or element.type != "Form":
                        self.add("28-010", "a widget annotation outside a Form element", number, where)
                elif subtype != "/PrinterMark":
                    if element is None or element.type != "Annot":
                        self.add("28-002", f"a {subtype[1:]} annotation outside an Annot element", number, where)
                    if not described:
                        self.add("28-004", f"a {subtype[1:]} annotation without Contents or Alt", number, where)

    # -- fonts ------------------------------------------------------------------------

    def fonts(self) -> None:
        used: dict[tuple[int, int], set[int]] = {}
        fonts: dict[tuple[int, int], tuple[pikepdf.Dictionary, int]] = {}
        for number, page in enumerate(self.pdf.pages, 1):
            self._font_codes(page.obj, page.obj.get("/Resources"), number, used, fonts, set())
        for key, codes in used.items():
            font, page = fonts[key]
            self._check_font(font, codes, page)

    def _font_codes(self, owner, resources, page: int, used, fonts, visited: set) -> None:
        font_resources = resources.get("/Font") if resources is not None else None
        xobjects = resources.get("/XObject") if resources is not None else None
        current = None
        for operands, operator in self.operations(owner):
            op = str(operator)
            if op == "Tf" and font_resources is not None:
                current = font_resources.get(operands[0])
                if current is not None:
                    current_key = current.objgen
                    composite = current.get("/Subtype") == "/Type0"
                    fonts.setdefault(current_key, (current, page))
            elif op in _TEXT and current is not None:
                strings = operands[0] if op == "TJ" else operands[-1:]
                data = b"".join(bytes(s) for s in strings if isinstance(s, pikepdf.String))
                codes = used.setdefault(current_key, set())
                if composite:  # two-byte codes (Identity-H)
                    codes.update(struct.unpack(f">{len(data) // 2}H", data[: len(data) // 2 * 2]))
                else:
                    codes.update(data)
            elif op == "Do" and xobjects is not None:
                xobject = xobjects.get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == "/Form" and xobject.objgen not in visited:
                    visited.add(xobject.objgen)
                    self._font_codes(xobject, xobject.get("/Resources") or resources, page, used, fonts, visited)

    def _check_font(self, font: pikepdf.Dictionary, codes: set[int], page: int) -> None:
        name = str(font.get("/BaseFont", "?"))[1:]
        where = f"font '{name}'"
        subtype = font.get("/Subtype")
        descendant = font.DescendantFonts[0] if subtype == "/Type0" else font
        descriptor = descendant.get("/FontDescriptor")
        program = None
        if descriptor is not None:
            program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor), None)
        if subtype != "/Type3" and program is None:
            self.add("31-009", "a font used for text is not embedded", page, where)
        unicode_map = _to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else None
        if unicode_map is None:
            encoding = font.get("/Encoding")
            simple = subtype in ("/Type1", "/TrueType") and encoding in ("/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding")
            if not simple:
                self.add("31-027", "a font without a ToUnicode map, in an encoding that needs one", page, where)
        else:
            for code in sorted(codes):
                value = unicode_map.get(code)
                if value is None:
                    self.add("10-001", f"character code {code:#06x} has no Unicode value", page, where)
                elif "\x00" in value:
                    self.add("31-028", f"character code {code:#06x} maps to U+0000", page, where)
                elif "\ufeff" in value or "\ufffe" in value:
                    self.add("31-029", f"character code {code:#06x} maps to U+FEFF or U+FFFE", page, where)
        glyphs = _glyph_ids(descendant, codes, subtype == "/Type0")
        if 0 in glyphs:
            self.add("31-030", "text uses the .notdef glyph (a character the font does not have)", page, where)
        if program is not None and descriptor.get("/FontFile2") is not None:
            try:
                count = TTFont(BytesIO(program.read_bytes()), lazy=True)["maxp"].numGlyphs
            except Exception as error:  # an unreadable font program is itself a finding
                self.add("31-011", f"the embedded font program cannot be read ({error})", page, where)
                return
            missing = sorted(g for g in glyphs if g >= count)
            if missing:
                self.add("31-011", f"{len(missing)} glyph(s) used are not in the embedded font program (first: {missing[0]})", page, where)


def _glyph_ids(descendant, codes: set[int], composite: bool) -> set[int]:
    if not composite:
        return set()  # simple fonts: a code maps through the font's own cmap
    mapping = descendant.get("/CIDToGIDMap")
    if mapping is None or mapping == "/Identity":
        return set(codes)
    table = mapping.read_bytes()
    return {int.from_bytes(table[2 * c : 2 * c + 2], "big") if 2 * c + 2 <= len(table) else 0 for c in codes}


def _to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries: code → text."""
    table: dict[int, str] = {}

    def text(hexdigits: bytes) -> str:
        raw = bytes.fromhex(hexdigits.decode())
        return raw.decode("utf-16-be", errors="replace")

    for block in _CMAP_CHAR.findall(data):
        values = _HEX.findall(block)
        for source, target in zip(values[0::2], values[1::2]):
            table[int(source, 16)] = text(target)
    for block in _CMAP_RANGE.findall(data):
        for low, high, target in _RANGE_ENTRY.findall(block):
            start, end = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, value in enumerate(_HEX.findall(target)):
                    table[start + offset] = text(value)
            else:
                base = bytes.fromhex(target[1:-1].decode())
                for offset in range(end - start + 1):
                    value = (int.from_bytes(base, "big") + offset).to_bytes(len(base), "big")
                    table[start + offset] = value.decode("utf-16-be", errors="replace")
    return table


def tag_is_valid(tag: str) -> bool:
    """A well-formed, registered BCP 47 language tag (langcodes also accepts "nl_NL")."""
    return "_" not in tag and _known_tag(tag)


def _has_text(obj: pikepdf.Dictionary, key: str) -> bool:
    value = obj.get(key)
    return value is not None and str(value).strip() != ""


def _attribute(obj: pikepdf.Dictionary, key: str):
    """An attribute of a structure element, from its A entry (one dictionary or several)."""
    attributes = obj.get("/A")
    if attributes is None:
        return None
    for entry in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(entry, pikepdf.Dictionary) and key in entry:
            return entry[key]
    return None


def _descendants(element: _Element):
    for child in element.children:
        yield child
        if child.type != "Table":  # a nested table is checked on its own
            yield from _descendants(child)
