"""Stage 4b: a Publication and one Volume → the volume's HTML intermediate and its Structure.

Assembly is the one place where content becomes a concrete document: the volume's
manuscripts are put into the layout's templates (Jinja2, autoescape, strict undefined
variables), cross-references are resolved for this volume (inside it a link with a page
reference, outside it a reference to the series in words), and the result is described
in a typed ``Structure`` that the writers read instead of the templates' markup. The
conventions of ``docs/layouts.md`` are checked here, so a layout that breaks one is an
error at build time rather than a quietly wrong output.

The intermediate refers to its resources by relative URLs under the mounts below, which
is also how ``build/html/`` lays them out on disk.
"""

from __future__ import annotations

import copy
import hashlib
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import jinja2
from lxml import etree, html
from markupsafe import Markup, escape

import pyuca

from . import __version__, sources, terms
from .errors import Diagnostics, Location
from .ids import IDS
from .locale import TYPOGRAPHY, long_date, words
from .markup import XREF_ATTRIBUTE
from .publication import Asset, Entry, Publication
from .typography import smarten, tie_fixed_expressions
from .volumes import OFFPRINT, Volume

BOOK_TEMPLATE = "book.html.j2"
STYLESHEETS = (("css/book.css", None), ("css/print.css", "print"))
GENERATOR = f"smart-society-publisher {__version__}"

# The parts a layout may mark with data-part (docs/layouts.md), and landmarks it may name.
PARTS = ("cover", "half-title", "title-page", "colophon", "toc", "changes", "manuscript", "index", "sources")
LANDMARKS = ("bodymatter", "index", "bibliography", "titlepage", "copyright-page", "toc", "cover")


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


@dataclass(frozen=True)
class Section:
    """A part of the volume: generated (cover, colophon …) or a manuscript."""

    id: str
    part: str  # one of PARTS
    title: str
    document: str | None  # file name stem in the EPUB (and a web edition); None: paged only
    landmark: str | None
    renditions: frozenset[str] | None  # the rendition families it appears in ('pdf', 'epub'); None: all
    manuscript: str | None = None  # the slug, for a manuscript

    def in_rendition(self, family: str) -> bool:
        return self.renditions is None or family in self.renditions


@dataclass(frozen=True)
class TocEntry:
    id: str  # the section it points at
    label: str | None  # "Case 3"
    title: str
    children: tuple[tuple[str, str], ...] = ()  # (id, title) of the level-2 headings


@dataclass(frozen=True)
class Note:
    id: str
    calls: tuple[str, ...]  # ids of its calls, the first is its anchor


@dataclass(frozen=True)
class Structure:
    """What assembly made, for the writers: they read this, not the templates' classes."""

    sections: tuple[Section, ...]
    toc: tuple[TocEntry, ...]
    page_refs: frozenset[str]  # ids whose page number the paged renditions write in
    notes: tuple[Note, ...]
    assets: tuple[Asset, ...]  # the images the volume shows

    @property
    def manuscript_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections if s.part == "manuscript")

    def documents(self, family: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.document and s.in_rendition(family))


@dataclass
class AssembledVolume:
    """One volume as a concrete document: the HTML intermediate and its Structure."""

    publication: Publication
    volume: Volume
    html: str
    structure: Structure
    mounts: tuple[Mount, ...]
    context: dict  # the data the templates were given (for the writers' own templates)

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


def resolve_xrefs(root: etree._Element, volume: Volume, publication: Publication, diagnostics: Diagnostics, where: Location) -> None:
    """Cross-references of one manuscript body, for this volume: a link to a text inside
    the volume gets its target (and a page reference in print); a text outside it is named
    in words, as part of the series, with a link where the web edition has it."""
    config = publication.config
    vocabulary = words(config.language)
    typo = TYPOGRAPHY[config.language]
    for link in list(root.iter("a")):
        target = link.attrib.pop(XREF_ATTRIBUTE, None)
        if target is None:
            continue
        slug, _, ident = target.partition("#")
        if volume.contains(slug):
            link.set("href", f"#{ident or slug}")
            link.set("class", "xref")
            link.set("data-page-ref", "see")
            target_entry = next((e for e in publication.entries if e.slug == slug), None)
            if target_entry is not None and not ident and _same_title(link, target_entry, typo):
                link.set("class", "xref xref-title")  # a cited title: in italics (print.css, book.css)
            continue
        entry = next((e for e in publication.entries if e.slug == slug), None)
        if entry is None:  # reported by the publication's checks (B310); never silently dropped
            diagnostics.add("R409", f"cross-reference to '{slug}', which is not a manuscript of the series", where)
            continue
        title = f"{typo.single[0]}{smarten(entry.meta.title, typo)}{typo.single[1]}"
        label = _label(entry, vocabulary)
        reference = vocabulary["see_in_series" if label else "see_in_series_text"].format(
            label=(label or "").lower() if config.language == "nl" else label, title=title, series=smarten(config.title, typo)
        )
        if config.web_base_url:
            link.set("href", f"{config.web_base_url}{slug}.html" + (f"#{ident}" if ident else ""))
            link.set("class", "external xref-outside")
        else:
            link.tag = "span"
            link.attrib.clear()
            link.set("class", "xref-outside")
        note = etree.Element("span", {"class": "xref-series"})
        note.text = f" ({reference})"
        note.tail = link.tail
        link.tail = None
        link.addnext(note)


# Where the index does not look: code, note numbers, and generated labels.
_NOT_INDEXED = {"code", "pre", "kbd", "samp", "script", "style", "sup"}
# Elements whose text a term does not run across (it may run across em, a, span …).
_BLOCKS = {
    "p", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "table",
    "caption", "figure", "figcaption", "blockquote", "div", "section", "aside", "br", "img", "hr",
}



class IndexMarker:
    """Marks every occurrence of the index's terms (content/terms.yaml, ``index:``) in the
    texts of one volume with an anchor (``<span class="index-mark" id="slug--ix-N">``),
    so that the index can point at the very place: the paged renditions print the page it
    falls on, the EPUB and the web edition link to it."""

    def __init__(self, index_terms: list[terms.IndexTerm], typo):
        self.terms = [(term, terms.index_pattern(tuple(smarten(form, typo) for form in term.forms))) for term in index_terms]
        self.occurrences: dict[str, list[tuple[str, str]]] = defaultdict(list)  # term → [(id, slug)]
        self.count = 0

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for term, pattern in self.terms:
            found.extend((m.start(), m.end(), term.term) for m in pattern.finditer(text))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        chosen, end = [], -1
        for start, stop, term in found:
            if start >= end:  # the longer of two overlapping terms wins ("open data" over "data")
                chosen.append((start, stop, term))
                end = stop
        return chosen

    def _span(self, text: str, term: str, slug: str) -> etree._Element:
        self.count += 1
        ident = f"{slug}--ix-{self.count}"
        self.occurrences[term].append((ident, slug))
        span = etree.Element("span", {"class": "index-mark", "id": ident})
        span.text = text
        return span

    def _split(self, text: str, slug: str) -> tuple[str, list[etree._Element]]:
        """``text`` as a leading string and the marks with their tails."""
        matches = self._matches(text)
        if not matches:
            return text, []
        head = text[: matches[0][0]]
        spans = []
        for number, (start, stop, term) in enumerate(matches):
            span = self._span(text[start:stop], term, slug)
            following = matches[number + 1][0] if number + 1 < len(matches) else len(text)
            span.tail = text[stop:following] or None
            spans.append(span)
        return head, spans

    def mark_tree(self, root: etree._Element, slug: str, svg_texts: dict[str, str] | None = None) -> None:
        """Mark the occurrences in a manuscript body. The text is read as the reader reads
        it, across inline markup ("publieke *stack*"), but not across blocks; a mark
        wraps the occurrence's first piece of text, which is where it begins. A figure
        drawn in SVG is marked (an empty mark at the start of its caption) for each term
        its text has (``svg_texts``: image address → its text)."""
        slots: list[tuple[etree._Element, str]] = []  # (node, 'text' or 'tail'), in reading order
        pieces: list[str] = []

        def boundary() -> None:
            pieces.append("\x00")
            slots.append((None, ""))

        def walk(element: etree._Element) -> None:
            skipped = element.tag in _NOT_INDEXED
            block = element.tag in _BLOCKS
            if block:
                boundary()
            if not skipped:
                pieces.append(element.text or "")
                slots.append((element, "text"))
                for child in element:
                    if isinstance(child.tag, str):
                        walk(child)
                    pieces.append(child.tail or "")
                    slots.append((child, "tail"))
            else:
                boundary()
            if block:
                boundary()

        for child in root:
            if isinstance(child.tag, str):
                walk(child)
        starts, position = [], 0
        for piece in pieces:
            starts.append(position)
            position += len(piece)
        text = "".join(pieces)
        found = []  # (slot, start in slot, end in slot, term)
        slot = 0
        for start, stop, term in self._matches(text):
            while slot + 1 < len(starts) and starts[slot + 1] <= start:
                slot += 1
            while not pieces[slot]:  # an empty piece ends where the next begins
                slot += 1
            offset = start - starts[slot]
            found.append((slot, offset, min(stop - starts[slot], len(pieces[slot])), term))
        marks = [self._span("", term, slug) for *_, term in found]  # numbered in reading order
        for (slot, begin, end, _), span in reversed(list(zip(found, marks))):
            node, kind = slots[slot]
            value = getattr(node, kind)
            span.text, span.tail = value[begin:end], value[end:] or None
            setattr(node, kind, value[:begin] or None)
            if kind == "text":
                node.insert(0, span)
            else:
                node.addnext(span)
        for image in root.iter("img"):
            figure = image.getparent()
            caption = figure.find("figcaption") if figure is not None and figure.tag == "figure" else None
            svg = (svg_texts or {}).get(image.get("src") or "")
            if caption is None or not svg:
                continue
            terms_found = list(dict.fromkeys(term for *_, term in self._matches(svg)))
            for term in reversed(terms_found):
                span = self._span("", term, slug)
                span.tail, caption.text = caption.text, None
                caption.insert(0, span)

    def mark_text(self, text: str | None, slug: str) -> Markup | None:
        """A line of display text (a title) with its occurrences marked, as markup."""
        if not text:
            return text
        head, spans = self._split(text, slug)
        return Markup(escape(head) + Markup("".join(html.tostring(span, encoding="unicode") for span in spans)))


def _svg_text(data: bytes) -> str:
    """The text an SVG figure prints, one text element per block."""
    root = etree.fromstring(data)
    return "\x00".join(" ".join("".join(t.itertext()).split()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


_COLLATOR = pyuca.Collator()


def collation_key(text: str) -> tuple:
    """Sort key for the index: the Unicode Collation Algorithm, which files accented
    letters with their base letter and ignores case and apostrophes at the first level, as
    a Dutch index does (é with e, ‘dilemma’s’ with ‘dilemmas’); the text itself breaks ties."""
    return tuple(_COLLATOR.sort_key(text)), text


def index_groups(marker: IndexMarker, labels: dict[str, str], typo) -> list[dict]:
    """The index as the templates show it: letter groups of terms, each with one locator
    per text that discusses it (pointing at its first occurrence there) and every
    occurrence's id (``occurrences``), from which the paged renditions make page locators."""
    import unicodedata

    groups: dict[str, list] = {}
    for term in sorted(marker.occurrences, key=collation_key):
        found = marker.occurrences[term]
        locators = []
        for ident, slug in found:
            if not locators or locators[-1]["slug"] != slug:
                locators.append({"slug": slug, "href": f"#{ident}", "label": labels[slug]})
        base = unicodedata.normalize("NFKD", term)[0].upper()
        letter = base if base.isalpha() else "#"
        groups.setdefault(letter, []).append(
            {"term": smarten(term, typo), "locators": locators, "occurrences": " ".join(i for i, _ in found)}
        )
    return [{"letter": letter, "terms": items} for letter, items in groups.items()]


def number_figures(roots: list[etree._Element], vocabulary) -> dict[str, str]:
    """Number the figures and the tables of a volume through the volume ("Figuur 3",
    "Tabel 2"; an offprint numbers its own): the number opens the caption (a caption is
    made when there is none). Returns id → "figuur 3" for every figure and table that has
    an id, for the references to it."""
    counts = {"figure": 0, "table": 0}
    labels: dict[str, str] = {}
    for root in roots:
        for element in root.iter("figure", "table"):
            kind = "figure" if element.tag == "figure" else "table"
            counts[kind] += 1
            label = f"{vocabulary[kind]}\u00a0{counts[kind]}"
            caption = element.find("figcaption" if kind == "figure" else "caption")
            if caption is None:
                caption = etree.Element("figcaption" if kind == "figure" else "caption")
                if kind == "figure":
                    element.append(caption)
                else:
                    element.insert(0, caption)
            mark = etree.Element("span", {"class": "caption-label"})
            mark.text = label
            if caption.text or len(caption):
                mark.tail = " " + (caption.text or "")
            caption.text = None
            caption.insert(0, mark)
            element.set("data-number", str(counts[kind]))
            if element.get("id"):
                labels[element.get("id")] = label[:1].lower() + label[1:]
    return labels


def label_references(root: etree._Element, labels: dict[str, str]) -> None:
    """A link to a figure or table of the volume is a cross-reference that names it: the
    paged renditions print "(zie figuur 3 op p. 48)" after it."""
    for link in root.iter("a"):
        target = (link.get("href") or "")[1:]
        if (link.get("href") or "").startswith("#") and target in labels:
            link.set("class", "xref")
            link.set("data-page-ref", "see")
            link.set("data-label", labels[target])


def _same_title(link: etree._Element, entry: Entry, typo) -> bool:
    """Whether a link's text is the title of the text it points at (a cited title)."""
    def plain(text: str) -> str:
        return " ".join(text.replace("\u00a0", " ").split()).casefold()

    return plain("".join(link.itertext())) == plain(smarten(entry.meta.title, typo))


def _label(entry: Entry, vocabulary) -> str | None:
    if entry.manuscript.meta.label:
        return entry.manuscript.meta.label
    if entry.manuscript.kind == "case":
        return f"{vocabulary['case']} {entry.meta.number}"
    return None


def context(publication: Publication, volume: Volume, bodies: dict[str, Markup], marker: IndexMarker | None = None) -> dict:
    """Everything the templates may use: plain data, with typographic text."""
    config = publication.config
    language = config.language
    vocabulary = words(language)
    typo = TYPOGRAPHY[language]

    def smart(text: str | None) -> str | None:
        return smarten(text, typo) if text else text

    marker = marker or IndexMarker([], typo)
    entries = []
    for position, entry in enumerate(volume.entries, start=1):
        meta = entry.meta
        label = _label(entry, vocabulary)
        item = {
            "slug": entry.slug,
            "first": position == 1,
            "kind": entry.manuscript.kind,
            "number": meta.number,
            "label": label,
            "short_label": label.replace(" ", "\u00a0") if label else smart(meta.title),  # "Case 1" never breaks
            "title": smart(meta.title),
            "title_marked": marker.mark_text(smart(meta.title), entry.slug),
            "subtitle": smart(meta.subtitle),
            "subtitle_marked": marker.mark_text(smart(meta.subtitle), entry.slug),
            "authors": list(meta.authors),
            "summary": smart(meta.summary),
            "notice": smart(meta.notice),
            "notice_marked": marker.mark_text(smart(meta.notice), entry.slug),
            "keywords": list(meta.keywords),
            "status": meta.status,
            "status_label": vocabulary[f"status_{meta.status}"],
            "concept": meta.status == "concept",
            "date_iso": meta.date.isoformat(),
            "headings": [{"level": h.level, "id": h.id, "text": h.text} for h in entry.body.headings],
            "body": bodies[entry.slug],
            "words": entry.body.words,
            "citations": list(entry.body.citations),
        }
        entries.append(item)

    authors = sorted({a for e in volume.entries for a in e.meta.authors})
    edition = volume.identity.edition
    # "2e editie", or the edition's own label ("2e, herziene editie")
    edition_label = smarten(edition.label, typo) if edition.label else _edition_label(edition.number, vocabulary, language)
    book = {
        "title": smart(config.title),
        "subtitle": smart(config.subtitle),
        "language": language,
        "identifier": volume.identity.identifier,
        "isbn": edition.isbn if volume.kind != OFFPRINT else None,
        "authors": authors,
        "keywords": sorted({smart(k) for e in volume.entries for k in e.meta.keywords}, key=collation_key),
        "generator": GENERATOR,
        "date_iso": edition.date.isoformat(),
        "date_long": long_date(edition.date, language),
        "first_date_iso": config.first_date.isoformat(),
        "first_date_long": long_date(config.first_date, language),
        "edition_number": edition.number,
        "edition_label": edition_label,
        "edition_name": edition_label[:1].lower() + edition_label[1:],  # in a sentence: "in deze tweede, herziene druk"
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
    editions_line = vocabulary["first_published"].format(date=book["first_date_long"]) if edition.number > 1 else None
    colophon = config.colophon
    book["colophon"] = {
        "edition_line": _edition_line(config, vocabulary, smart),
        "design": smart(colophon.design),
        "fonts": smart(colophon.fonts),
        "printer": smart(colophon.printer),
        "address": smart(colophon.address),
        "disclaimer": smart(colophon.disclaimer),
        "licence_name": tie_fixed_expressions(book["licence_name"]),
    }
    first = volume.entries[0]
    offprint = volume.kind == OFFPRINT
    series_place = None
    if offprint:
        label = _label(first, vocabulary)
        series_place = vocabulary["in_series" if label else "in_series_text"].format(label=label, series=book["title"])
    volume_data = {
        "key": volume.key,
        "kind": volume.kind,
        "offprint": offprint,
        "parts": list(volume.parts),
        "title": smart(volume.identity.title),
        "subtitle": smart(volume.identity.subtitle),
        "label": _label(first, vocabulary) if offprint else None,
        "series_place": series_place,
        "identifier": volume.identity.identifier,
        "editions_line": editions_line,
        "concept": any(e.meta.status == "concept" for e in volume.entries),
        "citation": _citation(volume, book, vocabulary, smart),
    }
    changes = [
        {
            "manuscript": smart(next(e.meta.title for e in volume.entries if e.manuscript.path == f"content/{c.manuscript}")),
            "label": next(_label(e, vocabulary) for e in volume.entries if e.manuscript.path == f"content/{c.manuscript}"),
            "kind": vocabulary[f"change_{c.kind}"],
            "note": smart(c.note),
        }
        for c in volume.changes
    ]
    return {
        "book": book,
        "volume": volume_data,
        "manuscripts": entries,
        "changes": changes,
        "index": index_groups(marker, {e["slug"]: e["short_label"] for e in entries}, typo),
        "words": vocabulary,
        "ids": IDS,
        "stylesheets": [{"href": href, "media": media} for href, media in STYLESHEETS],
        # the list of sources of this volume's texts
        "sources": Markup(sources.bibliography_html(publication.bibliography, sources.cited_keys(volume)))
        if "sources" in volume.parts
        else "",
    }


def _edition_word(number: int, vocabulary) -> str:
    """"tweede druk": the edition named in words (up to the tenth, then "11e druk")."""
    ordinals = vocabulary["edition_words"].split()
    if number <= len(ordinals):
        return vocabulary["edition_word"].format(ordinal=ordinals[number - 1])
    return vocabulary["edition_ordinal"].format(number=number)


def _edition_line(config, vocabulary, smart) -> str:
    """The colophon's edition line, from the edition history: "Tweede, herziene druk,
    2026; eerste druk november 2019" (each edition's label, or its number in words)."""
    current, first = config.editions[-1], config.editions[0]
    label = smart(current.label) if current.label else _edition_word(current.number, vocabulary)
    label = label[:1].upper() + label[1:]
    month = vocabulary["months"].split()
    if current.number == 1:
        return vocabulary["edition_line_first"].format(edition=label, date=f"{month[current.date.month - 1]} {current.date.year}")
    first_label = smart(first.label) if first.label else _edition_word(1, vocabulary)
    return vocabulary["edition_line"].format(
        edition=label, year=current.date.year, first=first_label[:1].lower() + first_label[1:],
        date=f"{month[first.date.month - 1]} {first.date.year}",
    )


def _edition_label(number: int, vocabulary, language: str) -> str:
    return vocabulary["edition_ordinal"].format(number=number if language == "nl" else _ordinal(number))


def _citation(volume: Volume, book: dict, vocabulary, smart) -> str:
    """How to cite the volume, in the series' own words (colophon)."""
    authors = ", ".join(book["authors"]) or ", ".join(book["contributor_names"])
    publishers = vocabulary["and"].join(p["short"] or p["name"] for p in book["publishers"]) if len(book["publishers"]) < 3 else ", ".join(p["short"] or p["name"] for p in book["publishers"])
    year = volume.identity.edition.date.year
    if volume.kind == OFFPRINT:
        entry = volume.entries[0]
        label = _label(entry, vocabulary)
        return vocabulary["cite_offprint"].format(
            authors=authors, year=year, title=smart(entry.meta.title), place=(label + " " if label else ""),
            series=book["title"], edition=book["edition_name"], publishers=publishers,
        ).replace("  ", " ")
    return vocabulary["cite_reader"].format(
        authors=authors, year=year, title=smart(volume.identity.title), edition=book["edition_name"], publishers=publishers
    )


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def assemble(publication: Publication, volume: Volume) -> AssembledVolume:
    """Render the HTML intermediate of ``volume`` and describe it. Raises PublisherError
    when a cross-reference or a convention of the layout cannot be met."""
    layouts = publication.project.layouts
    env = environment(layouts)
    diagnostics = Diagnostics()
    bodies = {}
    marker = IndexMarker(publication.terms.index if "index" in volume.parts else [], TYPOGRAPHY[publication.language])
    svg_texts = {href: _svg_text(asset.data) for href, asset in publication.assets.items() if asset.media_type == "image/svg+xml"}
    roots = {entry.slug: copy.deepcopy(entry.body.root) for entry in volume.entries}  # the publication's trees stay as rendered
    labels = number_figures(list(roots.values()), words(publication.language))
    for entry in volume.entries:
        root = roots[entry.slug]
        resolve_xrefs(root, volume, publication, diagnostics, Location(entry.manuscript.path))
        label_references(root, labels)
        marker.mark_tree(root, entry.slug, svg_texts)
        bodies[entry.slug] = fragment_html(root)
    diagnostics.raise_if_errors()
    data = context(publication, volume, bodies, marker)
    markup = render_template(env, BOOK_TEMPLATE, layouts, **data)
    structure = describe(markup, publication, volume)
    return AssembledVolume(publication, volume, markup, structure, mounts(publication), data)


def describe(markup: str, publication: Publication, volume: Volume) -> Structure:
    """Read the assembled document's parts and check the layout's conventions
    (docs/layouts.md): every part marked and named once, every manuscript present, every
    id unique and every internal link pointing at one of them."""
    diagnostics = Diagnostics()
    where = Location(f"layouts/{BOOK_TEMPLATE}")
    root = html.document_fromstring(markup)
    ids: dict[str, int] = defaultdict(int)
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id"):
            ids[element.get("id")] += 1
    for ident, count in sorted(ids.items()):
        if count > 1:
            diagnostics.add("R410", f"the id '{ident}' is used {count} times in volume '{volume.key}'", where)
    sections = []
    documents: set[str] = set()
    for element in root.xpath("//*[@data-part]"):
        part = element.get("data-part")
        ident = element.get("id")
        if part not in PARTS:
            diagnostics.add("R410", f"data-part='{part}' is not one of {', '.join(PARTS)}", where)
            continue
        if not ident:
            diagnostics.add("R410", f"the {part} part has no id", where)
            continue
        document = element.get("data-document")
        if document is not None:
            if document in documents:
                diagnostics.add("R410", f"two parts are both the document '{document}'", where)
            documents.add(document)
        landmark = element.get("data-landmark")
        if landmark is not None and landmark not in LANDMARKS:
            diagnostics.add("R410", f"data-landmark='{landmark}' is not one of {', '.join(LANDMARKS)}", where)
        renditions = element.get("data-renditions")
        heading = element.find(".//h1")
        if heading is None:
            heading = element.find(".//h2")
        title = " ".join("".join(heading.itertext()).split()) if heading is not None else element.get("aria-label", "")
        sections.append(
            Section(
                ident,
                part,
                title,
                document,
                landmark,
                frozenset(renditions.split()) if renditions is not None else None,
                ident if part == "manuscript" else None,
            )
        )
    present = {s.manuscript for s in sections if s.manuscript}
    for entry in volume.entries:
        if entry.slug not in present:
            diagnostics.add(
                "R410",
                f"manuscript '{entry.slug}' is not in the document as a part (data-part=\"manuscript\" id=\"{entry.slug}\")",
                Location("layouts/partials/manuscript.html.j2"),
            )
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href.startswith("#") and href[1:] not in ids:
            text = " ".join("".join(link.itertext()).split())
            diagnostics.add("R409", f"the link '{text}' points at '{href}', which is not in volume '{volume.key}'", where)
    page_refs = frozenset(a.get("href")[1:] for a in root.xpath("//a[@data-page-ref]") if (a.get("href") or "").startswith("#"))
    # the index's occurrences: the paged renditions print the page of every one of them
    page_refs |= frozenset(i for value in root.xpath("//@data-index-occurrences") for i in value.split())
    diagnostics.raise_if_errors()

    vocabulary = words(publication.language)
    by_slug = {e.slug: e for e in volume.entries}
    toc = []
    for section in sections:
        if not section.document:
            continue
        entry = by_slug.get(section.manuscript or "")
        if entry is None:
            toc.append(TocEntry(section.id, None, section.title))
            continue
        children = tuple((h.id, h.text) for h in entry.body.headings if h.level == 2)
        toc.append(TocEntry(section.id, _label(entry, vocabulary), section.title, children))
    notes = tuple(Note(ident, calls) for entry in volume.entries for ident, calls in entry.body.notes)
    images = {image.src for entry in volume.entries for image in entry.manuscript.scan.images}
    assets = tuple(asset for href, asset in sorted(publication.assets.items()) if href in images)
    return Structure(tuple(sections), tuple(toc), page_refs, notes, assets)
