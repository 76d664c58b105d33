"""Stage 4: a Publication → the HTML intermediate (one document for the whole reader).

The layouts in ``layouts/`` are Jinja2 templates rendered with autoescape and strict
undefined variables. The intermediate refers to its resources by relative URLs under
the mounts below, which is also how ``build/html/`` lays them out on disk.
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import jinja2
from lxml import etree, html
from markupsafe import Markup, escape

from . import __version__, sources
from .errors import Diagnostics, Location
from .locale import TYPOGRAPHY, long_date, words
from .publication import Publication
from .typography import smarten

BOOK_TEMPLATE = "book.html.j2"
STYLESHEETS = (("css/book.css", None), ("css/print.css", "print"))
GENERATOR = f"smart-society-publisher {__version__}"

# Fixed ids of the generated sections (manuscripts use their slugs).
IDS = {
    "cover": "omslag",
    "title_page": "titelpagina",
    "colophon": "colofon",
    "toc": "inhoud",
    "main": "hoofdtekst",
    "index": "register",
    "sources": "bronnen",
}


@dataclass(frozen=True)
class Mount:
    """A folder of the project that the intermediate sees under a URL prefix."""

    prefix: str
    source: Path


def mounts(publication: Publication) -> tuple[Mount, ...]:
    project = publication.project
    return (
        Mount("css", project.layouts / "css"),
        Mount("fonts", project.layouts / "fonts"),
        Mount("color", project.layouts / "color"),
        Mount("images", project.content / "images"),
    )


@dataclass
class Book:
    """The HTML intermediate and what the writers need to know about it."""

    publication: Publication
    html: str
    mounts: tuple[Mount, ...]

    def fingerprint(self) -> str:
        """A digest of the intermediate: a page map is valid for this exact text only."""
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()

    def tree(self) -> etree._ElementTree:
        """A fresh, parsed copy of the intermediate for a writer to transform."""
        return html.document_fromstring(self.html).getroottree()


def environment(layouts: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layouts)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def render_template(env: jinja2.Environment, name: str, layouts: Path, **context) -> str:
    """Render a layout template; template problems become R403/R404 diagnostics."""
    diagnostics = Diagnostics()
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        diagnostics.add("P109", f"layout template '{exc.name}' not found", Location(f"layouts/{name}"))
    except jinja2.TemplateSyntaxError as exc:
        where = f"layouts/{exc.name or name}"
        diagnostics.add("R403", exc.message or "template syntax error", Location(where, exc.lineno or 1, 1))
    except jinja2.UndefinedError as exc:
        template, line = _template_frame(layouts, name)
        diagnostics.add("R404", exc.message or "undefined variable", Location(template, line, 1))
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        # an expression of the template failed while rendering (a filter given a wrong
        # argument, arithmetic on a missing number): the designer's to fix, at that line
        template, line = _template_frame(layouts, name)
        diagnostics.add("R403", f"{type(exc).__name__}: {exc}", Location(template, line, 1))
    diagnostics.raise_if_errors()
    raise AssertionError("unreachable")  # pragma: no cover


def _template_frame(layouts: Path, fallback: str) -> tuple[str, int]:
    """The innermost template frame of the exception being handled (Jinja rewrites
    tracebacks so that template lines appear as frames of the template file)."""
    traceback = sys.exc_info()[2]
    found = (f"layouts/{fallback}", 0)
    root = str(layouts.resolve())
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.startswith(root):
            found = ("layouts/" + Path(filename).resolve().relative_to(layouts.resolve()).as_posix(), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


def fragment_html(root: etree._Element) -> Markup:
    """The children of an lxml <div> as HTML markup (the div itself left out)."""
    parts = [str(escape(root.text)) if root.text else ""]
    parts.extend(html.tostring(child, encoding="unicode") for child in root)
    return Markup("".join(parts))


def context(publication: Publication) -> dict:
    """Everything the templates may use: plain data, with typographic text."""
    config = publication.config
    language = config.language
    vocabulary = words(language)
    typo = TYPOGRAPHY[language]

    def smart(text: str | None) -> str | None:
        return smarten(text, typo) if text else text

    entries = []
    index: dict[str, list] = defaultdict(list)
    for entry in publication.entries:
        meta = entry.meta
        if entry.manuscript.kind == "case":
            label = f"{vocabulary['case']} {meta.number}"
        else:
            label = None
        item = {
            "slug": entry.slug,
            "first": entry.position == 1,
            "kind": entry.manuscript.kind,
            "number": meta.number,
            "label": label,
            "short_label": label or smart(meta.title),
            "title": smart(meta.title),
            "subtitle": smart(meta.subtitle),
            "authors": list(meta.authors),
            "summary": smart(meta.summary),
            "notice": smart(meta.notice),
            "keywords": list(meta.keywords),
            "status": meta.status,
            "status_label": vocabulary[f"status_{meta.status}"],
            "date_iso": meta.date.isoformat(),
            "headings": [{"level": h.level, "id": h.id, "text": h.text} for h in entry.body.headings],
            "body": fragment_html(entry.body.root),
            "words": entry.body.words,
            "citations": list(entry.body.citations),
        }
        entries.append(item)
        for keyword in meta.keywords:
            if item not in index[keyword.lower()]:
                index[keyword.lower()].append(item)

    authors = sorted({a for e in publication.entries for a in e.meta.authors})
    book = {
        "title": smart(config.title),
        "subtitle": smart(config.subtitle),
        "language": language,
        "identifier": config.identifier,
        "isbn": config.isbn,
        "authors": authors,
        "keywords": sorted({k for e in publication.entries for k in e.meta.keywords}, key=str.lower),
        "generator": GENERATOR,
        "date_iso": config.edition_date.isoformat(),
        "date_long": long_date(config.edition_date, language),
        "edition_number": config.edition_number,
        "edition_label": f"{config.edition_number}e {vocabulary['edition']}"
        if language == "nl"
        else f"{_ordinal(config.edition_number)} {vocabulary['edition']}",
        "licence_name": config.licence_name,
        "licence_url": config.licence_url,
        "publishers": [
            {"name": p.name, "short": p.short, "role": p.role, "role_label": (p.role or vocabulary["publishers"]).capitalize()}
            for p in config.publishers
        ],
        "contributors": [{"name": c.name, "role": (c.role or "").capitalize() or None} for c in config.contributors],
        "contributor_names": [c.name for c in config.contributors] or authors,
        "trim_width": config.trim_width,
        "trim_height": config.trim_height,
    }
    return {
        "book": book,
        "manuscripts": entries,
        "index": [
            {"keyword": _display_keyword(publication, key), "manuscripts": items}
            for key, items in sorted(index.items(), key=lambda item: collation_key(item[0]))
        ],
        "words": vocabulary,
        "ids": IDS,
        "stylesheets": [{"href": href, "media": media} for href, media in STYLESHEETS],
        "sources": Markup(sources.bibliography_html(publication.bibliography, sources.cited_keys(publication))),
    }


def collation_key(text: str) -> tuple[str, str]:
    """Sort key for an index: letters without their accents first (é files with e)."""
    import unicodedata

    base = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return base, text


def _display_keyword(publication: Publication, key: str) -> str:
    for entry in publication.entries:
        for keyword in entry.meta.keywords:
            if keyword.lower() == key:
                return keyword
    return key  # pragma: no cover


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def assemble(publication: Publication) -> Book:
    """Render the HTML intermediate for ``publication``."""
    layouts = publication.project.layouts
    env = environment(layouts)
    markup = render_template(env, BOOK_TEMPLATE, layouts, **context(publication))
    return Book(publication, markup, mounts(publication))
