"""Writer: the HTML intermediate → PDF (WeasyPrint).

Imported only when a PDF is asked for: ``import weasyprint`` alone costs most of a second.
A volume's intermediate is adapted for paged media (footnotes moved to where they are
called, so that CSS can float them to the foot of the page), laid out until the layout
settles (see ``render``), and written as the rendition asks: the screen PDF (PDF/UA-1) or
the print-shop PDF (PDF/X-4). Both renditions of a volume share one page geometry, so
the second reuses the first one's settled layout. Anything WeasyPrint logs is a build
error. What the writer knows of the document comes from assembly's ``Structure``.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pydyf
from fontTools.ttLib import TTFont
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .assemble import STYLESHEETS, AssembledVolume
from .colour import CmykConverter, palette
from .config import PrintSpec
from .markup import drop
from .overprint import overprint_black
from .errors import Diagnostics, Location, PublisherError
from .fetcher import ProjectFetcher
from .ids import IDS
from .locale import words
from .outputs import OutputRegistry, Rendition, VolumeRun, layout_fingerprint
from .pdftags import mend
from .pagination import (
    Corrections,
    PageMap,
    apply_exceptions,
    defer,
    deferrals,
    displaced_notes,
    feather,
    feathers,
    footnote_area,
    hyphen_ladders,
    keep_whole,
    lean_spaces,
    loosen,
    number_containers,
    page_starts,
    read_exceptions,
    stranded_lines,
    text_slots,
    tie_last_line,
    unlevel_spreads,
)


@dataclass(frozen=True)
class PdfSettings:
    """How one PDF rendition is written from the shared layout."""

    name: str  # the rendition
    variant: str | None  # WeasyPrint's pdf_variant
    stylesheet: str | None = None  # an extra stylesheet of layouts/css for this edition
    # the characterised printing condition of the output intent (ICC registry name, description)
    output_condition: tuple[str, str] | None = None
    # the CMYK profile (in layouts/) that SVG figures are converted with; None keeps sRGB
    cmyk_profile: str | None = None
    # the screen PDF leaves out blank pages and the half-title (its pages keep their
    # printed numbers as page labels) and begins with the cover
    for_screen: bool = False
    # the print shop's PDF fills whole signatures, has the bleed and crop marks of
    # publication.yaml's 'print', and no links
    for_print_shop: bool = False


SCREEN = PdfSettings("pdf-screen", "pdf/ua-1", stylesheet="css/screen-pdf.css", for_screen=True)
PRINT = PdfSettings(
    "pdf-print",
    "pdf/x-4",
    stylesheet="css/print-x.css",
    output_condition=("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004), offset on coated paper"),
    cmyk_profile="color/coated-fogra39-argyll.icc",
    for_print_shop=True,
)
SETTINGS = {SCREEN.name: SCREEN, PRINT.name: PRINT}


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


XREF_PLACEHOLDER = "00"


def print_tree(assembled: AssembledVolume, edition: PdfSettings, corrections: Corrections | None = None) -> etree._ElementTree:
    """The intermediate adapted for paged media (and for one rendition's extra stylesheet).

    ``corrections.pages`` maps element ids to page numbers for the cross-references'
    "zie p. N"; without it a placeholder of the same width stands in (see ``render``).
    Text containers are numbered (data-tc) so that a layout can point back at them.
    """
    corrections = corrections or Corrections()
    pages = corrections.pages
    structure = assembled.structure
    tree = assembled.tree()
    root = tree.getroot()
    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    number_containers(root, structure.manuscript_ids)  # before anything is left out: as the EPUB numbers them
    for section in structure.sections:
        # the cover is not part of the book block: the print shop gets it on a sheet of
        # its own (publisher/cover.py), the screen PDF puts it before the block (_compose)
        if not section.in_rendition("pdf") or section.part == "cover":
            drop(by_id[section.id])
    unbroken: dict[str, set[str]] = {}
    for container, word in corrections.unbroken:
        unbroken.setdefault(container, set()).add(word)
    for element in tree.getroot().xpath("//*[@data-tc]"):
        if element.get("data-tc") in unbroken:
            keep_whole(element, unbroken[element.get("data-tc")])
    loosen(tree.getroot(), corrections)
    defer(root, corrections)
    feather(root, corrections)
    for element in root.xpath(_BODY_TEXT):
        tie_last_line(element)
    exceptions = assembled.publication.project.layouts / HYPHENATION_EXCEPTIONS
    apply_exceptions(root, read_exceptions(exceptions) if exceptions.is_file() else ())
    _edition_styles(tree, edition, assembled.publication.config.printing)
    vocabulary = words(assembled.publication.language)
    lists = []
    for entry in structure.notes:
        item = by_id[entry.id]
        if item.getparent() not in lists:
            lists.append(item.getparent())
        for repeat in entry.calls[1:]:
            # a note called again: its number only, the note itself stands at its first call
            link = by_id[repeat]
            link.attrib.pop("href")
            link.set("class", "noteref-repeat")
            link.getparent().set("class", "noteref-repeat-call")  # set like a first call (print.css)
        if entry.calls:
            link = by_id[entry.calls[0]]
            note = etree.Element("span", {"class": "footnote", "id": item.get("id")})
            for backlink in item.xpath(".//a[@role='doc-backlink']"):
                drop(backlink)
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
            # the call keeps its id (an empty anchor), so links and checks can find it
            call = etree.Element("a", {"class": "footnote-anchor", "id": link.get("id")})
            parent = sup.getparent()
            parent.replace(sup, call)
            parent.insert(parent.index(call) + 1, note)
            call.tail = None
    for ordered in lists:  # the notes' own list: each note now stands at its call
        section = ordered.getparent()
        section.getparent().remove(section)
    for element in root.xpath(_DISPLAY_TYPE):
        _tie_last_words(element)
    for link in root.xpath(_XREFS):
        link.set("data-see", vocabulary["see_page"].replace(" ", "\u00a0"))  # "zie p." never breaks
        if link.get("data-label"):  # a figure or table: "zie figuur 3 op p. 48"
            see = vocabulary["see_label_page"].format(label=link.get("data-label")).split()
            # "zie figuur 3" and "op p." hold together; the line may break between them
            link.set("data-see", "\u00a0".join(see[:-2]) + " " + "\u00a0".join(see[-2:]))
    for link in root.xpath("//a[starts-with(@href, 'http:') or starts-with(@href, 'https:')]"):
        if link.text and link.text == link.get("href") and not len(link):
            link.text = _URL_BREAKS.sub("\u200b", link.text)
    for link in root.xpath(_PAGE_REFERENCES):
        target = link.get("href")[1:]
        link.set("data-page", str(pages[target]) if pages else XREF_PLACEHOLDER)
    for entry in root.xpath("//li[@data-index-occurrences]"):
        index_locators(entry, pages)
    for section in root.xpath(_MANUSCRIPTS):  # running text (not the index's locators, whose breaks it would take away)
        lean_spaces(section)
    return tree


def page_ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """Pages as runs of consecutive pages: [15, 21, 63, 64, 65] → [(15, 15), (21, 21), (63, 65)]."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return [(first, last) for first, last in runs]


def index_locators(entry: etree._Element, pages: dict[str, int] | None) -> None:
    """An index entry's locators as page numbers ("15, 21, 63–68"), each a link to the
    first occurrence on its page or run of pages (assemble.index_groups lists them all)."""
    occurrences = entry.get("data-index-occurrences").split()
    locators = entry.find("span[@class='index-locators']")
    for child in list(locators):
        locators.remove(child)
    locators.text = None
    if not pages:  # the first layout: one placeholder per occurrence is wider than the result
        runs = [(XREF_PLACEHOLDER, occurrences[0])]
    else:
        first_on: dict[int, str] = {}
        for ident in occurrences:
            first_on.setdefault(pages[ident], ident)
        runs = [(str(a) if a == b else f"{a}\u2013{b}", first_on[a]) for a, b in page_ranges(list(first_on))]
    for number, (label, ident) in enumerate(runs):
        link = etree.SubElement(locators, "a", {"class": "index-page", "href": f"#{ident}"})
        link.text = label
        if number + 1 < len(runs):
            link.tail = ", "


def _edition_styles(tree: etree._ElementTree, edition: PdfSettings, printing: PrintSpec) -> None:
    """The rendition's own stylesheet, and for the print shop the bleed and the slug
    (room for crop marks outside the bleed, see ``_marks``) from publication.yaml."""
    head = tree.getroot().find("head")
    if edition.stylesheet:
        head.append(etree.Element("link", {"rel": "stylesheet", "href": edition.stylesheet, "media": "print"}))
    if edition.for_print_shop:
        style = etree.SubElement(head, "style", {"media": "print"})
        style.text = f"@page {{ bleed: {printing.bleed + (SLUG if printing.marks else 0):g}mm; }}"


def cover_tree(assembled: AssembledVolume, edition: PdfSettings) -> etree._ElementTree | None:
    """The intermediate with nothing but its cover, for the page before the screen PDF's
    book block; None when the volume has no cover."""
    tree = assembled.tree()
    root = tree.getroot()
    body = root.find("body")
    covers = [s for s in assembled.structure.sections if s.part == "cover" and s.in_rendition("pdf")]
    if not covers:
        return None
    keep = covers[0].id
    for child in list(body):
        if child.get("id") != keep:
            body.remove(child)
    _edition_styles(tree, edition, assembled.publication.config.printing)
    return tree


# The designer's hyphenation exception list, in layouts/ (docs/layouts.md).
HYPHENATION_EXCEPTIONS = "hyphenation.txt"
_MANUSCRIPTS = "//section[@id and contains(concat(' ', @class, ' '), ' manuscript ')]"
# Paragraphs and list items of the manuscripts, whose last line is kept from being a runt.
_BODY_TEXT = (
    "//section[@id and contains(concat(' ', @class, ' '), ' manuscript ')]//*[self::p or self::li]"
    "[not(ancestor::li or ancestor::td or ancestor::th or ancestor::figure or ancestor::header)]"
)

# Display type whose last line should never hold a single word.
_DISPLAY_TYPE = "//h1 | //h2 | //h3 | //*[@data-display]"


def _tie_last_words(element: etree._Element) -> None:
    """Join the last two words of a heading with a no-break space (no lone last word)."""
    for node, kind in reversed(text_slots(element)):
        value = getattr(node, kind)
        if not value or not value.strip():
            continue
        stripped = value.rstrip()
        if " " in stripped.strip():
            head, _, last = stripped.rpartition(" ")
            setattr(node, kind, f"{head}\u00a0{last}{value[len(stripped):]}")
        return  # only the last piece of text counts


# A printed address may break where the Chicago Manual puts such breaks: before a single
# slash, a period, hyphen, underscore, question mark, number sign or percent sign, before
# '=' and '&' (a zero-width space marks the place); never inside "https://".
_URL_BREAKS = re.compile(r"(?<=\w)(?=[/.\-_?#%=&])(?!//)")
# cross-references print "see p. N"; every link with data-page-ref prints the page of its
# target (cross-references, contents, index): assemble.resolve_xrefs and docs/layouts.md
_XREFS = "//a[@data-page-ref='see']"
_PAGE_REFERENCES = "//a[@data-page-ref]"


def _move_content(source: etree._Element, target: etree._Element) -> None:
    if source.text:
        if len(target):
            target[-1].tail = (target[-1].tail or "") + source.text
        else:
            target.text = (target.text or "") + source.text
    for child in list(source):
        target.append(child)


def _strip_trailing(note: etree._Element) -> None:
    if len(note):
        last = note[-1]
        last.tail = (last.tail or "").rstrip() or None
    elif note.text:
        note.text = note.text.rstrip()


def check_resolution(rendering: Rendering, assembled: AssembledVolume, diagnostics: Diagnostics) -> None:
    """Warn (B324) at the manuscript line of every raster image printed below 300 dpi."""
    from .pagination import PRINT_DPI, low_resolution_images

    entries = assembled.volume.entries
    places = {image.src: entry.manuscript.location(image.at) for entry in entries for image in entry.manuscript.scan.images}
    for src, dpi in low_resolution_images(rendering):
        diagnostics.add(
            "B324",
            f"'{src}' prints at {dpi:.0f} dpi at its placed size; {PRINT_DPI} dpi is needed for print",
            places.get(src),
        )


def check_pull_quotes(rendering: Rendering, assembled: AssembledVolume, diagnostics: Diagnostics) -> None:
    """Warn (R431) at the manuscript line of every pull quote that stands on the same
    spread as the words it repeats."""
    from .pagination import echoed_pull_quotes

    places = {
        entry.manuscript.slug: (entry.manuscript, [block.at for block in entry.manuscript.scan.blocks if block.name == "citaat"])
        for entry in assembled.volume.entries
    }
    for slug, index, page, source in echoed_pull_quotes(rendering):
        manuscript, spans = places.get(slug, (None, []))
        where = manuscript.location(spans[index]) if manuscript is not None and index < len(spans) else None
        diagnostics.add(
            "R431",
            f"the pull quote on p. {page} of {assembled.volume.identity.stem} repeats words the reader meets on p. {source}, on the same spread: "
            "move it at least a spread away from them",
            where,
        )


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
    identifier: str
    fingerprint: str  # of everything the layout was made from (outputs.layout_fingerprint)
    notes: tuple[str, ...] = ()  # the ids of the footnotes, as the print tree sets them
    corrections: Corrections = Corrections()

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    def page_map(self, assembled: AssembledVolume, source: str) -> PageMap:
        """Where each printed page begins, for the EPUB's page-list."""
        return PageMap(self.fingerprint, page_starts(self), source)

    def anchor_pages(self) -> dict[str, int]:
        """Element id → the (1-based) page number it stands on."""
        found: dict[str, int] = {}
        for number, page in enumerate(self.document.pages, start=1):
            for anchor in page.anchors:
                found.setdefault(anchor, number)
        return found


MAX_LAYOUTS = 6


def render(assembled: AssembledVolume, base: Path, edition: PdfSettings = SCREEN, corrections: Corrections | None = None) -> Rendering:
    """Lay out the intermediate for one rendition until the layout is settled.

    Two things CSS cannot do here are done by laying out, looking, and laying out again:

    - Page numbers (cross-references, contents, index): with ``target-counter()``
      WeasyPrint lays out again the pages after a forward reference, and that second
      pass repeats or displaces footnotes (footnotes put off to a later page are not
      rolled back). So the numbers are written in as text; the first layout uses a
      placeholder of the same width.
    - No more than two hyphenated line ends in a row (WeasyPrint has no
      ``hyphenate-limit-lines``): the word at the end of a third one is kept whole.
    - A footnote on the page of its call: where WeasyPrint would put a note a page late
      (see ``pagination.displaced_notes``), the page break is made explicit.
    - No hole at a page foot: a figure, table or pull quote that leaves a page of a text
      more than three lines short is put after the next paragraph or box
      (``pagination.deferrals``).

    The layout is repeated until the page numbers it produces are the ones it shows and
    it has no hyphen ladder, displaced note or deferral left; ``corrections`` from an edition with the same geometry
    usually make the first layout the last. ``base`` is the folder the intermediate's
    URLs are relative to.
    """
    targets = assembled.structure.page_refs
    corrections = corrections or Corrections()
    for _ in range(MAX_LAYOUTS):
        rendering = _render(assembled, base, edition, corrections)
        pages = rendering.anchor_pages()
        ladders = hyphen_ladders(rendering)
        loose, moved = displaced_notes(rendering)
        stranded = {container for _, container, _ in stranded_lines(rendering) if container in corrections.loose}
        stranded -= corrections.stranded
        deferred = deferrals(rendering, assembled.structure.manuscript_ids, corrections)
        settled = corrections.pages is not None and all(pages.get(t) == corrections.pages.get(t) for t in targets)
        if (settled or not targets) and not (ladders or loose or moved or stranded or deferred):
            return _feathered(assembled, base, edition, rendering, corrections)
        corrections = corrections.learn(pages, ladders, loose, stranded, moved, deferred)
    diagnostics = Diagnostics()
    diagnostics.add(
        "R401",
        f"the layout of {assembled.volume.identity.stem} did not settle after {MAX_LAYOUTS} passes (page numbers, hyphenation or footnotes)",
    )
    raise PublisherError(diagnostics)


MAX_FEATHER_TRIALS = 6
MAX_LEVELLING_TRIALS = 3


def _feathered(assembled: AssembledVolume, base: Path, edition: PdfSettings, rendering: Rendering, corrections: Corrections) -> Rendering:
    """The settled layout with its short pages filled by space above their headings and
    boxes (``pagination.feathers``), laid out again to make sure that every page still
    begins where it began and every anchor stays on its page. Where a page no longer
    holds what it held, that page keeps its shortfall and the others are tried again;
    a page that keeps its shortfall is not tried again (its blocks are recorded with
    their own margin). A page that kept only part of its space is then brought level
    with the page facing it where it can be (``_levelled``)."""
    planned = feathers(rendering, assembled.structure.manuscript_ids, corrections)
    full = {page: dict(blocks) for page, blocks in planned.items()}  # what each page lacked: more cannot help
    pages = rendering.anchor_pages()
    starts = _starts(rendering)
    refused: dict[str, float] = {}
    halved: set[int] = set()
    for _ in range(MAX_FEATHER_TRIALS):
        if not planned:
            break
        trial = corrections.learn(pages, feathered=_spaces(refused, planned))
        candidate = _render(assembled, base, edition, trial)
        found = _starts(candidate)
        if found == starts and candidate.anchor_pages() == pages:
            candidate.corrections = trial
            return _levelled(assembled, base, edition, candidate, corrections, refused, planned, full)
        # the first page that no longer begins where it began: the one before it overflowed;
        # it is tried once more with half the space, then left as it was
        changed = next((old[0] for old, new in zip(starts, found) if old != new), starts[-1][0] if starts else 1)
        overflowed = max((p for p in planned if p < changed), default=min(planned))
        if overflowed in halved:
            refused.update({block: _own_margin(rendering, block) for block in planned.pop(overflowed)})
        else:
            halved.add(overflowed)
            planned[overflowed] = {block: round((_own_margin(rendering, block) + space) / 2, 2) for block, space in planned[overflowed].items()}
    rendering.corrections = corrections.learn(pages, feathered=refused) if refused else corrections
    return rendering


def _levelled(
    assembled: AssembledVolume,
    base: Path,
    edition: PdfSettings,
    best: Rendering,
    corrections: Corrections,
    refused: dict[str, float],
    planned: dict[int, dict[str, float]],
    full: dict[int, dict[str, float]],
) -> Rendering:
    """The feathered layout with its facing pages brought level where space can do it.
    A page that overflowed with all the space it lacked kept half of it; where it now
    ends more than ``pagination.LEVEL`` lines apart from the page facing it, the space
    between what it holds and what overflowed is halved again (a bisection), each step
    laid out and kept only if every page still begins where it began and every anchor
    stays on its page."""
    pages = best.anchor_pages()
    starts = _starts(best)
    planned = dict(planned)
    full = dict(full)
    for _ in range(MAX_LEVELLING_TRIALS):
        shorter = [page for page, _ in unlevel_spreads(best, assembled.structure.manuscript_ids) if page in planned and planned[page] != full[page]]
        if not shorter:
            break
        tried = dict(planned)
        for page in shorter:
            tried[page] = {block: round((space + full[page][block]) / 2, 2) for block, space in planned[page].items()}
        trial = corrections.learn(pages, feathered=_spaces(refused, tried))
        candidate = _render(assembled, base, edition, trial)
        if _starts(candidate) == starts and candidate.anchor_pages() == pages:
            candidate.corrections = trial
            best, planned = candidate, tried
        else:
            full.update({page: tried[page] for page in shorter})  # that much overflowed: the bound comes down
    return best


def _starts(rendering: Rendering) -> list[tuple[int, str, str]]:
    return [(s.page, s.container, s.text) for s in page_starts(rendering)]


def _spaces(refused: dict[str, float], planned: dict[int, dict[str, float]]) -> dict[str, float]:
    """Flow block → the margin above it: the refused ones at their own, the planned ones as planned."""
    return {**refused, **{block: space for page in planned.values() for block, space in page.items()}}


def _own_margin(rendering: Rendering, block: str) -> float:
    from weasyprint.formatting_structure import boxes

    for page in rendering.document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.BlockLevelBox) and box.element is not None and box.element.get("data-fb") == block:
                return round(box.margin_top, 2)
    return 0.0


def _render(assembled: AssembledVolume, base: Path, edition: PdfSettings, corrections: Corrections) -> Rendering:
    project = assembled.publication.project
    diagnostics = Diagnostics()
    convert = _cmyk(project.layouts, edition) if edition.cmyk_profile else None
    fetcher = ProjectFetcher(base, assembled.mounts, convert, assembled.structure.assets)
    font_config = FontConfiguration()
    tree = print_tree(assembled, edition, corrections)
    notes = tuple(tree.getroot().xpath("//*[@class='footnote']/@id"))
    document = _lay_out(tree, base, fetcher, font_config, diagnostics)
    fingerprint = layout_fingerprint(assembled.html, project.layouts, assembled.structure.assets)
    return Rendering(document, fetcher, font_config, layout_families(project.layouts / "fonts"), base, assembled.volume.identity.identifier, fingerprint, notes)


def _lay_out(tree: etree._ElementTree, base: Path, fetcher: ProjectFetcher, font_config: FontConfiguration, diagnostics: Diagnostics):
    """WeasyPrint's layout of ``tree``; anything it logs is a build error."""
    markup = etree.tostring(tree, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    with _capture_weasyprint() as logs:
        document = HTML(
            string=markup,
            base_url=(base / "index.html").as_uri(),
            url_fetcher=fetcher,
        ).render(font_config=font_config, presentational_hints=True)
    _report(logs.records, fetcher, diagnostics)
    diagnostics.raise_if_errors()
    return document


def _cmyk(layouts: Path, edition: PdfSettings):
    """Image conversion for the print shop: SVG colours and raster figures to CMYK, the
    layout's palette in its own inks (``colour.palette``)."""
    screen = [layouts / href for href, _ in STYLESHEETS]
    converter = CmykConverter(layouts / edition.cmyk_profile, palette(screen, layouts / edition.stylesheet))

    def convert(kind: str, data: bytes) -> tuple[str, bytes]:
        if kind == "image/svg+xml":
            return kind, converter.svg(data)
        if kind in ("image/png", "image/jpeg"):
            return "image/jpeg", converter.raster(data)
        return kind, data

    return convert


def write(assembled: AssembledVolume, rendition: Rendition, outputs: OutputRegistry, run: VolumeRun, diagnostics: Diagnostics) -> None:
    """Lay out (or reuse the volume's settled layout) and write one PDF rendition."""
    edition = SETTINGS[rendition.name]
    target = outputs.path(assembled.volume, rendition)
    rendering = _settled(assembled, edition, outputs, run)
    pages = rendering.anchor_pages()
    if run.page_map is None:
        run.page_map = rendering.page_map(assembled, rendition.name)
        run.page_map_source = rendition.name
        run.page_map.save(outputs.page_map_path(assembled.volume))
        run.anchor_pages = pages
        check_resolution(rendering, assembled, diagnostics)
        check_pull_quotes(rendering, assembled, diagnostics)
    elif pages != run.anchor_pages:
        moved = sorted(k for k in set(pages) | set(run.anchor_pages) if pages.get(k) != run.anchor_pages.get(k))
        diagnostics.add(
            "R411",
            f"{target.name} is paginated differently from the {run.page_map_source} rendition "
            f"({len(moved)} anchors on other pages, first '{moved[0]}'): the EPUB's page numbers follow the {run.page_map_source} one",
            Location(outputs.shown(target)),
        )
    count = _write_pdf(rendering, assembled, edition, target)
    run.book_pages = rendering.page_count
    if edition.variant == "pdf/ua-1":
        _check_accessibility(target, outputs.shown(target), diagnostics)
    if edition.cmyk_profile:
        _check_no_rgb(target, assembled, pages, outputs.shown(target))
    outputs.add(target, rendition.media_type, count)


def _check_accessibility(target: Path, shown: str, diagnostics: Diagnostics) -> None:
    """The screen PDF is read back and checked against PDF/UA-1 (``pdfcheck``): each
    failure is a warning, which ``--release`` makes an error."""
    from .pdfcheck import check_pdf

    for finding in check_pdf(target).findings:
        diagnostics.add("R418", str(finding), Location(shown))


def _check_no_rgb(target: Path, assembled: AssembledVolume, anchors: dict[str, int], shown: str) -> None:
    """The print-shop PDF is verified, not assumed, to hold no RGB: every content stream,
    form, image and shading is read back (pikepdf). A find is an error naming the page
    and the text it belongs to."""
    import pikepdf

    starts = sorted((anchors.get(s.id, 0), s.title) for s in assembled.structure.sections if s.part == "manuscript")

    def text_of(page: int) -> str:
        title = next((t for p, t in reversed(starts) if p and p <= page), None)
        return f" (in '{title}')" if title else ""

    found: list[tuple[int, str]] = []

    def rgb_space(space) -> bool:
        if space is None:
            return False
        if isinstance(space, pikepdf.Name):
            return space == "/DeviceRGB"
        if isinstance(space, pikepdf.Array) and len(space):
            kind = space[0]
            if kind == "/ICCBased":
                return int(space[1].get("/N", 0)) == 3
            if kind == "/Indexed":
                return rgb_space(space[1])
            if kind in ("/Separation", "/DeviceN"):
                return rgb_space(space[2])
        return False

    def scan(number: int, resources, stream, seen: set) -> None:
        for operands, operator in pikepdf.parse_content_stream(stream):
            if str(operator) in ("rg", "RG"):
                found.append((number, f"a colour set in DeviceRGB ({str(operator)})"))
                return
            if str(operator) in ("cs", "CS") and operands and operands[0] == "/DeviceRGB":
                found.append((number, "a colour space DeviceRGB"))
                return
        if resources is None:
            return
        for name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Image" and rgb_space(xobject.get("/ColorSpace")):
                found.append((number, f"an image in RGB ({name})"))
            elif xobject.get("/Subtype") == "/Form":
                scan(number, xobject.get("/Resources"), xobject, seen)
        for name, shading in (resources.get("/Shading") or {}).items():
            if rgb_space(shading.get("/ColorSpace")):
                found.append((number, f"a shading in RGB ({name})"))
        for name, pattern in (resources.get("/Pattern") or {}).items():
            shading = pattern.get("/Shading")
            if shading is not None and rgb_space(shading.get("/ColorSpace")):
                found.append((number, f"a shading in RGB ({name})"))
            elif pattern.get("/PatternType") == 1 and pattern.objgen not in seen:
                seen.add(pattern.objgen)
                scan(number, pattern.get("/Resources"), pattern, seen)

    with pikepdf.open(target) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            scan(number, page.get("/Resources"), page, set())
    if found:
        diagnostics = Diagnostics()
        for number, what in found:
            diagnostics.add("R415", f"page {number}{text_of(number)} holds {what}: the print shop needs CMYK only", Location(shown))
        target.unlink()
        raise PublisherError(diagnostics)


def _compose(rendering: Rendering, assembled: AssembledVolume, edition: PdfSettings, diagnostics: Diagnostics):
    """The laid-out book block made into the rendition's pages: (document, labels), a
    label being the printed page number of each page, or a name (the cover's).

    - Screen: the cover first, then the book block without its blank pages and its
      half-title; every page keeps its printed number as its page label, so that "p. 39"
      is the same page in both PDFs and in the EPUB's page-list.
    - Print shop: the book block from the half-title on, filled up with blank pages to a
      whole number of signatures (``print.signature`` in publication.yaml).
    """
    document = rendering.document
    if edition.for_screen:
        pages, labels = [], []
        tree = cover_tree(assembled, edition)
        if tree is not None:
            cover = _lay_out(tree, rendering.base, rendering.fetcher, rendering.font_config, diagnostics)
            pages += cover.pages
            labels += [words(assembled.publication.config.language)["cover"]] * len(cover.pages)
        for folio, page in enumerate(document.pages, start=1):
            if page._page_box.page_type.blank or IDS["half_title"] in page.anchors:
                continue
            pages.append(page)
            labels.append(folio)
        return document.copy(pages), labels
    signature = assembled.publication.config.printing.signature
    missing = -len(document.pages) % signature
    if edition.for_print_shop and missing:
        blank = _lay_out(_blank_tree(assembled, edition), rendering.base, rendering.fetcher, rendering.font_config, diagnostics)
        pages = list(document.pages) + [blank.pages[0]] * missing
        return document.copy(pages), list(range(1, len(pages) + 1))
    return document, list(range(1, len(document.pages) + 1))


def book_block_pages(assembled: AssembledVolume, outputs: OutputRegistry, run: VolumeRun) -> int:
    """The number of pages of the volume's book block, laid out for the print shop (for
    a cover sheet written without the book block in the same build)."""
    rendering = _settled(assembled, PRINT, outputs, run)
    run.book_pages = rendering.page_count
    return rendering.page_count


def _settled(assembled: AssembledVolume, edition: PdfSettings, outputs: OutputRegistry, run: VolumeRun) -> Rendering:
    """The rendition laid out until settled, starting from what an earlier layout of the
    same inputs learned (this build's other rendition, or build/.cache/layouts)."""
    base = outputs.out / "html"  # the intermediate's URLs are relative to this (see fetcher; nothing is read there)
    cache_key = f"{assembled.volume.identity.stem}-{layout_fingerprint(assembled.html, assembled.publication.project.layouts, assembled.structure.assets)}.json"
    if run.corrections is None:
        check_stylesheets(assembled, base)
        kept = outputs.cached("layouts", cache_key)  # learned by an earlier build from these very inputs
        run.corrections = Corrections.from_bytes(kept) if kept is not None else None
    rendering = render(assembled, base, edition, run.corrections)
    if rendering.corrections != run.corrections:
        outputs.keep("layouts", cache_key, rendering.corrections.to_bytes())
    run.corrections = rendering.corrections  # the renditions share their page geometry
    return rendering


def write_sheet(assembled: AssembledVolume, markup: str, base: Path, target: Path, sheet, shown: str) -> int:
    """Lay out a cover sheet's HTML for the print shop and write it as a PDF/X-4 with the
    bleed and crop marks of publication.yaml, and fold marks at the spine; the number of
    pages it took. Checked, like the book block, to hold no RGB."""
    project = assembled.publication.project
    diagnostics = Diagnostics()
    fetcher = ProjectFetcher(base, assembled.mounts, _cmyk(project.layouts, PRINT), assembled.structure.assets)
    font_config = FontConfiguration()
    tree = etree.ElementTree(etree.fromstring(markup, etree.HTMLParser()))
    document = _lay_out(tree, base, fetcher, font_config, diagnostics)
    printing = assembled.publication.config.printing
    folds = tuple(x * PT_PER_MM for x in (sheet.trim_width, sheet.trim_width + sheet.spine))
    seed = f"{assembled.volume.identity.identifier}|pdf-cover"
    finish = partial(_finish, PRINT, seed, (), [], [], printing, folds=folds)
    with _capture_weasyprint() as logs:
        data = document.write_pdf(finisher=finish, pdf_variant=PRINT.variant)
    _report(logs.records, fetcher, diagnostics)
    diagnostics.raise_if_errors()
    if printing.overprint_black:
        data = overprint_black(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    _check_no_rgb(target, assembled, {}, shown)
    return len(document.pages)


def _blank_tree(assembled: AssembledVolume, edition: PdfSettings) -> etree._ElementTree:
    """A page with nothing on it (no running head, folio or mark), of the book's size."""
    tree = assembled.tree()
    body = tree.getroot().find("body")
    for child in list(body):
        body.remove(child)
    for name in list(body.attrib):
        del body.attrib[name]
    etree.SubElement(body, "div", {"style": "page: front"})
    _edition_styles(tree, edition, assembled.publication.config.printing)
    return tree


def _write_pdf(rendering: Rendering, assembled: AssembledVolume, edition: PdfSettings, target: Path) -> int:
    """Write the rendition; the number of pages written."""
    diagnostics = Diagnostics()
    document, labels = _compose(rendering, assembled, edition, diagnostics)
    options = {"pdf_variant": edition.variant} if edition.variant else {}
    languages: list = []
    printing = assembled.publication.config.printing
    finish = partial(_finish, edition, f"{rendering.identifier}|{edition.name}", rendering.notes, languages, labels, printing)
    with _capture_weasyprint() as logs, _languages_of_parts(languages):
        data = document.write_pdf(finisher=finish, **options)
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
    if edition.for_print_shop and printing.overprint_black:
        data = overprint_black(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return len(document.pages)


_XMP_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


@contextmanager
def _languages_of_parts(found: list):
    """Note, while WeasyPrint tags the PDF, each structure element made for an element with
    a ``lang`` of its own (a phrase in another language), so that the finisher can give it
    its /Lang: WeasyPrint 70 sets /Lang on the catalog only."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def build(box, parent, pdf, *args):
        source = getattr(box, "element", None)
        language = source.get("lang") if source is not None and box.element_tag not in ("html", "body") else None
        for element in original(box, parent, pdf, *args):
            if language:
                found.append((element, language))
            yield element

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def _finish(edition: PdfSettings, seed: str, notes: tuple[str, ...], languages: list, labels: list, printing: PrintSpec, document, pdf, folds: tuple[float, ...] = ()) -> None:
    """Last touches to the PDF objects before they are written.

    - Language of parts: a structure element of a phrase in another language carries its
      /Lang (the innermost element's language wins, as in HTML).
    - Reproducible: WeasyPrint writes a random XMP DocumentID for PDF/X-4; derive it from
      the publication instead (the file /ID hashes the content, so it is stable too).
    - Bookmark titles with plain spaces.
    - The output intent names its printing condition as the ICC registry does, which is
      what a print shop's preflight looks for (WeasyPrint uses the profile's own name).
    - Screen PDF (tagged): the structure tree mended where WeasyPrint leaves it short of
      PDF/UA-1 (``pdftags``: margin boxes as artifacts, links on their Link element,
      header cells with Scope, footnotes as Notes).
    - Page labels: every page is labelled with its printed number (the cover with the
      word for it), so that a reader's "p. 39" is the PDF's page 39 in both editions.
    - Print shop: the BleedBox exactly the configured bleed around the TrimBox, crop
      marks outside it (``_marks``), and no links (a print file has no use for them).
    """
    if len(labels) > 1:
        _page_labels(pdf, labels)
    if edition.for_print_shop:
        for page in _pdf_pages(pdf):
            page.pop("Annots", None)
            _bleed_and_marks(pdf, page, printing, folds)
    main = pdf.catalog["Lang"].string if isinstance(pdf.catalog.get("Lang"), pydyf.String) else None
    for element, language in languages:  # innermost first: the generators finish inside out
        if "Lang" not in element and language != main:
            element["Lang"] = pydyf.String(language)
    if pdf.catalog.get("StructTreeRoot") is not None:
        mend(pdf, _page_notes(document), notes, document.pages[0].height if document.pages else 0)
    stable = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}".encode()
    for obj in pdf.objects:
        # bookmarks read as plain text: no typographic no-break spaces (see _tie_last_words)
        if isinstance(obj, pydyf.Dictionary) and "Dest" in obj and isinstance(obj.get("Title"), pydyf.String):
            obj["Title"] = pydyf.String(obj["Title"].string.replace("\u00a0", " "))
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
            obj.stream = [_XMP_DOCUMENT_ID.sub(stable, part) if isinstance(part, bytes) else part for part in obj.stream]
    if edition.output_condition and "OutputIntents" in pdf.catalog:
        identifier, info = edition.output_condition
        for intent in pdf.catalog["OutputIntents"]:
            intent["OutputConditionIdentifier"] = pydyf.String(identifier)
            intent["RegistryName"] = pydyf.String("http://www.color.org")
            intent["Info"] = pydyf.String(info)


SLUG = 7.0  # mm beyond the bleed for crop marks: they start 1 mm outside the bleed and are 5 mm long
MARK_GAP, MARK_LENGTH, MARK_WIDTH = 1.0, 5.0, 0.25  # mm beyond the bleed, mm, pt (a hairline)
PT_PER_MM = 72 / 25.4


def _pdf_pages(pdf) -> list:
    kids = pdf.pages["Kids"]
    return [pdf.objects[kids[index]] for index in range(0, len(kids), 3)]


def _page_labels(pdf, labels: list[int | str]) -> None:
    """/PageLabels: a new range wherever a page's printed number does not follow the
    previous one (after a left-out blank page), a page with a name (the cover) as such."""
    nums = []
    previous = None
    for index, label in enumerate(labels):
        if isinstance(label, str):
            nums += [index, pydyf.Dictionary({"P": pydyf.String(label)})]
            label = None
        elif previous is None or label != previous + 1:
            nums += [index, pydyf.Dictionary({"S": "/D", "St": label})]
        previous = label
    if nums:
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(nums)})


def _bleed_and_marks(pdf, page, printing: PrintSpec, folds: tuple[float, ...] = ()) -> None:
    """The page's BleedBox set to its TrimBox plus the bleed; with ``printing.marks``,
    crop marks drawn in the slug outside the bleed in registration colour, as hairlines,
    and fold marks at the x positions ``folds`` (pt from the trim's left edge: a cover's
    spine). WeasyPrint puts its own marks inside the bleed and a BleedBox of at most 10 pt."""
    left, bottom, right, top = (float(v) for v in page["TrimBox"])
    bleed = printing.bleed * PT_PER_MM
    page["BleedBox"] = pydyf.Array([left - bleed, bottom - bleed, right + bleed, top + bleed])
    if not printing.marks:
        return
    near = bleed + MARK_GAP * PT_PER_MM
    far = near + MARK_LENGTH * PT_PER_MM
    lines = []
    for x, sign_x in ((left, -1), (right, 1)):
        for y, sign_y in ((bottom, -1), (top, 1)):
            lines.append((x + sign_x * near, y, x + sign_x * far, y))  # along the horizontal trim edge
            lines.append((x, y + sign_y * near, x, y + sign_y * far))  # along the vertical one
    for fold in folds:
        for y, sign_y in ((bottom, -1), (top, 1)):
            lines.append((left + fold, y + sign_y * near, left + fold, y + sign_y * far))
    drawing = [f"q 1 1 1 1 K {MARK_WIDTH:g} w 0 J []0 d"]
    drawing += [f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l S" for x1, y1, x2, y2 in lines]
    drawing.append("Q")
    opening = pydyf.Stream([b"q"])
    marks = pydyf.Stream([b"Q", *(line.encode() for line in drawing)])
    pdf.add_object(opening)
    pdf.add_object(marks)
    contents = page["Contents"]
    page["Contents"] = pydyf.Array([opening.reference, contents, marks.reference])


def _page_notes(document) -> list[list[str]]:
    """The ids of the footnotes on each laid-out page, in order."""
    found = []
    for page in document.pages:
        area = footnote_area(page)
        found.append([box.element.get("id") for box in area.children if box.element is not None] if area is not None else [])
    return found


_AT_POSITION = re.compile(r" at (\d+):(\d+)")


def check_stylesheets(assembled: AssembledVolume, base: Path) -> None:
    """Parse each stylesheet of the layout on its own, so that a problem in one is reported
    with its file, line and column (WeasyPrint's own message names neither file)."""
    project = assembled.publication.project
    diagnostics = Diagnostics()
    fetcher = ProjectFetcher(base, assembled.mounts)
    font_config = FontConfiguration()
    for sheet in sorted((project.layouts / "css").glob("*.css")):
        rel = f"layouts/css/{sheet.name}"
        with _capture_weasyprint() as logs:
            CSS(string=sheet.read_text("utf-8"), base_url=(base / "css" / sheet.name).as_uri(), url_fetcher=fetcher, font_config=font_config)
        for record in logs.records:
            message = record.getMessage().splitlines()[0]
            where = _AT_POSITION.search(message)
            location = Location(rel, int(where.group(1)), int(where.group(2))) if where else Location(rel)
            diagnostics.add("R401", _AT_POSITION.sub("", message), location)
        for url, reason in fetcher.refused:
            diagnostics.add("R400", f"'{url}' could not be loaded: {reason}", Location(rel))
        fetcher.refused.clear()
    diagnostics.raise_if_errors()


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
