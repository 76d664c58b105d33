"""Writer: the HTML intermediate → PDF (WeasyPrint).

Imported only when a PDF is asked for: ``import weasyprint`` alone costs most of a second.
The intermediate is adapted for paged media (footnotes moved to where they are called, so
that CSS can float them to the foot of the page), laid out once, and written as the
editions ask. Anything WeasyPrint logs while doing so is a build error.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .assemble import Book
from .errors import Diagnostics, Location
from .fetcher import ProjectFetcher
from .locale import words


@dataclass(frozen=True)
class PdfEdition:
    """One PDF written from the shared layout."""

    name: str
    filename: str
    variant: str | None  # WeasyPrint's pdf_variant
    stylesheet: str | None = None  # an extra stylesheet of layouts/css for this edition


SCREEN = PdfEdition("screen", "smart-society-cases.pdf", "pdf/ua-1")


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def _capture_weasyprint():
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous


def print_tree(book: Book) -> etree._ElementTree:
    """The intermediate adapted for paged media."""
    tree = book.tree()
    vocabulary = words(book.publication.language)
    root = tree.getroot()
    for section in list(root.iter("section")):
        notes = section.find("section[@role='doc-endnotes']")
        if notes is None:
            continue
        bodies = {li.get("id"): li for li in notes.iter("li")}
        for link in section.xpath(".//a[@role='doc-noteref']"):
            if "repeat" in link.get("class", ""):
                # a note called again: its number only, the note itself stands at its first call
                link.attrib.pop("href")
                link.set("class", "noteref-repeat")
                continue
            item = bodies[link.get("href")[1:]]
            note = etree.Element("span", {"class": "footnote", "id": item.get("id")})
            for backlink in item.xpath(".//a[@role='doc-backlink']"):
                _remove_keeping_tail(backlink)
            paragraphs = item.findall("p")
            for index, paragraph in enumerate(paragraphs):
                if index:
                    note.append(etree.Element("br"))
                _move_content(paragraph, note)
            if note.text:
                note.text = note.text.lstrip()
            _strip_trailing(note)
            sup = link.getparent()
            note.tail = sup.tail
            sup.getparent().replace(sup, note)
        notes.getparent().remove(notes)
    for link in root.xpath("//a[contains(concat(' ', @class, ' '), ' xref ')]"):
        link.set("data-see", vocabulary["see_page"])
    return tree


def _move_content(source: etree._Element, target: etree._Element) -> None:
    if source.text:
        if len(target):
            target[-1].tail = (target[-1].tail or "") + source.text
        else:
            target.text = (target.text or "") + source.text
    for child in list(source):
        target.append(child)


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _strip_trailing(note: etree._Element) -> None:
    if len(note):
        last = note[-1]
        last.tail = (last.tail or "").rstrip() or None
    elif note.text:
        note.text = note.text.rstrip()


def layout_families(fonts_dir: Path) -> set[str]:
    """The family names of the fonts shipped with the layout."""
    families = set()
    for path in sorted(fonts_dir.glob("*.[ot]tf")):
        with TTFont(path, lazy=True) as font:
            name = font["name"]
            family = name.getDebugName(16) or name.getDebugName(1)
            if family:
                families.add(family)
    return families


@dataclass
class Rendering:
    """A laid-out document and the means to write it."""

    document: object
    fetcher: ProjectFetcher
    font_config: FontConfiguration
    families: set[str]
    base: Path

    @property
    def page_count(self) -> int:
        return len(self.document.pages)


def render(book: Book, base: Path) -> Rendering:
    """Lay out the intermediate. ``base`` is the folder the intermediate's URLs are relative to."""
    project = book.publication.project
    diagnostics = Diagnostics()
    fetcher = ProjectFetcher(base, book.mounts)
    font_config = FontConfiguration()
    markup = etree.tostring(print_tree(book), method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    with _capture_weasyprint() as logs:
        document = HTML(
            string=markup,
            base_url=(base / "index.html").as_uri(),
            url_fetcher=fetcher,
        ).render(font_config=font_config, presentational_hints=True)
    _report(logs.records, fetcher, diagnostics)
    diagnostics.raise_if_errors()
    return Rendering(document, fetcher, font_config, layout_families(project.layouts / "fonts"), base)


def write(rendering: Rendering, edition: PdfEdition, target: Path, pages: list[int] | None = None) -> None:
    diagnostics = Diagnostics()
    document = rendering.document if pages is None else rendering.document.copy([rendering.document.pages[i] for i in pages])
    options = {"pdf_variant": edition.variant} if edition.variant else {}
    with _capture_weasyprint() as logs:
        data = document.write_pdf(**options)
    _report(logs.records, rendering.fetcher, diagnostics)
    foreign = sorted({font.family for font in document.fonts.values()} - rendering.families)
    for family in foreign:
        diagnostics.add(
            "R402",
            f"text was set in '{family}', which is not one of the layout's fonts "
            f"({', '.join(sorted(rendering.families))}): a character is missing from them",
            Location(target.name),
        )
    diagnostics.raise_if_errors()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _report(records, fetcher: ProjectFetcher, diagnostics: Diagnostics) -> None:
    refused = list(fetcher.refused)
    fetcher.refused.clear()
    for url, reason in refused:
        diagnostics.add("R400", f"'{url}' could not be loaded: {reason}")
    for record in records:
        message = record.getMessage()
        if refused and ("Failed to load" in message or "Error fetching" in message):
            continue
        diagnostics.add("R401", f"WeasyPrint: {message.splitlines()[0]}")
