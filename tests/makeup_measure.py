"""Measuring the page make-up of a built PDF with pdftotext -bbox-layout (poppler):
page fill, facing pages, word spaces, last lines. Used by tests/test_makeup.py."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

PT_PER_MM = 72 / 25.4
LINE = 13.5  # the body's line, pt
BODY_MIN_HEIGHT = 11.5  # a word's box of body (9.5 pt) or block (8–8.7 pt) text is higher than this
NOTE_MAX_HEIGHT = 10.5  # of a footnote (7.5 pt) lower than this


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    words: list[Word]

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]  # in reading order (pdftotext's flows and blocks)
    blocks: list[list[Line]]


def read_pages(pdf: Path) -> dict[int, Page]:
    """The pages of a PDF by their printed number (the page label: the screen PDF leaves
    out blank pages and the half-title, and has the cover, labelled with a name, first)."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        labels = [page.label for page in document.pages]
    out = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = {}
    for label, page in zip(labels, root.iterfind(".//x:page", ns)):
        if not label.isdigit():
            continue
        number = int(label)
        blocks = []
        for block in page.iterfind(".//x:block", ns):
            lines = []
            for line in block.iterfind("x:line", ns):
                words = [Word(*(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text or "") for w in line.iterfind("x:word", ns)]
                lines.append(Line(*(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), words))
            blocks.append(lines)
        pages[number] = Page(number, float(page.get("width")), float(page.get("height")), [l for b in blocks for l in b], blocks)
    return pages


@dataclass(frozen=True)
class Geometry:
    """The text block of a page, in pt from the top of the trimmed page."""

    top: float
    bottom: float
    left_verso: float
    left_recto: float
    width: float


def geometry(margins_mm=(20, 24, 24, 24), page_mm=(170, 240)) -> Geometry:
    """The screen PDF's text block (css/print.css and css/screen-pdf.css: top 20, bottom
    24, left and right 24 mm on every page)."""
    top, outer, bottom, inner = (m * PT_PER_MM for m in margins_mm)
    width = page_mm[0] * PT_PER_MM - outer - inner
    return Geometry(top, page_mm[1] * PT_PER_MM - bottom, outer, inner, width)


def text_lines(page: Page, g: Geometry) -> list[Line]:
    """Lines inside the text block (no running heads, folios)."""
    return [l for l in page.lines if l.y0 >= g.top - 2 and l.y1 <= g.bottom + 2]


def footnote_top(page: Page, g: Geometry) -> float | None:
    """The top of the footnote area: the first of the small lines that run, without a
    body line after them, to the foot of the text block."""
    lines = sorted(text_lines(page, g), key=lambda l: l.y0)
    top = None
    for line in reversed(lines):
        if line.height >= NOTE_MAX_HEIGHT:
            break
        if line.words and re.fullmatch(r"\d+\.", line.words[0].text):
            top = line.y0  # a note begins with its number ("8.")
    return top


# what separates the footnote area's first line from the text above it (print.css
# @footnote: 4 mm margin, 2 mm padding, 0.4 pt rule), plus half the notes' leading
NOTE_GAP = 6 * PT_PER_MM + 0.4


def shortfall(page: Page, g: Geometry) -> float | None:
    """How many body lines (13.5 pt) the main text of a page stays above the foot of the
    text block or above its footnotes; None for a page without text."""
    lines = text_lines(page, g)
    notes = footnote_top(page, g)
    main = [l for l in lines if notes is None or l.y0 < notes - 1]
    if not main:
        return None
    limit = g.bottom if notes is None else notes - NOTE_GAP
    # a body line's box (12.9 pt of glyph box) sits in its 13.5 pt line: 0.3 pt below it
    return (limit - max(l.y1 for l in main) - 0.3) / LINE


def manuscript_pages(build: Path, stem: str = "smart-society-cases") -> dict[int, str]:
    """Page number → the manuscript (section id) it belongs to, from the page map the
    build writes (its sections are the ids of the manuscript sections), for the pages
    of manuscripts only."""
    data = json.loads((build / "page-maps" / f"{stem}.json").read_text("utf-8"))
    html = etree.parse(str(build / "html" / "index.html"), etree.HTMLParser())
    ids = set(html.xpath("//section[contains(concat(' ', @class, ' '), ' manuscript ')]/@id"))
    return {p["page"]: p["section"] for p in data["pages"] if p["section"] in ids}


def measured_pages(pages: dict[int, Page], texts: dict[int, str], g: Geometry):
    """(page, lines short, exempt) for every page of a manuscript: a page is exempt when it
    is the last page of its text (the next page belongs to another text or is blank before
    an opening: the screen PDF leaves blank pages out)."""
    found = []
    for number, section in sorted(texts.items()):
        if number not in pages:
            continue
        short = shortfall(pages[number], g)
        if short is None:
            continue
        following = pages.get(number + 1)
        blank = following is None or shortfall(following, g) is None
        found.append((number, short, blank or texts.get(number + 1) != section))
    return found


def body_lines(page: Page, g: Geometry) -> list[list[Line]]:
    """The lines of body (and box) text of a page by pdftotext block, footnotes, running
    heads and figure labels left out."""
    notes = footnote_top(page, g)
    found = []
    for block in page.blocks:
        lines = [l for l in block if l.y0 >= g.top - 2 and l.y1 <= g.bottom + 2 and l.height >= BODY_MIN_HEIGHT and (notes is None or l.y0 < notes - 1)]
        if lines:
            found.append(lines)
    return found


def word_gaps(line: Line) -> list[float]:
    return [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]


def paragraphs(block: list[Line], indent: float = 5.0) -> list[list[Line]]:
    """A pdftotext block cut into paragraphs: a new one where a line is indented against
    the block's left edge or where the line spacing opens up."""
    left = min(l.x0 for l in block)
    found: list[list[Line]] = []
    for line in block:
        if not found or line.x0 > left + indent or line.y0 - found[-1][-1].y1 > 4 or line.height > 14:
            found.append([line])
        else:
            found[-1].append(line)
    return found
