"""Stage 3: configuration + manuscripts → a Publication, ordered and fully resolved.

Everything an edition needs is known once this stage has run: every manuscript rendered to
the series' HTML, cross-references and images checked, all errors collected with their
file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree
from PIL import Image, UnidentifiedImageError

from . import markup, sources, syntax, terms
from .config import PUBLICATION_FILE, Config, Project, load_config
from .errors import Diagnostics, Location
from .locale import TYPOGRAPHY
from .manuscript import Manuscript, read_manuscript, slug_for

IMAGES_DIR = "images"
RASTER_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class Asset:
    """A file of content/ that an edition embeds (an image)."""

    path: Path
    href: str  # relative to content/, as written in the manuscript
    media_type: str


@dataclass
class Entry:
    """A manuscript in the publication: as read, and rendered."""

    manuscript: Manuscript
    body: markup.Body
    position: int  # 1-based place in the reading order

    @property
    def slug(self) -> str:
        return self.manuscript.slug

    @property
    def meta(self):
        return self.manuscript.meta


@dataclass
class Publication:
    project: Project
    config: Config
    entries: list[Entry]
    assets: dict[str, Asset] = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    bibliography: sources.Bibliography = field(default_factory=sources.Bibliography)

    @property
    def language(self) -> str:
        return self.config.language

    def entry(self, slug: str) -> Entry:
        return next(e for e in self.entries if e.slug == slug)


def load_publication(project: Project) -> Publication:
    """Read, validate and render the whole publication; raise PublisherError on errors."""
    diagnostics = Diagnostics()
    config = load_config(project, diagnostics)
    if config is None:
        diagnostics.raise_if_errors()
    manuscripts = _read_listed(project, config, diagnostics)
    _check_unlisted(project, config, diagnostics)
    _check_slugs(manuscripts, diagnostics)

    bibliography = sources.load(project.root, project.layouts, diagnostics)
    terms_list = terms.load(project.root, diagnostics)
    entries: list[Entry] = []
    for position, manuscript in enumerate(manuscripts, start=1):
        for problem in manuscript.scan.problems:
            diagnostics.add(problem.code, problem.message, manuscript.location(problem.at))
        body = markup.render(manuscript.body, manuscript.slug, config.language)
        terms.check_manuscript(manuscript, project.root, terms_list, diagnostics)
        uses = sources.check_manuscript(manuscript, bibliography, diagnostics)
        body.citations = sources.render_notes(body.root, uses, bibliography)
        entries.append(Entry(manuscript, body, position))
    sources.check_publication(bibliography, entries, project.layouts, diagnostics)

    publication = Publication(project, config, entries, diagnostics=diagnostics, bibliography=bibliography)
    _check_footnotes(entries, diagnostics)
    _check_links(publication, diagnostics)
    _check_images(publication, diagnostics)
    diagnostics.raise_if_errors()
    return publication


def _read_listed(project: Project, config: Config, diagnostics: Diagnostics) -> list[Manuscript]:
    manuscripts = []
    for entry, line in zip(config.manuscripts, config.manuscript_lines):
        path = project.content / entry
        if not path.is_file():
            diagnostics.add("P106", f"listed manuscript 'content/{entry}' does not exist", Location(PUBLICATION_FILE, line, 5))
            continue
        keyword = TYPOGRAPHY[config.language].table_caption
        manuscript = read_manuscript(path, f"content/{entry}", entry, diagnostics, keyword)
        if manuscript is not None:
            manuscripts.append(manuscript)
    return manuscripts


def _check_unlisted(project: Project, config: Config, diagnostics: Diagnostics) -> None:
    listed = set(config.manuscripts)
    for path in sorted(project.content.rglob("*.md")):
        rel = path.relative_to(project.content).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # editors' lock and backup files (.#name.md, ._name.md)
        if rel not in listed and not rel.startswith(f"{IMAGES_DIR}/"):
            diagnostics.add(
                "P107",
                f"'content/{rel}' is not listed under 'manuscripts' in {PUBLICATION_FILE}",
                Location(f"content/{rel}", 1, 1),
            )


def _check_slugs(manuscripts: list[Manuscript], diagnostics: Diagnostics) -> None:
    seen: dict[str, Manuscript] = {}
    for manuscript in manuscripts:
        if manuscript.slug in seen:
            diagnostics.add(
                "M205",
                f"slug '{manuscript.slug}' is also the slug of {seen[manuscript.slug].path}",
                Location(manuscript.path, 1, 1),
            )
        seen.setdefault(manuscript.slug, manuscript)


def _check_footnotes(entries: list[Entry], diagnostics: Diagnostics) -> None:
    for entry in entries:
        scan = entry.manuscript.scan
        for label, span in scan.footnote_calls.items():
            if label not in scan.footnote_definitions:
                diagnostics.add("B350", f"footnote '[^{label}]' has no definition", entry.manuscript.location(span))
        for label, span in scan.footnote_definitions.items():
            if label not in scan.footnote_calls:
                diagnostics.add("B351", f"footnote '[^{label}]' is defined but never called", entry.manuscript.location(span))


def _check_links(publication: Publication, diagnostics: Diagnostics) -> None:
    ids = {entry.slug: entry.body.ids for entry in publication.entries}
    # manuscripts that are listed but could not be read have errors of their own already
    unread = {slug_for(m)[1] for m in publication.config.manuscripts} - set(ids)
    for entry in publication.entries:
        for link in entry.manuscript.scan.links:
            where = entry.manuscript.location(link.at)
            scheme = link.scheme
            if scheme is None:
                if link.target.startswith("#"):
                    if f"{entry.slug}--{link.target[1:]}" not in ids[entry.slug]:
                        diagnostics.add("B311", f"'{link.target}' is not the id of a heading in this manuscript", where)
                elif link.target:
                    diagnostics.add(
                        "B340",
                        f"link '{link.target}' points at a file; use xref:slug for another manuscript or a full https:// address",
                        where,
                    )
                continue
            if scheme not in syntax.ALLOWED_SCHEMES:
                diagnostics.add(
                    "B340",
                    f"link scheme '{scheme}:' is not allowed (allowed: {', '.join(syntax.ALLOWED_SCHEMES)})",
                    where,
                )
                continue
            if scheme != syntax.XREF:
                continue
            target = link.target[len(syntax.XREF) + 1 :]
            slug, _, fragment = target.partition("#")
            if slug in unread:
                continue
            if slug not in ids:
                diagnostics.add(
                    "B310",
                    f"cross-reference to '{slug}', which is not the slug of any manuscript "
                    f"(slugs: {', '.join(sorted(ids))})",
                    where,
                )
            elif fragment and f"{slug}--{fragment}" not in ids[slug]:
                diagnostics.add("B311", f"'{slug}' has no heading with the id '{fragment}'", where)


def _check_images(publication: Publication, diagnostics: Diagnostics) -> None:
    content = publication.project.content.resolve()
    for entry in publication.entries:
        for image in entry.manuscript.scan.images:
            where = entry.manuscript.location(image.at)
            if not image.alt:
                diagnostics.add(
                    "B320",
                    f"image '{image.src}' has no alt text: describe what it shows between the brackets",
                    where,
                )
            pure = PurePosixPath(image.src)
            if pure.is_absolute() or ":" in image.src or ".." in pure.parts or pure.parts[:1] != (IMAGES_DIR,):
                diagnostics.add("B322", f"image '{image.src}' must be a path under images/", where)
                continue
            path = (content / pure).resolve()
            if not path.is_file():
                diagnostics.add("B321", f"image file 'content/{image.src}' not found", where)
                continue
            media_type = image_media_type(path)
            if media_type is None:
                diagnostics.add("B323", f"'content/{image.src}' is not a readable PNG, JPEG or SVG image", where)
                continue
            if media_type == "image/svg+xml":
                problem = svg_problem(path)
                if problem:
                    diagnostics.add("B325", f"'content/{image.src}' {problem}", where)
                    continue
            publication.assets[image.src] = Asset(path, image.src, media_type)


def image_media_type(path: Path) -> str | None:
    """The media type of a PNG, JPEG or SVG file after checking that it really is one."""
    if path.suffix.lower() == ".svg":
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError:
            return None
        return "image/svg+xml" if root.tag == "{http://www.w3.org/2000/svg}svg" else None
    try:
        with Image.open(path) as picture:
            picture.verify()
            return RASTER_FORMATS.get(picture.format)
    except (UnidentifiedImageError, OSError):
        return None


SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def svg_problem(path: Path) -> str | None:
    """Why an SVG figure may not be used, or None: figures are self-contained drawings,
    with no document type (entities), no scripts, no embedded HTML and no references to
    anything outside the file."""
    text = path.read_bytes()
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        return "declares a document type or entities"
    outside = re.search(rb"@import|url\(\s*['\"]?(?!#)", text)
    if outside:
        return f"loads '{outside.group(0).decode()}…' from outside the file (CSS)"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(text, parser)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in (f"{SVG}script", f"{SVG}foreignObject"):
            return f"contains <{etree.QName(element).localname}>"
        for name in ("href", XLINK_HREF):
            value = element.get(name)
            if value is not None and not value.startswith("#"):
                return f"refers to '{value}' outside the file"
        if any(attribute.lower().startswith("on") for attribute in element.attrib):
            return "contains an event handler attribute"
    return None
