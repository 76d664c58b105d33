"""Sources as data: the series' one bibliography (content/sources.yaml), citations by key in
footnotes, and their rendering in the house style (citeproc-py with the CSL style of
layouts/csl/).

A manuscript cites a source inside a footnote definition:

    [^bron]: [@ap-bluetrace-2016].
    [^twee]: Zie [@rb-overijssel-2024, r.o. 5.3] en [@tweakers-enschede-2022].
    [^drie]: [@cbp-bluetrace-2015; @areaal-wifi-tellen].

The text after the comma is a locator, printed as written. Every citation is rendered by
the same style, so one source reads the same in every manuscript. ``bibliography_html``
renders the list of sources for any set of keys (a volume, the whole book).
"""

from __future__ import annotations

import datetime as dt
import html as html_escape
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html

from . import syntax, yamlsource
from .errors import Diagnostics, Location

SOURCES_FILE = "content/sources.yaml"
STYLE_FILE = "csl/smart-society-cases.csl"  # under layouts/
NO_YEAR = "z.j."  # zonder jaar: a source whose year is unknown says so explicitly
OFFLINE = "offline"  # url: offline marks a source that has no web address
KEY = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
CITATION = re.compile(r"\[(?P<body>@[^\[\]\n]*)\]")
CITE_ITEM = re.compile(r"^\s*@(?P<key>[^\s,;\]]+)\s*(?:,\s*(?P<locator>[^;]*?))?\s*$")
TYPES = {
    "webpagina": "webpage",
    "nieuwsartikel": "article-newspaper",
    "tijdschriftartikel": "article-magazine",
    "rapport": "report",
    "wetgeving": "legislation",
    "uitspraak": "legal_case",
    "boek": "book",
    "persbericht": "webpage",
    "project": "webpage",
}
FIELDS = {
    "author", "organisation", "title", "container", "type", "year", "date", "number", "url",
    "consulted", "language", "title_language",
}
LANGUAGE = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")


@dataclass
class Source:
    key: str
    data: dict
    line: int
    complete: bool = True
    publication_language: str = "nl"  # set by load from publication.yaml


@dataclass
class Bibliography:
    sources: dict[str, Source] = field(default_factory=dict)
    style_path: Path | None = None
    _style: object = None
    in_use: bool = False  # the project has a content/sources.yaml

    def csl_json(self, key: str) -> dict:
        return to_csl(self.sources[key])

    def style(self):
        from citeproc import CitationStylesStyle

        if self._style is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._style = CitationStylesStyle(str(self.style_path), validate=False)
        return self._style

    def usable_style(self) -> str | None:
        """None when the style can be used, else why not."""
        if self.style_path is None or not self.style_path.is_file():
            return "is missing"
        try:
            self.style()
        except Exception as exc:  # citeproc-py raises lxml and its own errors
            return f"cannot be read: {exc}"
        return None

    def _renderer(self, keys):
        from citeproc import CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        data = [self.csl_json(k) for k in sorted(set(keys))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return CitationStylesBibliography(self.style(), CiteProcJSON(data), formatter.html)

    def cite_html(self, items: list[tuple[str, str | None]]) -> str:
        """One citation (one or more sources with optional locators) as HTML in the house style."""
        from citeproc import Citation, CitationItem, Locator

        renderer = self._renderer(k for k, _ in items)
        citation = Citation(
            [CitationItem(k, **({"locator": Locator("page", html_escape.escape(loc))} if loc else {})) for k, loc in items]
        )
        renderer.register(citation)
        return str(renderer.cite(citation, lambda item: None))

    def entries_html(self, keys) -> list[str]:
        """Bibliography entries for ``keys``, sorted by the style, as HTML strings."""
        from citeproc import Citation, CitationItem

        keys = sorted((k for k in set(keys) if k in self.sources), key=self.sort_key)
        if not keys:
            return []
        renderer = self._renderer(keys)
        for key in keys:  # citeproc-py lists them in the order they are registered
            renderer.register(Citation([CitationItem(key)]))
        return [str(item) for item in renderer.bibliography()]

    def sort_key(self, key: str) -> tuple:
        """Order of the list of sources: author or organisation, title, year (accents
        and case ignored, as in the index)."""
        import unicodedata

        def plain(text) -> tuple:
            text = unicodedata.normalize("NFKD", str(text).casefold())
            text = "".join(c for c in text if not unicodedata.combining(c))
            # numbers in their order (resolution 4 before 14), not as text
            return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))

        data = self.sources[key].data
        names = data.get("author", data.get("organisation")) or ""
        names = names if isinstance(names, str) else ", ".join(names)
        # Dutch files a name under its main word: 'de Volkskrant' under V, 'het Parool' under P
        names = _PARTICLES.sub("", names.strip())
        year = data.get("year")
        return (plain(names), plain(data.get("title", "")), year if isinstance(year, int) else 0, key)


_PARTICLES = re.compile(r"^(?:de|het|een|'t|van|van de|van der|van den)\s+(?=\S)", re.I)


def to_csl(source: Source) -> dict:
    """A source of sources.yaml as CSL-JSON (strings HTML-escaped for the HTML formatter)."""
    data = source.data
    names = data.get("author", data.get("organisation"))
    names = [names] if isinstance(names, str) else list(names or [])
    item = {
        "id": source.key,
        "type": TYPES.get(data.get("type", "webpagina"), "webpage"),
        "author": [{"literal": html_escape.escape(n)} for n in names],
        "title": html_escape.escape(str(data.get("title", ""))),
        "language": data.get("language", "nl"),
    }
    # the title is in the source's language unless title_language says otherwise (a
    # translated title); the publication's language is set on the publication itself
    title_language = data.get("title_language", data.get("language"))
    if title_language and title_language != source.publication_language:
        item["title"] = f'<span lang="{title_language}">{item["title"]}</span>'  # a checked tag: no escaping needed
    if data.get("container"):
        item["container-title"] = html_escape.escape(str(data["container"]))
    if data.get("number"):
        item["number"] = html_escape.escape(str(data["number"]))
    issued = _date(data.get("date"))
    if issued:
        item["issued"] = {"date-parts": [[issued.year, issued.month, issued.day]]}
    elif isinstance(data.get("year"), int):
        item["issued"] = {"date-parts": [[data["year"]]]}
    if data.get("url") and data["url"] != OFFLINE:
        item["URL"] = html_escape.escape(data["url"])
    consulted = _date(data.get("consulted"))
    if consulted:
        item["accessed"] = {"date-parts": [[consulted.year, consulted.month, consulted.day]]}
    return item


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def load(project_root: Path, layouts: Path, diagnostics: Diagnostics, language: str = "nl") -> Bibliography:
    """Read content/sources.yaml (if there is one) and check every source."""
    bibliography = Bibliography(style_path=layouts / STYLE_FILE)
    path = project_root / SOURCES_FILE
    if not path.is_file():
        return bibliography
    bibliography.in_use = True
    try:
        document = yamlsource.load(path.read_text("utf-8"))
    except yamlsource.YamlSyntaxError as exc:
        diagnostics.add("C500", exc.message, Location(SOURCES_FILE, exc.line, exc.column))
        return bibliography
    except UnicodeDecodeError:
        diagnostics.add("C500", "not UTF-8 text", Location(SOURCES_FILE, 1, 1))
        return bibliography
    data = document.data
    if data is None:
        return bibliography
    if not isinstance(data, dict):
        diagnostics.add("C500", "sources.yaml is a mapping of keys to sources", Location(SOURCES_FILE, 1, 1))
        return bibliography
    for key, entry in data.items():
        line, column = document.position((key,), key=True)
        where = Location(SOURCES_FILE, line, column)
        source = Source(str(key), entry if isinstance(entry, dict) else {}, line, publication_language=language)
        bibliography.sources[str(key)] = source
        if not KEY.match(str(key)):
            diagnostics.add("C503", f"source key '{key}' must be lower-case letters, digits, '-' or '.'", where)
            source.complete = False
        if not isinstance(entry, dict):
            diagnostics.add("C503", f"source '{key}' must be a mapping of fields", where)
            source.complete = False
            continue
        source.complete &= _check_source(source, document, diagnostics)
    return bibliography


def _check_source(source: Source, document, diagnostics: Diagnostics) -> bool:
    data = source.data
    key = source.key
    ok = True

    def at(name=None):
        line, column = document.position((key, name) if name else (key,), key=name is None)
        return Location(SOURCES_FILE, line, column)

    def problem(code, message, name=None):
        nonlocal ok
        ok = False
        diagnostics.add(code, f"source '{key}': {message}", at(name))

    for name in data:
        if name not in FIELDS:
            problem("C503", f"unknown field '{name}' (fields: {', '.join(sorted(FIELDS))})", name)
    names = data.get("author", data.get("organisation"))
    if "author" in data and "organisation" in data:
        problem("C503", "give either 'author' or 'organisation', not both", "organisation")
    if names is None:
        problem("C502", "no 'author' or 'organisation'")
    elif not (isinstance(names, str) and names.strip()) and not (
        isinstance(names, list) and names and all(isinstance(n, str) and n.strip() for n in names)
    ):
        problem("C503", "'author'/'organisation' is a name or a list of names", "author" if "author" in data else "organisation")
    for name in ("title", "language"):
        if name not in data or data[name] in (None, ""):
            problem("C502", f"required field '{name}' is missing")
    for name in ("language", "title_language"):
        if name in data and data[name] and not (isinstance(data[name], str) and LANGUAGE.match(data[name])):
            problem("C503", f"'{name}' is a language code such as nl, en or pt-BR, not {data[name]!r}", name)
    if "year" not in data:
        problem("C502", f"required field 'year' is missing (write year: {NO_YEAR} when it is unknown)")
    elif not (isinstance(data["year"], int) and 1500 < data["year"] < 2200) and data["year"] != NO_YEAR:
        problem("C503", f"'year' is a year such as 2019, or '{NO_YEAR}', not {data['year']!r}", "year")
    if "date" in data:
        date = _date(data["date"])
        if date is None:
            problem("C503", f"'date' is a date YYYY-MM-DD, not {data['date']!r}", "date")
        elif isinstance(data.get("year"), int) and date.year != data["year"]:
            problem("C503", f"'date' {date.isoformat()} is not in 'year' {data['year']}", "date")
    if "type" in data and data["type"] not in TYPES:
        problem("C503", f"unknown type '{data['type']}' (types: {', '.join(TYPES)})", "type")
    url = data.get("url")
    if url is None:
        problem("C502", f"required field 'url' is missing (write url: {OFFLINE} for a source without a web address)")
    elif url != OFFLINE and not (isinstance(url, str) and re.match(r"^https?://\S+$", url)):
        problem("C503", f"'url' is an http(s) address or '{OFFLINE}', not {url!r}", "url")
    elif url != OFFLINE:
        if "consulted" not in data:
            problem("C502", "required field 'consulted' (the date the address was consulted) is missing")
        elif _date(data["consulted"]) is None:
            problem("C503", f"'consulted' is a date YYYY-MM-DD, not {data['consulted']!r}", "consulted")
    return ok


@dataclass(frozen=True)
class CitationUse:
    items: tuple[tuple[str, str | None], ...]
    raw: str
    at: syntax.Span
    in_note: bool


def scan_citations(body: str, first_line: int) -> tuple[list[CitationUse], list[tuple[str, syntax.Span]], list[tuple[str, syntax.Span]]]:
    """Citations of a manuscript body with their places; malformed citations; and the
    footnote definitions that cite nothing (label, place)."""
    masked = syntax.mask_code(body)
    position = syntax._Positions(body, first_line)
    note_of_line = syntax.note_of_lines(masked)  # which lines belong to a footnote definition
    uses: list[CitationUse] = []
    malformed: list[tuple[str, syntax.Span]] = []
    cited_notes: set[str] = set()
    for match in CITATION.finditer(masked):
        at = position(match.start())
        note = note_of_line[at.line - first_line]
        items = []
        for part in match.group("body").split(";"):
            item = CITE_ITEM.match(part)
            if not item or not KEY.match(item.group("key")):
                malformed.append((match.group(0), at))
                items = []
                break
            items.append((item.group("key"), (item.group("locator") or "").strip() or None))
        if items:
            uses.append(CitationUse(tuple(items), match.group(0), at, note is not None))
            if note is not None:
                cited_notes.add(note)
    uncited = []
    for match in syntax.FOOTNOTE_DEFINITION.finditer(masked):
        label = match.group("label")
        if label not in cited_notes:
            uncited.append((label, position(match.start())))
    return uses, malformed, uncited


def check_manuscript(manuscript, bibliography: Bibliography, diagnostics: Diagnostics) -> list[CitationUse]:
    """Report unknown keys, incomplete sources, malformed citations, citations outside
    notes and notes without a citation for one manuscript; return its citations."""
    uses, malformed, uncited = scan_citations(manuscript.body, manuscript.body_line)
    for raw, at in malformed:
        diagnostics.add("C505", f"'{raw}' is not a citation: write [@key] or [@key, locator]", manuscript.location(at))
    for use in uses:
        where = manuscript.location(use.at)
        if not use.in_note:
            diagnostics.add("C504", f"citation '{use.raw}' outside a footnote: cite sources in a note ([^label]: {use.raw})", where)
        for key, _ in use.items:
            if key not in bibliography.sources:
                known = ", ".join(sorted(bibliography.sources)[:0])
                diagnostics.add("C501", f"unknown source '{key}': it is not a key of {SOURCES_FILE}{known}", where)
            elif not bibliography.sources[key].complete:
                diagnostics.add("C502", f"source '{key}' is incomplete or malformed in {SOURCES_FILE} (see there)", where)
    for label, at in uncited if bibliography.in_use else ():
        diagnostics.add("C506", f"note '[^{label}]' cites no source from {SOURCES_FILE}: cite it as [@key]", manuscript.location(at))
    return uses


def render_notes(root: etree._Element, uses: list[CitationUse], bibliography: Bibliography) -> tuple[str, ...]:
    """Replace the citations in a rendered body's notes by house-style references; return
    the keys cited, in order of first citation."""
    cited: list[str] = []
    renderable = {u.raw: u for u in uses if all(k in bibliography.sources and bibliography.sources[k].complete for k, _ in u.items)}
    for use in uses:
        for key, _ in use.items:
            if key not in cited:
                cited.append(key)
    notes = root.find(".//section[@role='doc-endnotes']")
    if notes is None or not renderable or bibliography.usable_style() is not None:
        return tuple(cited)
    for element in list(notes.iter()):
        if not isinstance(element.tag, str):
            continue
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            if value and "[@" in value:
                _replace(element, attribute, value, renderable, bibliography)
    return tuple(cited)


# the typography pass turns straight quotes and hyphens into typographic ones, and ties
# "p. 4" with a no-break space; match both
def _normal(text: str) -> str:
    return text.replace("\u2013", "--").replace("\u2014", "---").replace("\u00a0", " ")


def _replace(element, attribute: str, value: str, renderable: dict, bibliography: Bibliography) -> None:
    """Replace the citations in ``element.text`` or ``element.tail`` by rendered references."""
    flat: list = []  # strings and elements, in reading order
    last = 0
    found = False
    for match in CITATION.finditer(value):
        use = renderable.get(match.group(0)) or renderable.get(_normal(match.group(0)))
        if use is None:
            continue
        found = True
        flat.append(value[last : match.start()])
        fragment = _fragment(bibliography.cite_html(list(use.items)))
        flat.append(fragment.text or "")
        for child in list(fragment):
            tail, child.tail = child.tail or "", None
            flat.extend([child, tail])
        last = match.end()
        if value[last : last + 1] == ".":  # the reference ends with its own full stop
            last += 1
    if not found:
        return
    flat.append(value[last:])
    merged: list = []
    for item in flat:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        else:
            merged.append(item)
    if attribute == "text":
        parent, position, lead = element, 0, merged[0]
        element.text = lead if isinstance(lead, str) else ""
    else:
        parent, position, lead = element.getparent(), element.getparent().index(element) + 1, merged[0]
        element.tail = lead if isinstance(lead, str) else ""
    previous = None
    for item in merged[1:] if isinstance(merged[0], str) else merged:
        if isinstance(item, str):
            previous.tail = (previous.tail or "") + item
        else:
            parent.insert(position, item)
            position += 1
            previous = item


def _fragment(markup: str) -> etree._Element:
    """House-style HTML of a reference as a <span> whose children are the reference's parts,
    with its web address as a link."""
    span = html.fragment_fromstring(markup, create_parent="span")
    for node in [span, *span.iter()]:
        for attribute in ("text", "tail"):
            value = getattr(node, attribute) if node is not span or attribute == "text" else None
            if value and "http" in value:
                _link_urls(node, attribute, value)
    # the text of the span must come first; flatten to (text, children) for the caller
    return span


URL = re.compile(r"https?://[^\s<>]*[^\s<>.,;)]")


def _link_urls(node, attribute: str, value: str) -> None:
    matches = list(URL.finditer(value))
    if not matches:
        return
    parent = node if attribute == "text" else node.getparent()
    setattr(node, attribute, value[: matches[0].start()])
    position = 0 if attribute == "text" else parent.index(node) + 1
    for index, match in enumerate(matches):
        link = etree.Element("a", {"href": match.group(0), "class": "external"})
        link.text = match.group(0)
        end = matches[index + 1].start() if index + 1 < len(matches) else len(value)
        link.tail = value[match.end() : end]
        parent.insert(position, link)
        position += 1


def bibliography_html(bibliography: Bibliography, keys) -> str:
    """The list of sources for ``keys`` as an HTML fragment (<ol class="sources">), sorted
    and in the house style; an empty string when none of the keys is known."""
    entries = bibliography.entries_html(keys)
    if not entries:
        return ""
    listing = etree.Element("ol", {"class": "sources"})
    for entry in entries:
        item = etree.SubElement(listing, "li")
        fragment = _fragment(entry)
        item.text = fragment.text
        for child in list(fragment):
            item.append(child)
    return html.tostring(listing, encoding="unicode")


def check_publication(bibliography: Bibliography, entries, layouts: Path, diagnostics: Diagnostics, complete: bool = True) -> None:
    """Checks over the whole publication: the style file exists when anything is cited,
    and every source of sources.yaml is cited somewhere (said only when every manuscript
    could be read: a refused one's citations are unknown)."""
    cited = {key for entry in entries for key in entry.body.citations}
    problem = bibliography.usable_style() if cited else None
    if problem:
        diagnostics.add("C507", f"the citation style layouts/{STYLE_FILE} {problem}", Location(f"layouts/{STYLE_FILE}"))
    for key, source in bibliography.sources.items() if complete else ():
        if key not in cited:
            diagnostics.add("C508", f"source '{key}' is cited in no manuscript", Location(SOURCES_FILE, source.line, 1))


def cited_keys(publication) -> tuple[str, ...]:
    """All keys cited in a publication (or any object with ``entries``), in reading order."""
    seen: list[str] = []
    for entry in publication.entries:
        for key in entry.body.citations:
            if key not in seen:
                seen.append(key)
    return tuple(seen)
