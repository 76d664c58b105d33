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
COVER_RASTER = "images/cover.png"  # drawn from cover.svg.j2: what shops, libraries and every reading system show
COVER_FONTS = {"400": "NotoSans-Regular.ttf", "700": "NotoSans-Bold.ttf"}  # as in cover.svg.j2
COVER_PAGE = "text/cover.xhtml"
NAV_TEMPLATE = "epub/nav.xhtml.j2"
STYLESHEET = "css/epub.css"
DARK_STYLESHEET = "css/epub-dark.css"  # for prefers-color-scheme: dark (WeasyPrint, which checks every sheet, knows no media features)
DARK = "(prefers-color-scheme: dark)"
FONTS_STYLESHEET = "css/fonts.css"  # linked from every document before epub.css (no @import)
SVG = "http://www.w3.org/2000/svg"
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2", ".woff": "font/woff"}

# epub:type for the roles and classes of the series' markup (EPUB 3 Structural Semantics)
EPUB_TYPES = {
    "doc-noteref": "noteref",
    "doc-endnotes": "endnotes",
    "doc-backlink": "backlink",
    "doc-pullquote": "pullquote",
    "doc-tip": "tip",
    "doc-pagebreak": "pagebreak",
}
# epub:type of each part of the Structure
SECTION_TYPES = {
    "cover": "cover",
    "title-page": "titlepage",
    "colophon": "colophon",
    "manuscript": "chapter",
    "sources": "bibliography",
}
# The register points at whole texts, not at the places where a term is discussed: the
# EPUB does not claim it as an index (no epub:type, role or landmark "index").
NOT_AN_INDEX = "index"


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


def _to_xhtml(element: etree._Element, href_of, image_prefix: str, epub_type: str | None = None, svgs=None, in_notes: bool = False) -> etree._Element:
    """Copy an HTML element into the XHTML namespace, with epub:type and EPUB-relative URLs;
    an SVG figure is written inline (its text set in the book's fonts, and searchable)."""
    if element.tag == "img" and svgs is not None and element.get("src") in svgs:
        return _inline_svg(element, svgs[element.get("src")])
    copy = etree.Element(f"{{{XHTML}}}{element.tag}")
    for name, value in element.attrib.items():
        if name.startswith("data-"):
            continue
        if name == "role" and value == "doc-index":
            continue  # see NOT_AN_INDEX
        if name == "href":
            value = href_of(value)
        elif name == "src":
            value = image_prefix + value
        elif name == "lang":
            copy.set(XML_LANG, value)
        copy.set(name, value)
    epub_type = epub_type or EPUB_TYPES.get(element.get("role", ""))
    notes = in_notes or element.get("role") == "doc-endnotes"
    note = False
    if in_notes and element.tag == "li" and element.getparent() is not None and element.getparent().getparent() is not None \
            and element.getparent().getparent().get("role") == "doc-endnotes":
        note = True
    if epub_type:
        copy.set(f"{{{OPS}}}type", epub_type)
    copy.text = element.text
    copy.tail = element.tail
    for child in element:
        if isinstance(child.tag, str):
            copy.append(_to_xhtml(child, href_of, image_prefix, svgs=svgs, in_notes=notes))
        else:  # comments and processing instructions are dropped, their tail kept
            if len(copy):
                copy[-1].tail = (copy[-1].tail or "") + (child.tail or "")
            else:
                copy.text = (copy.text or "") + (child.tail or "")
    if note:
        _type_note(copy)
    return copy


def _type_note(item: etree._Element) -> None:
    """A note of the list: its content in a <div> typed as a footnote (EPUB SSV) and
    doc-footnote (DPUB-ARIA), which the calls point at, so that reading systems can show it
    as a pop-up ("endnote" and doc-endnote are deprecated; a list item may not take the role)."""
    typed = etree.Element(f"{{{XHTML}}}div", {"id": item.attrib.pop("id"), "role": "doc-footnote", f"{{{OPS}}}type": "footnote"})
    typed.text, item.text = item.text, None
    for child in list(item):
        typed.append(child)
    item.append(typed)


def _inline_svg(image: etree._Element, data: bytes) -> etree._Element:
    """The SVG of a figure, inline: ids made unique in the document, named by the image's
    alt text, sized by the stylesheet."""
    svg = etree.fromstring(data)
    prefix = "svg-" + posixpath.splitext(posixpath.basename(image.get("src")))[0] + "-"
    for node in svg.iter():
        if not isinstance(node.tag, str):
            continue
        for name, value in list(node.attrib.items()):
            if name == "id":
                node.set(name, prefix + value)
            elif name in ("aria-labelledby", "aria-describedby"):
                node.set(name, " ".join(prefix + v for v in value.split()))
            elif "url(#" in value:
                node.set(name, value.replace("url(#", "url(#" + prefix))
            elif name in ("href", "{http://www.w3.org/1999/xlink}href") and value.startswith("#"):
                node.set(name, "#" + prefix + value[1:])
    for name in ("width", "height"):
        svg.attrib.pop(name, None)
    svg.set("role", "img")
    svg.attrib.pop("aria-labelledby", None)
    svg.set("aria-label", image.get("alt") or "")
    svg.set("class", "figure-image")
    svg.tail = image.tail
    return svg


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
    epub_book.title = volume.identity.title
    epub_book.add_metadata("DC", "title", volume.identity.title, {"id": "title"})
    epub_book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    subtitle = volume.identity.subtitle
    if subtitle:
        epub_book.add_metadata("DC", "title", subtitle, {"id": "subtitle"})
        epub_book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    epub_book.set_language(language)
    contributors = {party.name: party for party in config.contributors}
    for number, author in enumerate(sorted({a for e in entries for a in e.meta.authors}), start=1):
        party = contributors.get(author)
        # the author's entry under contributors names its MARC role and sort name; a name
        # without one is an author (aut) filed under the name as written (an organisation)
        uid = f"creator-{number}"
        epub_book.add_author(author, role=(party.relator if party and party.relator else "aut"), uid=uid)
        epub_book.add_metadata(None, "meta", party.file_as if party and party.file_as else author, {"refines": f"#{uid}", "property": "file-as"})
    for party in config.publishers:
        epub_book.add_metadata("DC", "publisher", party.name)
    epub_book.add_metadata("DC", "date", config.first_date.isoformat())
    epub_book.add_metadata("DC", "rights", config.licence_name)
    description = config.blurb if volume.kind == READER else entries[0].meta.summary
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
    # the claim of conformance only in a release (its checks passed; R420 saw to the
    # evaluator and the report)
    claim = (config.certified_by, config.certifier_report) if publication.release else None
    for prop, value, attributes in accessibility.metadata(entries, language, documents_have_page_list=bool(markers), has_index="index" in volume.parts, claim=claim):
        epub_book.add_metadata(None, "meta", value, {"property": prop, **attributes})
    links = [{"rel": "a11y:certifierReport", "refines": f"#{accessibility.CONFORMANCE_ID}", "href": claim[1]}] if claim else []
    if markers:
        if page_map.source == "pdf-print" and config.isbn_print and volume.kind == READER:
            source = f"urn:isbn:{config.isbn_print}"
        else:
            key = "print_edition" if page_map.source == "pdf-print" else "pdf_edition"
            edition = assembled.context["book"]["edition_label"]
            # in the middle of a phrase: "…, gedrukte uitgave, tweede, herziene druk"
            source = vocabulary[key].format(title=volume.identity.title, edition=edition[:1].lower() + edition[1:])
        epub_book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})

    # Stylesheet, fonts and images, under the same names as in build/html/ (SVG figures
    # are written inline and not carried as files).
    stylesheets = [{"href": f"../{FONTS_STYLESHEET}"}, {"href": f"../{STYLESHEET}"}, {"href": f"../{DARK_STYLESHEET}", "media": DARK}]
    epub_book.add_item(ebook.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css", content=(layouts / STYLESHEET).read_bytes()))
    epub_book.add_item(ebook.EpubItem(uid="css-dark", file_name=DARK_STYLESHEET, media_type="text/css", content=(layouts / DARK_STYLESHEET).read_bytes()))
    svgs = {asset.href: asset.data for asset in structure.assets if asset.media_type == "image/svg+xml"}
    for number, asset in enumerate(structure.assets, start=1):
        if asset.href not in svgs:
            epub_book.add_item(ebook.EpubItem(uid=f"image-{number}", file_name=asset.href, media_type=asset.media_type, content=asset.data))

    # The cover: an image drawn from the volume's data, on a page of its own, and the same
    # drawing as a raster image for shops, libraries and older reading systems.
    data = assembled.context
    cover_svg = render_template(env, COVER_TEMPLATE, layouts, book=data["book"], volume=data["volume"], manuscripts=data["manuscripts"], words=vocabulary)
    cover_raster = ebook.EpubItem(uid="cover-image", file_name=COVER_RASTER, media_type="image/png", content=raster_cover(cover_svg.encode("utf-8"), layouts / "fonts"))
    cover_raster.properties = ["cover-image"]
    epub_book.add_item(cover_raster)
    epub_book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    cover_title = etree.fromstring(cover_svg.encode("utf-8")).findtext("{http://www.w3.org/2000/svg}title")
    cover_page = render_template(
        env,
        COVER_PAGE_TEMPLATE,
        layouts,
        language=language,
        words=vocabulary,
        stylesheets=stylesheets,
        image=f"../{COVER_RASTER}",
        alt=cover_title,
    )
    cover = ebook.EpubItem(uid="doc-cover", file_name=COVER_PAGE, media_type="application/xhtml+xml", content=cover_page.encode("utf-8"))
    epub_book.add_item(cover)
    spine = [cover]
    summaries = {m["slug"]: m["summary"] for m in data["manuscripts"] if m.get("summary")}
    for document in documents:
        skeleton = render_template(
            env,
            DOCUMENT_TEMPLATE,
            layouts,
            language=language,
            title=document.title,
            stylesheets=stylesheets,
            words=vocabulary,
        )
        tree = etree.fromstring(skeleton.encode("utf-8"))
        body = tree.find(f"{{{XHTML}}}body")
        section = _to_xhtml(document.section, _linker(owner, document), "../", SECTION_TYPES.get(document.part), svgs)
        if document.part == "manuscript" and document.section.get("id") in summaries:
            _add_summary(section, summaries[document.section.get("id")], vocabulary)
        body.append(section)
        content = etree.tostring(tree, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
        item = ebook.EpubItem(uid=f"doc-{document.name}", file_name=document.href, media_type="application/xhtml+xml", content=content)
        if any(True for _ in section.iter(f"{{{SVG}}}svg")):
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
            if d.landmark in ("bodymatter", "bibliography", "titlepage", "copyright-page")
        ],
        stylesheets=[{"href": FONTS_STYLESHEET}, {"href": STYLESHEET}, {"href": DARK_STYLESHEET, "media": DARK}],
        page_list=_page_list(markers, owner),
    )
    # Fonts, cut down to the characters this book uses; a family no element of the book is
    # set in (the monospaced one without code) is left out, with its @font-face rules.
    used = set()
    markup = [etree.fromstring(item.content) for item in spine] + [etree.fromstring(nav_markup.encode("utf-8"))]
    for tree in markup:
        used |= set(tree.xpath("string(/*)"))
        for node in tree.iter(f"{{{SVG}}}text"):
            used |= set("".join(node.itertext()))
    families = used_families((layouts / STYLESHEET).read_text("utf-8"), markup)
    faces = font_faces((layouts / FONTS_STYLESHEET).read_text("utf-8"))
    kept = [face for face in faces if face.family in families]
    epub_book.add_item(ebook.EpubItem(uid="css-fonts", file_name=FONTS_STYLESHEET, media_type="text/css", content=fonts_stylesheet((layouts / FONTS_STYLESHEET).read_text("utf-8"), kept)))
    for face in kept:
        font = layouts / "fonts" / face.file
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
    # An NCX for reading systems older than EPUB 3.
    epub_book.toc = [
        (ebook.Section(entry["title"] if not entry["label"] else f"{entry['label']}: {entry['title']}", entry["href"]), [ebook.Link(c["href"], c["title"], f"toc-{i}-{j}") for j, c in enumerate(entry["children"], start=1)])
        if entry["children"]
        else ebook.Link(entry["href"], entry["title"] if not entry["label"] else f"{entry['label']}: {entry['title']}", f"toc-{i}")
        for i, entry in enumerate(_toc(structure, owner), start=1)
    ]
    epub_book.add_item(ebook.EpubNcx())
    # cover, title page and colophon, then the table of contents, then the text (as in print)
    front = 1 + sum(1 for d in documents[:3] if d.part in ("title-page", "colophon"))
    epub_book.spine = spine[:front] + [nav] + spine[front:]

    buffer = io.BytesIO()
    ebook.write_epub(buffer, epub_book, {"epub3_pages": False, "epub3_landmark": False, "epub2_guide": False, "mtime": when, "raise_exceptions": True})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(repackage(buffer.getvalue(), language, when, links))
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


def repackage(data: bytes, language: str, when: dt.datetime, links: list[dict] | None = None) -> bytes:
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
                payload = _complete_opf(payload, language, links or [])
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.create_system = 3
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload, compresslevel=9 if name != "mimetype" else None)
    return out.getvalue()


def _complete_opf(payload: bytes, language: str, links: list[dict]) -> bytes:
    tree = etree.fromstring(payload)
    tree.set(XML_LANG, language)
    spine = tree.find(f"{{{OPF}}}spine")
    if spine is not None and tree.find(f"{{{OPF}}}manifest/{{{OPF}}}item[@id='{spine.get('toc')}']") is None:
        spine.attrib.pop("toc", None)
    metadata = tree.find(f"{{{OPF}}}metadata")
    for attributes in links:  # ebooklib writes every OPF metadata element as <meta>
        etree.SubElement(metadata, f"{{{OPF}}}link", attributes)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def _add_summary(section: etree._Element, summary: str, vocabulary) -> None:
    """The text's summary under its title (the opening's header), labelled."""
    header = section.find(f"{{{XHTML}}}header")
    if header is None:
        return
    paragraph = etree.SubElement(header, f"{{{XHTML}}}p", {"class": "case-summary"})
    label = etree.SubElement(paragraph, f"{{{XHTML}}}strong")
    label.text = vocabulary["summary"] + ":"
    label.tail = " " + summary


@dataclass(frozen=True)
class FontFace:
    family: str
    file: str  # under layouts/fonts/
    rule: str  # the @font-face rule as written


def font_faces(css: str) -> list[FontFace]:
    """The @font-face rules of the layout's fonts stylesheet."""
    import re

    faces = []
    for match in re.finditer(r"@font-face\s*\{[^}]*\}", css):
        rule = match.group(0)
        family = re.search(r"font-family:\s*[\"']([^\"']+)[\"']", rule).group(1)
        src = re.search(r"url\((?:[\"']?)\.\./fonts/([^)\"']+)", rule).group(1)
        faces.append(FontFace(family, src, rule))
    return faces


def fonts_stylesheet(css: str, kept: list[FontFace]) -> bytes:
    """The fonts stylesheet with only the rules of the fonts the EPUB carries."""
    import re

    rules = {face.rule for face in kept}
    return re.sub(r"@font-face\s*\{[^}]*\}\n?", lambda m: m.group(0) if m.group(0).rstrip("\n") in rules else "", css).encode("utf-8")


def used_families(css: str, documents: list[etree._Element]) -> set[str]:
    """Font families that a rule of the stylesheet gives to an element the book has.

    A selector counts as matching when its last compound's element name and classes all
    occur in the book (an overestimate, never an underestimate, so no used font is lost)."""
    import re

    tags, classes = set(), set()
    for tree in documents:
        for node in tree.iter():
            if isinstance(node.tag, str):
                tags.add(etree.QName(node).localname)
                classes.update((node.get("class") or "").split())
    families = set()
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, declarations in re.findall(r"([^{}@]+)\{([^{}]*)\}", body):
        found = re.search(r"font-family:\s*([^;]+)", declarations)
        if not found:
            continue
        for selector in selectors.split(","):
            last = re.split(r"[\s>+~]+", selector.strip())[-1]
            last = re.sub(r"::?[\w-]+(\([^)]*\))?", "", last)
            tag = re.match(r"^[a-zA-Z][\w-]*", last)
            wanted = re.findall(r"\.([\w-]+)", last)
            if (tag is None or tag.group(0) in tags) and all(c in classes for c in wanted):
                families.update(f.strip().strip("\"'") for f in found.group(1).split(","))
                break
    return families


def raster_cover(svg: bytes, fonts: Path) -> bytes:
    """The cover drawing (cover.svg.j2: rectangles and lines of text) as a PNG of its
    nominal size, drawn with Pillow in the layout's fonts: the same bytes on every build."""
    from PIL import Image, ImageDraw, ImageFont

    root = etree.fromstring(svg)
    x0, y0, width, height = (float(v) for v in root.get("viewBox").split())
    pixels = (int(root.get("width")), int(root.get("height")))
    scale = pixels[0] / width
    image = Image.new("RGB", pixels, "#ffffff")
    draw = ImageDraw.Draw(image)
    for node in root.iter(f"{{{SVG}}}rect", f"{{{SVG}}}text"):
        local = etree.QName(node).localname
        if local == "rect":
            x, y = float(node.get("x", 0)) - x0, float(node.get("y", 0)) - y0
            box = [x * scale, y * scale, (x + float(node.get("width"))) * scale - 1, (y + float(node.get("height"))) * scale - 1]
            draw.rectangle(box, fill=node.get("fill"))
        else:
            style = {k: v for a in [*reversed(list(node.iterancestors())), node] for k, v in a.attrib.items()}
            weight = "700" if style.get("font-weight") in ("700", "bold") else "400"
            font = ImageFont.truetype(str(fonts / COVER_FONTS[weight]), round(float(style.get("font-size", 16)) * scale))
            x, y = float(node.get("x")) - x0, float(node.get("y")) - y0
            draw.text((x * scale, y * scale), "".join(node.itertext()), font=font, fill=style.get("fill", "#000000"), anchor="ls")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
