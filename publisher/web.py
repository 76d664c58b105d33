"""The web edition (build/web/): a static site made from the reader's HTML intermediate.

The reader's assembled volume is split into one page per part that has a document (the
same split as the EPUB's, read from the volume's ``Structure``), cross-references and
note links become links between pages, figures are inlined as their checked SVG, and
each page is put into the layout's web templates (``layouts/web/``). A series page lists
every volume with its cover, summary and downloads. Every link is relative, so the site
works opened from disk and from any static host; ``web.base_url`` is used only where an
absolute address is needed (canonical links, the catalogue, the statement's address).

No JavaScript: the pages are plain HTML and CSS.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html
from markupsafe import Markup

from .assemble import AssembledVolume, environment, render_template
from .locale import words
from .volumes import OFFPRINT

SVG = "http://www.w3.org/2000/svg"
INDEX = "index.html"
STATEMENT = "toegankelijkheid.html"
CATALOGUE = "catalogus.json"  # the OPDS 2.0 feed (publisher/opds.py)
DOWNLOADS = "downloads"
COVERS = "covers"
STYLESHEETS = ("css/web.css",)
# path in the site → path in layouts/ (web.css is not under css/: that folder is the paged
# media's, and every stylesheet in it is checked by WeasyPrint)
LAYOUT_FILES = {"css/web.css": "web/web.css", "css/book.css": "css/book.css", "css/fonts.css": "css/fonts.css"}
PAGE_TEMPLATE = "web/document.html.j2"
SERIES_TEMPLATE = "web/series.html.j2"
STATEMENT_TEMPLATE = "web/statement.html.j2"
COVER_TEMPLATE = "cover.svg.j2"


@dataclass(frozen=True)
class Download:
    """One file of a volume offered for download."""

    format: str  # "PDF", "EPUB"
    href: str  # relative to the site
    media_type: str
    bytes: int
    pages: int | None
    accessibility: str  # what the file offers readers who use assistive technology
    size: str  # for readers: '1,2 MB'


@dataclass(frozen=True)
class Entry:
    """One volume on the series page."""

    key: str
    kind: str
    title: str
    subtitle: str | None
    label: str | None
    summary: str | None
    authors: tuple[str, ...]
    cover: str  # href of its cover image
    cover_alt: str
    page: str | None  # the web page of its text (an offprint's manuscript), None for the reader
    downloads: tuple[Download, ...]
    identifier: str


@dataclass(frozen=True)
class Page:
    name: str  # file name in the site
    title: str
    part: str
    html: str = ""


@dataclass
class Site:
    """What the web edition consists of: its pages, in reading order, and its files."""

    pages: list[Page] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # path in the site → bytes

    def write(self, folder: Path) -> None:
        for name, data in sorted(self.files.items()):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    @property
    def page_names(self) -> tuple[str, ...]:
        return tuple(sorted(name for name in self.files if name.endswith(".html")))


def cover_svg(assembled: AssembledVolume) -> tuple[bytes, str]:
    """The volume's cover drawn by the layout (the EPUB's cover image), and its text."""
    layouts = assembled.publication.project.layouts
    data = assembled.context
    markup = render_template(environment(layouts), COVER_TEMPLATE, layouts, book=data["book"], volume=data["volume"], manuscripts=data["manuscripts"], words=data["words"])
    title = etree.fromstring(markup.encode("utf-8")).findtext(f"{{{SVG}}}title") or ""
    return markup.encode("utf-8"), title


def pages_of(assembled: AssembledVolume) -> list[tuple[str, str, str, etree._Element]]:
    """(file name, title, part, section) of every part the web edition carries, in reading
    order: the parts with a document, except the title page (the series page is the site's
    title page)."""
    root = assembled.tree().getroot()
    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    found = []
    for section in assembled.structure.documents("html"):
        if section.part == "title-page":
            continue
        found.append((f"{section.document}.html", section.title, section.part, by_id[section.id]))
    return found


def build_site(assembled: AssembledVolume, entries: list[Entry], statement: dict, base_url: str | None, files: dict[str, bytes]) -> Site:
    """The whole web edition of the reader ``assembled``, with ``entries`` on the series
    page, ``statement`` (the statement's data) on its own page and ``files`` (downloads,
    covers) added as they are."""
    publication = assembled.publication
    project = publication.project
    layouts = project.layouts
    env = environment(layouts)
    language = publication.language
    vocabulary = words(language)
    data = assembled.context
    parts = pages_of(assembled)
    owner: dict[str, str] = {}
    for name, _, _, section in parts:
        for element in section.iter():
            if isinstance(element.tag, str) and element.get("id"):
                owner[element.get("id")] = name
    section_page = {section.get("id"): name for name, _, _, section in parts}
    assets = {asset.href: asset for asset in assembled.structure.assets}
    site = Site(files=dict(files))
    contents = [
        {"href": name, "title": title, "label": _label_of(assembled, section), "part": part}
        for name, title, part, section in parts
    ]
    common = {
        "book": data["book"],
        "words": vocabulary,
        "language": language,
        "stylesheets": list(STYLESHEETS),
        "contents": contents,
        "index_href": INDEX,
        "statement_href": STATEMENT,
        "catalogue_href": CATALOGUE,
        "base_url": base_url,
    }
    for number, (name, title, part, section) in enumerate(parts):
        body = _web_section(section, name, owner, section_page, assets)
        page = render_template(
            env,
            PAGE_TEMPLATE,
            layouts,
            **common,
            title=title,
            part=part,
            canonical=f"{base_url}{name}" if base_url else None,
            body=Markup(body),
            previous=contents[number - 1] if number > 0 else None,
            next=contents[number + 1] if number + 1 < len(contents) else None,
            outline=_outline(assembled, section),
        )
        site.pages.append(Page(name, title, part, page))
        site.files[name] = page.encode("utf-8")
    reader = next(e for e in entries if e.kind != OFFPRINT)
    series = render_template(
        env,
        SERIES_TEMPLATE,
        layouts,
        **common,
        title=data["book"]["title"],
        canonical=f"{base_url}{INDEX}" if base_url else None,
        reader=reader,
        offprints=[e for e in entries if e.kind == OFFPRINT],
        manuscripts=data["manuscripts"],
        pages={s: section_page[s] for s in section_page},
    )
    site.pages.insert(0, Page(INDEX, data["book"]["title"], "series", series))
    site.files[INDEX] = series.encode("utf-8")
    page = render_template(
        env,
        STATEMENT_TEMPLATE,
        layouts,
        **common,
        title=vocabulary["web_statement"],
        canonical=f"{base_url}{STATEMENT}" if base_url else None,
        statement=statement,
    )
    site.pages.append(Page(STATEMENT, vocabulary["web_statement"], "statement", page))
    site.files[STATEMENT] = page.encode("utf-8")
    for name, source in LAYOUT_FILES.items():
        site.files[name] = (layouts / source).read_bytes()
    for font in sorted((layouts / "fonts").iterdir()):
        if font.is_file() and not font.is_symlink() and font.suffix.lower() in (".ttf", ".otf", ".woff", ".woff2") or font.name == "OFL.txt":
            site.files[f"fonts/{font.name}"] = font.read_bytes()
    return site


def _label_of(assembled: AssembledVolume, section: etree._Element) -> str | None:
    slug = section.get("id")
    for item in assembled.context["manuscripts"]:
        if item["slug"] == slug:
            return item["label"]
    return None


def _outline(assembled: AssembledVolume, section: etree._Element) -> list[dict]:
    """The level-2 headings of a manuscript page, for its 'on this page' list."""
    for entry in assembled.structure.toc:
        if entry.id == section.get("id"):
            return [{"href": f"#{ident}", "title": title} for ident, title in entry.children]
    return []


def _web_section(section: etree._Element, name: str, owner: dict[str, str], section_page: dict[str, str], assets) -> str:
    """A part of the intermediate as it stands on its web page: links between pages,
    figures as inline SVG, no pipeline markers, nothing that is for the PDFs only."""
    body = copy.deepcopy(section)
    figures: dict[str, str] = {}
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            continue
        renditions = element.get("data-renditions")
        if renditions is not None and "html" not in renditions.split() and element is not body:
            _drop(element)
    figure = 0
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            continue
        for attribute in [a for a in element.attrib if a.startswith("data-")]:
            del element.attrib[attribute]
        href = element.get("href")
        if element.tag == "a" and href and href.startswith("#"):
            target = href[1:]
            page = owner.get(target)
            if page is None:  # a part the web edition does not carry (assembly checked the target exists)
                element.attrib.pop("href")
            elif page != name:
                element.set("href", page if section_page.get(target) == page else f"{page}#{target}")
        if element.tag == "img" and element.get("src", "").endswith(".svg") and element.get("src") in assets:
            figure += 1
            key = f"{section.get('id')}-fig{figure}"
            figures[key] = _inline_svg(assets[element.get("src")].data, element.get("alt") or "", key)
            placeholder = etree.Comment(f"svg:{key}")
            placeholder.tail = element.tail
            element.getparent().replace(element, placeholder)
    markup = html.tostring(body, encoding="unicode")
    for key, svg in figures.items():
        markup = markup.replace(f"<!--svg:{key}-->", svg)
    return markup


def _drop(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _inline_svg(data: bytes, alt: str, prefix: str) -> str:
    """A checked SVG figure as an element of the page: its ids prefixed (two figures on a
    page cannot clash), named by the manuscript's alt text."""
    text = data.decode("utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    for ident in sorted(ids, key=len, reverse=True):
        text = re.sub(rf'\bid="{re.escape(ident)}"', f'id="{prefix}-{ident}"', text)
        text = re.sub(rf'url\(#{re.escape(ident)}\)', f"url(#{prefix}-{ident})", text)
        text = re.sub(rf'href="#{re.escape(ident)}"', f'href="#{prefix}-{ident}"', text)
    svg = etree.fromstring(text.encode("utf-8"))
    for attribute in ("aria-labelledby", "aria-describedby"):
        svg.attrib.pop(attribute, None)
    svg.set("role", "img")
    svg.set("aria-label", alt)
    svg.set("focusable", "false")
    svg.set("class", "figure-svg")
    for name in ("width", "height"):
        svg.attrib.pop(name, None)
    return etree.tostring(svg, encoding="unicode")
