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

from . import markup, sources, svg, syntax, terms
from .config import PUBLICATION_FILE, Config, Project, load_config
from .errors import Diagnostics, Location
from .locale import TYPOGRAPHY
from .ids import RESERVED_SLUGS, is_reserved_local
from .ids import local as ids_local
from .manuscript import Manuscript, read_manuscript, slug_for

IMAGES_DIR = "images"
RASTER_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class Asset:
    """A file of content/ that an edition embeds (an image)."""

    path: Path
    href: str  # relative to content/, as written in the manuscript
    media_type: str
    data: bytes = b""  # what the outputs embed: the checked, re-serialised SVG, or the raster file

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
    release: bool = False  # built for publication (publisher build --release): the checks passed
    terms: terms.TermsList = field(default_factory=terms.TermsList)  # content/terms.yaml (the index's terms)

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
    _check_layout_files(project, diagnostics)
    manuscripts = _read_listed(project, config, diagnostics)
    _check_unlisted(project, config, diagnostics)
    _check_slugs(manuscripts, diagnostics)

    bibliography = sources.load(project.root, project.layouts, diagnostics, config.language)
    terms_list = terms.load(project.root, diagnostics)
    entries: list[Entry] = []
    for position, manuscript in enumerate(manuscripts, start=1):
        for problem in manuscript.scan.problems:
            diagnostics.add(problem.code, problem.message, manuscript.location(problem.at))
        if not manuscript.scan.bounded:
            continue  # too large or deep to render; the build stops on its error
        body = markup.render(manuscript.body, manuscript.slug, config.language)
        _check_reserved_ids(manuscript, body, diagnostics)
        _check_classes(manuscript, config, diagnostics)
        terms.check_manuscript(manuscript, project.root, terms_list, diagnostics)
        uses = sources.check_manuscript(manuscript, bibliography, diagnostics)
        body.citations = sources.render_notes(body.root, uses, bibliography)
        entries.append(Entry(manuscript, body, position))
    sources.check_publication(bibliography, entries, project.layouts, diagnostics, complete=len(entries) == len(config.manuscripts))

    publication = Publication(project, config, entries, diagnostics=diagnostics, bibliography=bibliography, terms=terms_list)
    _check_glyphs(project, [PUBLICATION_FILE, *(e.manuscript.path for e in entries)] + ([sources.SOURCES_FILE] if bibliography.in_use else []), diagnostics)
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


def _check_glyphs(project: Project, files: list[str], diagnostics: Diagnostics) -> None:
    """Every character of the texts must be in the layout's fonts: a missing one is an
    error at its place (checked here, so that `publisher check` finds it, and once per
    build rather than in every layout pass), not a silent fallback to some system font."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in sorted((project.layouts / "fonts").glob("*.[ot]tf")):
        with TTFont(path, lazy=True) as font:
            covered |= set(font.getBestCmap())
    if not covered:
        return  # no fonts in the layout: the renderer reports what it cannot find
    for rel in files:
        reported = set()
        text = (project.root / rel).read_text("utf-8")
        for number, line in enumerate(text.split("\n"), start=1):
            for column, char in enumerate(line, start=1):
                if ord(char) not in covered and not char.isspace() and char not in reported and char != "\ufeff":
                    reported.add(char)
                    diagnostics.add("R402", f"character U+{ord(char):04X} '{char}' is not in the layout's fonts", Location(rel, number, column))


def _check_layout_files(project: Project, diagnostics: Diagnostics) -> None:
    """Every file of layouts/ and content/images must be a file of the project itself: a
    symlink could put any file of the machine that builds into a published output."""
    for folder in (project.layouts, project.content / IMAGES_DIR):
        if not folder.is_dir():
            continue
        root = folder.resolve()
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(project.root).as_posix()
            if path.is_symlink():
                diagnostics.add("R414", f"'{rel}' is a symlink: put the file itself in {folder.relative_to(project.root).as_posix()}/", Location(rel))
            elif not path.resolve().is_relative_to(root):
                diagnostics.add("R414", f"'{rel}' lies outside {folder.relative_to(project.root).as_posix()}/", Location(rel))


def _check_reserved_ids(manuscript: Manuscript, body: markup.Body, diagnostics: Diagnostics) -> None:
    """A heading may not take an id the pipeline gives out itself (title, fn-1, fnref-1)."""
    prefix = ids_local(manuscript.slug, "")
    for heading in body.headings:
        ident = heading.id.removeprefix(prefix)
        if is_reserved_local(ident):
            use = next((h for h in manuscript.scan.headings if h.explicit_id == ident or h.text == heading.text), None)
            where = manuscript.location(use.at) if use else Location(manuscript.path, manuscript.body_line, 1)
            diagnostics.add(
                "B355",
                f"the heading '{heading.text}' gets the id '{ident}', which the publisher uses itself: give it another with {{#name}}",
                where,
            )


def _check_classes(manuscript: Manuscript, config: Config, diagnostics: Diagnostics) -> None:
    """Attribute lists may only set the classes the layout offers authors (publication.yaml
    'classes'); the pipeline's own markers are out of reach."""
    for name, span in manuscript.scan.classes:
        if name not in config.classes:
            allowed = ", ".join(config.classes) or "none are configured"
            diagnostics.add("B371", f"class '.{name}' is not one a manuscript may set (publication.yaml 'classes': {allowed})", manuscript.location(span))


def _check_slugs(manuscripts: list[Manuscript], diagnostics: Diagnostics) -> None:
    seen: dict[str, Manuscript] = {}
    for manuscript in manuscripts:
        if manuscript.slug in RESERVED_SLUGS:
            diagnostics.add(
                "M215",
                f"the slug '{manuscript.slug}' is the name of a part the publisher makes itself "
                f"({', '.join(sorted(RESERVED_SLUGS))}): rename the file",
                Location(manuscript.path, 1, 1),
            )
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


def _locate(manuscript: Manuscript, item: markup.Rendered, used: set) -> Location:
    """Where a rendered link or image stands in the source: the source scan's match for the
    same target if there is one, else the first line that holds the target."""
    from urllib.parse import unquote

    candidates = manuscript.scan.images if item.kind == "image" else manuscript.scan.links
    for use in candidates:
        written = getattr(use, "src", None) or getattr(use, "target", "")
        if id(use) in used:
            continue
        if written == item.target or unquote(written) == unquote(item.target) or (written and item.target.startswith(written)):
            used.add(id(use))
            return manuscript.location(use.at)
    for number, line in enumerate(manuscript.body.split("\n"), start=manuscript.body_line):
        column = line.find(item.target) if item.target else -1
        if column >= 0:
            return Location(manuscript.path, number, column + 1)
    return Location(manuscript.path, manuscript.body_line, 1)


def _check_links(publication: Publication, diagnostics: Diagnostics) -> None:
    """Links as the renderer produced them; the source only supplies the line."""
    ids = {entry.slug: entry.body.ids for entry in publication.entries}
    # manuscripts that are listed but could not be read have errors of their own already
    unread = {slug_for(m)[1] for m in publication.config.manuscripts} - set(ids)
    for entry in publication.entries:
        used: set = set()
        for link in (r for r in entry.body.rendered if r.kind == "link"):
            where = _locate(entry.manuscript, link, used)
            match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", link.target)
            scheme = match.group(1).lower() if match else None
            if scheme is None:
                if link.target.startswith("#"):
                    if ids_local(entry.slug, link.target[1:]) not in ids[entry.slug]:
                        diagnostics.add("B311", f"'{link.target}' is not the id of a heading, figure or table in this manuscript", where)
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
            elif fragment and ids_local(slug, fragment) not in ids[slug]:
                diagnostics.add("B311", f"'{slug}' has no heading, figure or table with the id '{fragment}'", where)


def _check_images(publication: Publication, diagnostics: Diagnostics) -> None:
    """Images as the renderer produced them, confined to content/images (no symlink, no
    path that resolves outside it); the source only supplies the line."""
    from urllib.parse import unquote

    images = (publication.project.content / IMAGES_DIR).resolve()
    for entry in publication.entries:
        used: set = set()
        for image in (r for r in entry.body.rendered if r.kind == "image"):
            where = _locate(entry.manuscript, image, used)
            src = unquote(image.target)
            if not image.text:
                diagnostics.add(
                    "B320",
                    f"image '{src}' has no alt text: describe what it shows between the brackets",
                    where,
                )
            pure = PurePosixPath(src)
            if not src or pure.is_absolute() or ":" in src or ".." in pure.parts or pure.parts[:1] != (IMAGES_DIR,):
                diagnostics.add("B322", f"image '{src}' must be a path under images/", where)
                continue
            path = publication.project.content / pure
            if _escapes(path, images):
                diagnostics.add("B322", f"image 'content/{src}' is a link to a file elsewhere: put the file itself in content/images", where)
                continue
            if not path.is_file():
                diagnostics.add("B321", f"image file 'content/{src}' not found", where)
                continue
            media_type = image_media_type(path)
            if media_type is None:
                diagnostics.add("B323", f"'content/{src}' is not a readable PNG, JPEG or SVG image", where)
                continue
            data = path.read_bytes()
            if media_type == "image/svg+xml":
                try:
                    data = svg.clean(data)
                except svg.SvgProblem as problem:
                    diagnostics.add("B325", f"'content/{src}' {problem}", where)
                    continue
            publication.assets[src] = Asset(path, src, media_type, data)


def _escapes(path: Path, folder: Path) -> bool:
    """True when ``path`` or a folder on the way to it is a symlink, or it resolves outside ``folder``."""
    probe = path
    while probe != probe.parent and probe.is_relative_to(folder.parent):
        if probe.is_symlink():
            return True
        probe = probe.parent
    return path.exists() and not path.resolve().is_relative_to(folder)


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
