"""The library API: check, build, stats and new, each acting on one project folder."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import html_writer, manifest, readability
from .assemble import assemble
from .config import Project, require_config
from .errors import Diagnostics, Location, PublisherError
from .locale import reading_minutes
from .manuscript import CASES_DIR, PLACEHOLDER
from .media import media_type
from .pagination import PageMap
from .publication import Publication, load_publication

FORMATS = ("html", "pdf", "epub")
EPUB_NAME = "smart-society-cases.epub"
HTML_DIR = "html"
MANIFEST = "manifest.json"
PAGE_MAP = "page-map.json"  # where the print edition's pages begin, for EPUB-only builds


@dataclass
class BuildResult:
    publication: Publication
    outputs: list[manifest.Output] = field(default_factory=list)

    @property
    def warnings(self):
        return self.publication.diagnostics.warnings


def check(project_dir: Path | str = ".") -> Publication:
    """Validate the content without rendering any edition. Raises PublisherError."""
    return load_publication(Project.at(project_dir))


def build(
    project_dir: Path | str = ".",
    formats: tuple[str, ...] = FORMATS,
    out_dir: Path | str | None = None,
    progress=None,
) -> BuildResult:
    """Build the editions named in ``formats`` into ``out_dir`` (default: build/).

    ``progress``, when given, is called with a short description before each step.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        diagnostics = Diagnostics()
        for name in unknown:
            diagnostics.add("R405", f"unknown format '{name}' (formats: {', '.join(FORMATS)})")
        raise PublisherError(diagnostics)
    step = progress or (lambda message: None)
    project = Project.at(project_dir)
    out = Path(out_dir).resolve() if out_dir else project.build
    step("reading manuscripts")
    publication = load_publication(project)
    step("assembling the HTML intermediate")
    book = assemble(publication)
    result = BuildResult(publication)
    html_dir = out / HTML_DIR
    page_map = None
    if "html" in formats:
        step("writing build/html")
        for path in html_writer.write(book, html_dir):
            result.outputs.append(manifest.Output.of(path, _root(project, out), media_type(path.name)))
    if "pdf" in formats:
        from . import pdf  # WeasyPrint is imported only when a PDF is asked for

        step("checking the stylesheets")
        pdf.check_stylesheets(book, html_dir)
        corrections = None
        for edition in pdf.EDITIONS:
            step(f"laying out pages ({edition.name} edition)")
            rendering = pdf.render(book, html_dir, edition, corrections)
            corrections = rendering.corrections  # the editions share their page geometry
            if edition is pdf.SCREEN:
                pdf.check_resolution(rendering, publication)
            if page_map is None:
                page_map = rendering.page_map(book)
                page_map.save(out / PAGE_MAP)
            target = out / edition.filename
            step(f"writing {target.name}")
            pdf.write(rendering, edition, target)
            result.outputs.append(manifest.Output.of(target, _root(project, out), "application/pdf", rendering.page_count))
    if "epub" in formats:
        from . import epub

        target = out / EPUB_NAME
        if page_map is None:
            page_map = PageMap.load(out / PAGE_MAP)
            if page_map is not None and page_map.fingerprint != book.fingerprint():
                page_map = None
            if page_map is None:
                publication.diagnostics.add(
                    "R407",
                    "the EPUB has no page numbers of the print edition: build the PDF as well "
                    "(publisher build, or --format pdf --format epub)",
                    Location(f"{out.name}/{EPUB_NAME}"),
                )
        step(f"writing {target.name}")
        epub.write(book, target, page_map)
        result.outputs.append(manifest.Output.of(target, _root(project, out), "application/epub+zip"))
    manifest.write(result.outputs, out / MANIFEST, publication.config.identifier)
    return result


def _root(project: Project, out: Path) -> Path:
    """Manifest paths are relative to the project when building into it."""
    return project.root if out.is_relative_to(project.root) else out


@dataclass(frozen=True)
class Stats:
    path: str
    title: str
    words: int
    footnotes: int
    figures: int
    tables: int
    minutes: int
    readability: readability.Readability | None = None


def stats(project_dir: Path | str = ".") -> list[Stats]:
    publication = check(project_dir)
    return [
        Stats(
            e.manuscript.path,
            e.meta.title,
            e.body.words,
            e.body.footnotes,
            e.body.figures,
            e.body.tables,
            reading_minutes(e.body.words),
            readability.measure(e.body.root),
        )
        for e in publication.entries
    ]


MANUSCRIPT_TEMPLATE = """---
title: {title}
number: {number}
authors:
  - {author}
summary: >-
  {summary}
keywords: [{keyword}]
status: concept
date: {date}
---
{lede}
"""


def new_manuscript(
    project_dir: Path | str,
    title: str,
    case: bool = True,
    author: str = "Redactie Smart society cases",
    today: dt.date | None = None,
) -> Path:
    """Start a manuscript from the template and add it to publication.yaml's list."""
    project = Project.at(project_dir)
    config = require_config(project)
    slug = slugify(title)
    diagnostics = Diagnostics()
    if not slug:
        diagnostics.add("M207", f"no file name can be made from the title '{title}'")
        raise PublisherError(diagnostics)
    if case:
        numbers = [int(m.group(1)) for m in (re.match(rf"{CASES_DIR}/(\d\d)-", e) for e in config.manuscripts) if m]
        number = max(numbers, default=0) + 1
        entry = f"{CASES_DIR}/{number:02d}-{slug}.md"
    else:
        number = None
        entry = f"{slug}.md"
    path = project.content / entry
    taken = {re.sub(r"^(cases/)?(\d\d-)?|\.md$", "", e) for e in config.manuscripts}
    if path.exists() or slug in taken:
        diagnostics.add("M205", f"a manuscript with the slug '{slug}' already exists", Location("content/publication.yaml"))
        raise PublisherError(diagnostics)
    text = MANUSCRIPT_TEMPLATE.format(
        title=_yaml_string(title),
        number=number,
        author=_yaml_string(author),
        summary=f"{PLACEHOLDER}: twee tot drie zinnen over waar deze tekst over gaat.",
        keyword=PLACEHOLDER,
        date=(today or dt.date.today()).isoformat(),
        lede="Schrijf hier de opening.",
    )
    if number is None:
        text = text.replace(f"number: {number}\n", "")
    _append_to_list(project, entry)  # first: it refuses a list it cannot extend
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _yaml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _append_to_list(project: Project, entry: str) -> None:
    """Add an entry at the end of the 'manuscripts' list, keeping the file's comments."""
    path = project.root / "content" / "publication.yaml"
    lines = path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("manuscripts:"))
    if lines[start].split("#", 1)[0].strip() != "manuscripts:":
        diagnostics = Diagnostics()
        diagnostics.add(
            "P103",
            "'publisher new' adds to a 'manuscripts' list written one '- entry' per line; "
            "add the entry by hand to this list",
            Location("content/publication.yaml", start + 1, 1),
        )
        raise PublisherError(diagnostics)
    end = start + 1
    last = start
    indent = "  - "
    while end < len(lines) and (lines[end].startswith((" ", "-")) or not lines[end].strip()):
        if lines[end].lstrip().startswith("- "):
            indent = lines[end][: len(lines[end]) - len(lines[end].lstrip())] + "- "
            last = end
        end += 1
    lines.insert(last + 1, f"{indent}{entry}")
    path.write_text("\n".join(lines), encoding="utf-8")


# letters that do not decompose into a base letter and an accent
_LIGATURES = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ĳ": "ij", "Ĳ": "ij", "đ": "d", "Đ": "d", "þ": "th"})


def slugify(title: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", title.translate(_LIGATURES)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
