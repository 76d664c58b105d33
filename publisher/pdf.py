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

from .assemble import AssembledVolume
from .colour import CmykConverter
from .markup import drop
from .errors import Diagnostics, Location, PublisherError
from .fetcher import ProjectFetcher
from .locale import words
from .outputs import OutputRegistry, Rendition, VolumeRun, layout_fingerprint
from .pdftags import mend
from .pagination import (
    Corrections,
    PageMap,
    displaced_notes,
    footnote_area,
    hyphen_ladders,
    keep_whole,
    loosen,
    number_containers,
    page_starts,
    stranded_lines,
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


SCREEN = PdfSettings("pdf-screen", "pdf/ua-1")
PRINT = PdfSettings(
    "pdf-print",
    "pdf/x-4",
    stylesheet="css/print-x.css",
    output_condition=("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004), offset on coated paper"),
    cmyk_profile="color/coated-fogra39-argyll.icc",
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
    for section in structure.sections:
        if not section.in_rendition("pdf"):
            drop(by_id[section.id])
    unbroken: dict[str, set[str]] = {}
    for container, word in corrections.unbroken:
        unbroken.setdefault(container, set()).add(word)
    number_containers(root, structure.manuscript_ids)
    for element in tree.getroot().xpath("//*[@data-tc]"):
        if element.get("data-tc") in unbroken:
            keep_whole(element, unbroken[element.get("data-tc")])
    loosen(tree.getroot(), corrections)
    if edition.stylesheet:
        head = tree.getroot().find("head")
        head.append(etree.Element("link", {"rel": "stylesheet", "href": edition.stylesheet, "media": "print"}))
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


# Display type whose last line should never hold a single word.
_DISPLAY_TYPE = "//h1 | //h2 | //h3 | //*[@data-display]"


def _tie_last_words(element: etree._Element) -> None:
    """Join the last two words of a heading with a no-break space (no lone last word)."""
    slots = []  # (node, 'text' or 'tail') in document order

    def collect(node: etree._Element) -> None:
        slots.append((node, "text"))
        for child in node:
            collect(child)
            slots.append((child, "tail"))

    collect(element)
    for node, kind in reversed(slots):
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

    The layout is repeated until the page numbers it produces are the ones it shows and
    it has no hyphen ladder or displaced note left; ``corrections`` from an edition with the same geometry
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
        settled = corrections.pages is not None and all(pages.get(t) == corrections.pages.get(t) for t in targets)
        if (settled or not targets) and not (ladders or loose or moved or stranded):
            rendering.corrections = corrections
            return rendering
        corrections = corrections.learn(pages, ladders, loose, stranded, moved)
    diagnostics = Diagnostics()
    diagnostics.add(
        "R401",
        f"the layout of {assembled.volume.identity.stem} did not settle after {MAX_LAYOUTS} passes (page numbers, hyphenation or footnotes)",
    )
    raise PublisherError(diagnostics)


def _render(assembled: AssembledVolume, base: Path, edition: PdfSettings, corrections: Corrections) -> Rendering:
    project = assembled.publication.project
    diagnostics = Diagnostics()
    convert = _cmyk(project.layouts / edition.cmyk_profile) if edition.cmyk_profile else None
    fetcher = ProjectFetcher(base, assembled.mounts, convert, assembled.structure.assets)
    font_config = FontConfiguration()
    tree = print_tree(assembled, edition, corrections)
    notes = tuple(tree.getroot().xpath("//*[@class='footnote']/@id"))
    markup = etree.tostring(tree, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    with _capture_weasyprint() as logs:
        document = HTML(
            string=markup,
            base_url=(base / "index.html").as_uri(),
            url_fetcher=fetcher,
        ).render(font_config=font_config, presentational_hints=True)
    _report(logs.records, fetcher, diagnostics)
    diagnostics.raise_if_errors()
    fingerprint = layout_fingerprint(assembled.html, project.layouts, assembled.structure.assets)
    return Rendering(document, fetcher, font_config, layout_families(project.layouts / "fonts"), base, assembled.volume.identity.identifier, fingerprint, notes)


def _cmyk(profile: Path):
    """Image conversion for the print shop: SVG colours and raster figures to CMYK."""
    converter = CmykConverter(profile)

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
    pages = rendering.anchor_pages()
    if run.page_map is None:
        run.page_map = rendering.page_map(assembled, rendition.name)
        run.page_map_source = rendition.name
        run.page_map.save(outputs.page_map_path(assembled.volume))
        run.anchor_pages = pages
        check_resolution(rendering, assembled, diagnostics)
    elif pages != run.anchor_pages:
        moved = sorted(k for k in set(pages) | set(run.anchor_pages) if pages.get(k) != run.anchor_pages.get(k))
        diagnostics.add(
            "R411",
            f"{target.name} is paginated differently from the {run.page_map_source} rendition "
            f"({len(moved)} anchors on other pages, first '{moved[0]}'): the EPUB's page numbers follow the {run.page_map_source} one",
            Location(outputs.shown(target)),
        )
    _write_pdf(rendering, edition, target)
    if edition.variant == "pdf/ua-1":
        _check_accessibility(target, outputs.shown(target), diagnostics)
    if edition.cmyk_profile:
        _check_no_rgb(target, assembled, pages, outputs.shown(target))
    outputs.add(target, rendition.media_type, rendering.page_count)


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


def _write_pdf(rendering: Rendering, edition: PdfSettings, target: Path) -> None:
    diagnostics = Diagnostics()
    document = rendering.document
    options = {"pdf_variant": edition.variant} if edition.variant else {}
    languages: list = []
    with _capture_weasyprint() as logs, _languages_of_parts(languages):
        data = document.write_pdf(finisher=partial(_finish, edition, f"{rendering.identifier}|{edition.name}", rendering.notes, languages), **options)
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


def _finish(edition: PdfSettings, seed: str, notes: tuple[str, ...], languages: list, document, pdf) -> None:
    """Last touches to the PDF objects before they are written.

    - Language of parts: a structure element of a phrase in another language carries its
      /Lang (the innermost element's language wins, as in HTML).
    - Reproducible: WeasyPrint writes a random XMP DocumentID for PDF/X-4; derive it from
      the publication instead (the file /ID hashes the content, so it is stable too).
    - Bookmark titles with plain spaces.
    - Print shop: crop marks in registration colour (all four inks), not RGB.
    - The output intent names its printing condition as the ICC registry does, which is
      what a print shop's preflight looks for (WeasyPrint uses the profile's own name).
    - Screen PDF (tagged): the structure tree mended where WeasyPrint leaves it short of
      PDF/UA-1 (``pdftags``: margin boxes as artifacts, links on their Link element,
      header cells with Scope, footnotes as Notes).
    """
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
    if edition.cmyk_profile:
        # WeasyPrint draws crop marks in RGB black; a print shop wants registration colour,
        # on every plate. Marks are the forms drawn in the bleed (a negative bounding box).
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/Form":
                box = obj.extra.get("BBox")
                if box is not None and float(box[0]) < 0:
                    obj.stream = [_registration(part) for part in obj.stream]
    if edition.output_condition and "OutputIntents" in pdf.catalog:
        identifier, info = edition.output_condition
        for intent in pdf.catalog["OutputIntents"]:
            intent["OutputConditionIdentifier"] = pydyf.String(identifier)
            intent["RegistryName"] = pydyf.String("http://www.color.org")
            intent["Info"] = pydyf.String(info)


def _page_notes(document) -> list[list[str]]:
    """The ids of the footnotes on each laid-out page, in order."""
    found = []
    for page in document.pages:
        area = footnote_area(page)
        found.append([box.element.get("id") for box in area.children if box.element is not None] if area is not None else [])
    return found


def _registration(part):
    if isinstance(part, bytes):
        return part.replace(b"0 0 0 rg", b"1 1 1 1 k").replace(b"0 0 0 RG", b"1 1 1 1 K")
    if isinstance(part, str):
        return part.replace("0 0 0 rg", "1 1 1 1 k").replace("0 0 0 RG", "1 1 1 1 K")
    return part


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
