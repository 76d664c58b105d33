"""Writer: the HTML intermediate → EPUB 3 (ebooklib), valid, accessible and reproducible.

The steps, in order: split the intermediate into one XHTML document per section → render
the navigation document from its template → hand everything to ebooklib with the metadata
→ repackage the zip reproducibly (mimetype first and stored, fixed order, fixed timestamps),
adding what ebooklib cannot say (``xml:lang`` on the package, no NCX reference).

This module does not import WeasyPrint: building only the EPUB stays fast.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ebooklib import epub as ebook
from lxml import etree

from . import accessibility, pagebreaks
from .assemble import AssembledVolume, Structure, environment, render_template
from .errors import Diagnostics, Location
from .locale import words
from .outputs import OutputRegistry, Rendition, VolumeRun, layout_fingerprint
from .pagination import PageMap, number_containers
from .volumes import OFFPRINT, READER

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCUMENT_TEMPLATE = "epub/document.xhtml.j2"
COVER_PAGE_TEMPLATE = "epub/cover.xhtml.j2"
COVER_TEMPLATE = "cover.svg.j2"
COVER_IMAGE = "images/cover.svg"
COVER_PAGE = "text/cover.xhtml"
NAV_TEMPLATE = "epub/nav.xhtml.j2"
STYLESHEET = "css/epub.css"
FONTS_STYLESHEET = "css/fonts.css"  # imported by epub.css
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2", ".woff": "font/woff"}

# epub:type for the roles and classes of the series' markup (EPUB 3 Structural Semantics)
EPUB_TYPES = {
    "doc-noteref": "noteref",
    "doc-endnotes": "endnotes",
    "doc-backlink": "backlink",
    "doc-pullquote": "pullquote",
    "doc-tip": "tip",
    "doc-index": "index",
    "doc-pagebreak": "pagebreak",
}
# epub:type of each part of the Structure
SECTION_TYPES = {
    "cover": "cover",
    "title-page": "titlepage",
    "colophon": "colophon",
    "manuscript": "chapter",
    "sources": "bibliography",
    "index": "index",
}


@dataclass
class Document:
    """One XHTML content document of the EPUB."""

    name: str  # file name stem
    title: str
    part: str  # the Structure's part: cover, colophon, manuscript …
    section: etree._Element  # the intermediate's section (HTML, no namespace)
    landmark: str | None
    ids: set[str] = field(default_factory=set)

    @property
    def href(self) -> str:
        return f"text/{self.name}.xhtml"


def epoch(assembled: AssembledVolume) -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, otherwise the edition date."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC).replace(tzinfo=None)
    date = assembled.volume.identity.edition.date
    return dt.datetime(date.year, date.month, date.day, 12, 0, 0)


def split(root: etree._Element, structure: Structure) -> list[Document]:
    """The volume's parts that the EPUB carries, in reading order."""
    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    documents = []
    for part in structure.documents("epub"):
        section = by_id[part.id]
        document = Document(part.document, part.title, part.part, section, part.landmark)
        document.ids = {e.get("id") for e in section.iter() if isinstance(e.tag, str) and e.get("id")}
        documents.append(document)
    return documents


def _to_xhtml(element: etree._Element, href_of, image_prefix: str, epub_type: str | None = None) -> etree._Element:
    """Copy an HTML element into the XHTML namespace, with epub:type and EPUB-relative URLs."""
    copy = etree.Element(f"{{{XHTML}}}{element.tag}")
    for name, value in element.attrib.items():
        if name.startswith("data-"):
            continue
        if name == "href":
            value = href_of(value)
        elif name == "src":
            value = image_prefix + value
        elif name == "lang":
            copy.set(XML_LANG, value)
        copy.set(name, value)
    epub_type = epub_type or EPUB_TYPES.get(element.get("role", ""))
    if element.tag == "aside" and "kader" in (element.get("class") or "").split():
        epub_type = "sidebar"  # markup.py's box; the other blocks have a role
    if epub_type:
        copy.set(f"{{{OPS}}}type", epub_type)
    copy.text = element.text
    copy.tail = element.tail
    for child in element:
        if isinstance(child.tag, str):
            copy.append(_to_xhtml(child, href_of, image_prefix))
        else:  # comments and processing instructions are dropped, their tail kept
            if len(copy):
                copy[-1].tail = (copy[-1].tail or "") + (child.tail or "")
            else:
                copy.text = (copy.text or "") + (child.tail or "")
    return copy


def _owners(documents: list[Document]) -> dict[str, Document]:
    return {ident: document for document in documents for ident in document.ids}


def _linker(owner: dict[str, Document], current: Document):
    """Links between documents. Assembly checked that every internal link has a target
    in the volume (R409); one on a PDF-only part is not carried into the EPUB."""

    def href_of(value: str) -> str:
        if not value.startswith("#"):
            return value
        target = owner[value[1:]]
        if target is current:
            return value
        if target.section.get("id") == value[1:]:
            return posixpath.basename(target.href)
        return posixpath.basename(target.href) + value

    return href_of


def write(assembled: AssembledVolume, rendition: Rendition, outputs: OutputRegistry, run: VolumeRun, diagnostics: Diagnostics) -> None:
    """Write the volume's EPUB. With a page map of its print layout, laid out from this
    very intermediate and layout, it marks where each printed page begins and lists the
    pages; without one it says so (R407)."""
    target = outputs.path(assembled.volume, rendition)
    publication = assembled.publication
    volume = assembled.volume
    structure = assembled.structure
    config = publication.config
    language = config.language
    vocabulary = words(language)
    layouts = publication.project.layouts
    env = environment(layouts)
    when = epoch(assembled)
    shown = outputs.shown(target)
    root = assembled.tree().getroot()
    fingerprint = layout_fingerprint(assembled.html, layouts, assembled.structure.assets)
    page_map = run.page_map
    if page_map is None:
        page_map = PageMap.load(outputs.page_map_path(volume, claim=False))
        if page_map is not None and page_map.fingerprint != fingerprint:
            page_map = None
        if page_map is None:
            diagnostics.add(
                "R407",
                f"the EPUB has no page numbers of the printed {volume.identity.stem}: build the PDF as well "
                "(publisher build, or --format pdf --format epub)",
                Location(shown),
            )
    markers = []
    if page_map is not None:
        number_containers(root, structure.manuscript_ids)
        markers = pagebreaks.insert(root, page_map, vocabulary["page"])
        for marker in markers:
            if not marker.exact:
                diagnostics.add(
                    "R408",
                    f"the page break before printed page {marker.page} is marked at the start of its "
                    "paragraph: the page's first words were not found in the EPUB's text",
                    Location(shown),
                )
    documents = split(root, structure)
    owner = _owners(documents)
    entries = volume.entries

    epub_book = ebook.EpubBook()
    epub_book.set_identifier(volume.identity.identifier)
    epub_book.set_title(volume.identity.title)
    epub_book.set_language(language)
    for author in sorted({a for e in entries for a in e.meta.authors}):
        epub_book.add_author(author)
    for party in config.publishers:
        epub_book.add_metadata("DC", "publisher", party.name)
    epub_book.add_metadata("DC", "date", config.first_date.isoformat())
    epub_book.add_metadata("DC", "rights", config.licence_name)
    description = volume.identity.subtitle if volume.kind == READER else entries[0].meta.summary
    if description:
        epub_book.add_metadata("DC", "description", description)
    for keyword in sorted({k for e in entries for k in e.meta.keywords}, key=str.lower):
        epub_book.add_metadata("DC", "subject", keyword)
    if volume.kind == OFFPRINT:
        # an offprint belongs to the series, at the case's place in it
        epub_book.add_metadata(None, "meta", config.title, {"property": "belongs-to-collection", "id": "series"})
        epub_book.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
        if entries[0].meta.number is not None:
            epub_book.add_metadata(None, "meta", str(entries[0].meta.number), {"refines": "#series", "property": "group-position"})
    epub_book.add_metadata(None, "meta", assembled.context["book"]["edition_label"], {"property": "schema:bookEdition"})
    for prop, value in accessibility.metadata(entries, language, documents_have_page_list=bool(markers), has_index="index" in volume.parts):
        epub_book.add_metadata(None, "meta", value, {"property": prop})
    if markers:
        if page_map.source == "pdf-print" and config.isbn_print and volume.kind == READER:
            source = f"urn:isbn:{config.isbn_print}"
        else:
            key = "print_edition" if page_map.source == "pdf-print" else "pdf_edition"
            source = vocabulary[key].format(title=volume.identity.title, edition=assembled.context["book"]["edition_label"])
        epub_book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})

    # Stylesheet, fonts and images, under the same names as in build/html/.
    for uid, sheet in (("css", STYLESHEET), ("css-fonts", FONTS_STYLESHEET)):
        epub_book.add_item(ebook.EpubItem(uid=uid, file_name=sheet, media_type="text/css", content=(layouts / sheet).read_bytes()))
    for number, asset in enumerate(structure.assets, start=1):
        epub_book.add_item(ebook.EpubItem(uid=f"image-{number}", file_name=asset.href, media_type=asset.media_type, content=asset.data))

    # The cover: an image drawn from the volume's data, on a page of its own.
    data = assembled.context
    cover_svg = render_template(env, COVER_TEMPLATE, layouts, book=data["book"], volume=data["volume"], words=vocabulary)
    cover_image = ebook.EpubItem(uid="cover-image", file_name=COVER_IMAGE, media_type="image/svg+xml", content=cover_svg.encode("utf-8"))
    cover_image.properties = ["cover-image"]
    epub_book.add_item(cover_image)
    cover_title = etree.fromstring(cover_svg.encode("utf-8")).findtext("{http://www.w3.org/2000/svg}title")
    cover_page = render_template(
        env,
        COVER_PAGE_TEMPLATE,
        layouts,
        language=language,
        words=vocabulary,
        stylesheet=f"../{STYLESHEET}",
        image=f"../{COVER_IMAGE}",
        alt=cover_title,
    )
    cover = ebook.EpubItem(uid="doc-cover", file_name=COVER_PAGE, media_type="application/xhtml+xml", content=cover_page.encode("utf-8"))
    epub_book.add_item(cover)
    spine = [cover]
    for document in documents:
        skeleton = render_template(
            env,
            DOCUMENT_TEMPLATE,
            layouts,
            language=language,
            title=document.title,
            stylesheet=f"../{STYLESHEET}",
            words=vocabulary,
        )
        tree = etree.fromstring(skeleton.encode("utf-8"))
        body = tree.find(f"{{{XHTML}}}body")
        body.append(_to_xhtml(document.section, _linker(owner, document), "../", SECTION_TYPES.get(document.part)))
        content = etree.tostring(tree, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
        item = ebook.EpubItem(uid=f"doc-{document.name}", file_name=document.href, media_type="application/xhtml+xml", content=content)
        if any(True for _ in document.section.iter("svg")):
            item.properties = ["svg"]
        epub_book.add_item(item)
        spine.append(item)

    nav_markup = render_template(
        env,
        NAV_TEMPLATE,
        layouts,
        language=language,
        words=vocabulary,
        book={"title": volume.identity.title},
        toc=_toc(structure, owner),
        landmarks=[{"type": "cover", "href": COVER_PAGE, "title": vocabulary["cover"]}]
        + [{"type": "toc", "href": "nav.xhtml", "title": vocabulary["contents"]}]
        + [
            {"type": d.landmark, "href": d.href, "title": d.title}
            for d in documents
            if d.landmark in ("bodymatter", "bibliography", "index", "titlepage", "copyright-page")
        ],
        stylesheet=STYLESHEET,
        page_list=_page_list(markers, owner),
    )
    # Fonts, cut down to the characters this book uses.
    used = set()
    for item in [*spine, cover]:
        used |= set(etree.fromstring(item.content).xpath("string(/*)"))
    used |= set(etree.fromstring(nav_markup.encode("utf-8")).xpath("string(/*)"))
    for font in sorted((layouts / "fonts").iterdir()):
        if font.suffix.lower() in FONT_TYPES:
            epub_book.add_item(
                ebook.EpubItem(
                    uid=f"font-{font.stem}",
                    file_name=f"fonts/{font.name}",
                    media_type=FONT_TYPES[font.suffix.lower()],
                    content=cached_subset(font, used, outputs),
                )
            )
    nav = ebook.EpubItem(uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml", content=nav_markup.encode("utf-8"))
    nav.properties = ["nav"]
    epub_book.add_item(nav)
    # cover, then the table of contents, then the rest of the text
    epub_book.spine = spine[:1] + [nav] + spine[1:]

    buffer = io.BytesIO()
    ebook.write_epub(buffer, epub_book, {"epub3_pages": False, "epub3_landmark": False, "epub2_guide": False, "mtime": when, "raise_exceptions": True})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(repackage(buffer.getvalue(), language, when))
    outputs.add(target, rendition.media_type)


def cached_subset(path: Path, characters: set[str], outputs: OutputRegistry) -> bytes:
    """``subset_font``, kept in the build's cache under a digest of the font and of the
    characters: the same input gives the same bytes, so a kept subset is exactly what a
    fresh one would be (the offprints share most of their characters)."""
    import hashlib

    key = hashlib.sha256(path.read_bytes() + "".join(sorted(characters)).encode("utf-8")).hexdigest() + path.suffix.lower()
    data = outputs.cached("fonts", key)
    if data is None:
        data = subset_font(path, characters)
        outputs.keep("fonts", key, data)
    return data


def subset_font(path: Path, characters: set[str]) -> bytes:
    """The font with only the glyphs for ``characters`` (plus printable ASCII, so that a
    reader's own notes or search still find glyphs), its layout features kept."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in characters} | set(range(0x20, 0x7F)))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def _page_list(markers, owner: dict[str, Document]) -> list[dict]:
    entries = []
    for marker in sorted(markers, key=lambda m: m.page):
        document = owner.get(marker.id)
        if document is not None:
            entries.append({"href": f"{document.href}#{marker.id}", "label": str(marker.page)})
    return entries


def _toc(structure: Structure, owner: dict[str, Document]) -> list[dict]:
    """Entries of the navigation document: every part with a document, manuscripts with
    their sections (from the volume's Structure)."""
    items = []
    for entry in structure.toc:
        document = owner.get(entry.id)
        if document is None:  # a part without a document in the EPUB
            continue
        children = [{"href": f"{owner[i].href}#{i}", "title": title} for i, title in entry.children if i in owner]
        items.append({"href": document.href, "title": entry.title, "label": entry.label, "children": children})
    return items


def repackage(data: bytes, language: str, when: dt.datetime) -> bytes:
    """Rewrite ebooklib's zip: reproducible, and with the package document completed."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = ["mimetype", "META-INF/container.xml"]
    ordered += sorted(n for n in names if n.endswith(".opf"))
    ordered += sorted(n for n in names if n not in ordered)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in ordered:
            payload = source.read(name)
            if name.endswith(".opf"):
                payload = _complete_opf(payload, language)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload, compresslevel=9 if name != "mimetype" else None)
    return out.getvalue()


def _complete_opf(payload: bytes, language: str) -> bytes:
    tree = etree.fromstring(payload)
    tree.set(XML_LANG, language)
    spine = tree.find(f"{{{OPF}}}spine")
    if spine is not None and tree.find(f"{{{OPF}}}manifest/{{{OPF}}}item[@id='{spine.get('toc')}']") is None:
        spine.attrib.pop("toc", None)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
