"""Diagnostics: the one catalogue of error codes, and how they are reported.

Every problem the publisher reports has a stable code from ``CATALOGUE``. Codes are never
reused for another meaning; a retired code stays in the catalogue marked as retired.
``docs/errors.md`` is generated from this table (``publisher codes --markdown``) and a
test keeps the two in step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    summary: str
    retired: bool = False  # no longer issued; kept so that the code is never reused


def _catalogue(*codes: Code) -> dict[str, Code]:
    table: dict[str, Code] = {}
    for entry in codes:
        if entry.code in table:
            raise ValueError(f"duplicate diagnostic code {entry.code}")
        table[entry.code] = entry
    return table


E, W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, Code] = _catalogue(
    # P: the project and content/publication.yaml
    Code("P100", E, "no publication found: content/publication.yaml is missing"),
    Code("P101", E, "YAML syntax error in publication.yaml"),
    Code("P102", E, "unknown key in publication.yaml"),
    Code("P103", E, "value of the wrong type or form in publication.yaml"),
    Code("P104", E, "required key missing in publication.yaml"),
    Code("P105", E, "ISBN with a wrong checksum or length"),
    Code("P106", E, "a listed manuscript file does not exist"),
    Code("P107", E, "a manuscript file exists but is not listed"),
    Code("P108", E, "a manuscript is listed more than once"),
    Code("P109", E, "layout file missing"),
    Code("P110", E, "editions not numbered 1, 2, 3 … or dated out of order"),
    Code("P111", E, "an edition's change names a manuscript that is not listed"),
    Code("P112", E, "a volume names a manuscript that is not listed"),
    Code("P113", E, "two volumes with the same key"),
    Code("P114", E, "a control character in publication.yaml"),
    Code("P115", E, "publication.yaml is not valid UTF-8 text"),
    # M: a manuscript's front matter and file name
    Code("M200", E, "manuscript has no front matter"),
    Code("M201", E, "YAML syntax error in front matter"),
    Code("M202", E, "unknown key in front matter"),
    Code("M203", E, "value of the wrong type or form in front matter"),
    Code("M204", E, "required key missing in front matter"),
    Code("M205", E, "two manuscripts have the same slug"),
    Code("M206", E, "case number does not match the file name, or number outside content/cases"),
    Code("M207", E, "case file name is not of the form NN-slug.md"),
    Code("M208", E, "front matter is not closed by a '---' line"),
    Code("M209", E, "manuscript is not valid UTF-8 text"),
    Code("M210", W, "front matter still holds a placeholder of 'publisher new'"),
    Code("M211", E, "a release may not contain a concept text"),
    Code("M212", W, "the body still holds a placeholder of 'publisher new'"),
    Code("M213", E, "'publisher new' cannot make this manuscript (title or number)"),
    Code("M214", E, "a control character in a manuscript"),
    Code("M215", E, "a manuscript's slug is the name of a generated part"),
    # B: a manuscript's body
    Code("B300", E, "unknown block name"),
    Code("B301", E, "block opened but never closed"),
    Code("B302", E, "blocks do not nest"),
    Code("B303", E, "this block takes no title"),
    Code("B304", E, "closing ':::' without an open block"),
    Code("B305", E, "block without a blank line above it"),
    Code("B310", E, "cross-reference to a manuscript that does not exist"),
    Code("B311", E, "cross-reference to a heading, figure or table that does not exist"),
    Code("B320", E, "image without alt text"),
    Code("B321", E, "image file not found"),
    Code("B322", E, "image outside content/images"),
    Code("B323", E, "image file is not a readable PNG, JPEG or SVG"),
    Code("B324", W, "raster image below 300 dpi at its printed size"),
    Code("B325", E, "SVG figure that is not self-contained (entities, scripts, external references)"),
    Code("B330", E, "level-1 heading in a manuscript body"),
    Code("B340", E, "link with a scheme that is not allowed"),
    Code("B350", E, "footnote call without a definition"),
    Code("B351", W, "footnote defined but never called"),
    Code("B352", E, "two headings with the same id in one manuscript"),
    Code("B353", E, "footnote call in a caption or block title"),
    Code("B354", E, "footnote defined twice"),
    Code("B355", E, "a heading takes an id the publisher uses itself"),
    Code("B360", E, "table caption without a table right above it"),
    Code("B370", E, "attribute list that sets attributes other than an id and classes"),
    Code("B371", E, "a class that manuscripts may not set"),
    Code("B380", E, "HTML typed in a manuscript"),
    Code("B381", E, "quotes or lists nested too deeply"),
    Code("B382", E, "a line too long to be a line of text"),
    Code("B390", E, "a language tag (lang=…) that is not a valid BCP 47 tag"),
    Code("B391", W, "double quotes around words that are not an attributed quotation (the house style: single quotes)"),
    # C: sources and citations (content/sources.yaml, [@key] in notes)
    Code("C500", E, "content/sources.yaml cannot be read (YAML syntax, not a mapping)"),
    Code("C501", E, "citation of a source key that is not in content/sources.yaml"),
    Code("C502", E, "source lacks a required field (author or organisation, title, year, url, consulted, language)"),
    Code("C503", E, "source field of the wrong type or form, or an unknown field"),
    Code("C504", E, "citation outside a footnote"),
    Code("C505", E, "malformed citation (write [@key] or [@key, locator])"),
    Code("C506", W, "footnote that cites no source of content/sources.yaml"),
    Code("C507", E, "the citation style in layouts/csl/ is missing or unreadable"),
    Code("C508", W, "source in content/sources.yaml that no manuscript cites"),
    # L: language and house style (content/terms.yaml)
    Code("L600", W, "a form the house style avoids (content/terms.yaml names the preferred form)"),
    Code("L601", E, "content/terms.yaml cannot be read or has an entry of the wrong form"),
    Code("L602", W, "foreign term not in italics at its first use in a manuscript"),
    # R: rendering and writing outputs
    Code("R400", E, "a resource could not be loaded"),
    Code("R401", E, "the renderer reported a problem"),
    Code("R402", E, "a character is missing from the layout's fonts"),
    Code("R403", E, "template error in layouts/"),
    Code("R404", E, "undefined variable in a template"),
    Code("R405", E, "unknown output format"),
    Code("R406", E, "two outputs would be written to the same path"),
    Code("R407", W, "the EPUB was built without the page numbers of its printed pages"),
    Code("R408", W, "a print page break could only be placed at the start of its paragraph in the EPUB"),
    Code("R409", E, "a link in an assembled volume points at an id that is not in it"),
    Code("R410", E, "the layout breaks a convention the writers rely on (docs/layouts.md)"),
    Code("R411", W, "the screen and print renditions of a volume are paginated differently"),
    Code("R412", E, "unknown volume"),
    Code("R413", E, "git could not read a revision for 'publisher diff'"),
    Code("R414", E, "a layout or image file that is a symlink or lies outside its folder"),
    Code("R415", E, "RGB colour in the print-shop PDF"),
    Code("R416", E, "an output folder that is or holds the project, or lies in its sources"),
    Code("R417", E, "an output folder the publisher did not make is not deleted"),
    Code("R418", W, "the screen PDF fails a PDF/UA-1 check (Matterhorn Protocol): an error in --release"),
    Code("R419", E, "the footnotes of the screen PDF cannot be tagged as notes"),
    Code("R420", E, "a release claims accessibility conformance without its evaluator or report"),
    Code("R430", E, "the cover sheet does not fit on one sheet"),
    Code("R431", W, "a pull quote on the same spread as the words it repeats"),
    # D: distribution (publisher dist, publisher publish)
    Code("D800", E, "a distribution needs web.base_url in publication.yaml"),
    Code("D801", E, "a distribution needs an accessibility contact in publication.yaml"),
    Code("D802", E, "a checker the distribution runs is not installed (Java, Node.js, Chromium, EPUBCheck, Ace, axe-core)"),
    Code("D803", E, "a distribution needs a reader volume for its web edition"),
    Code("D804", E, "a distribution folder the publisher did not make is not replaced"),
    Code("D805", E, "no distribution in build/dist/ to publish"),
    Code("D806", E, "a distribution cannot be published into the project"),
)


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file: path relative to the project, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{max(self.column, 1)}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    location: Location | None = None
    strict: bool = False  # a warning that --strict or --release makes an error

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"diagnostic code {self.code} is not in the catalogue")

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.strict else CATALOGUE[self.code].severity

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity.value}[{self.code}]: {self.message}"


@dataclass
class Diagnostics:
    """Collects diagnostics of a stage, so that all are reported before stopping."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, message: str, location: Location | None = None) -> None:
        self.items.append(Diagnostic(code, message, location))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    def strict(self) -> Diagnostics:
        """The same diagnostics with every warning made an error (--strict, --release)."""
        return Diagnostics([Diagnostic(d.code, d.message, d.location, True) for d in self.items])

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(
            self.items,
            key=lambda d: (d.location or Location(""), d.code, d.message),
        )

    def raise_if_errors(self) -> None:
        if self.errors:
            raise PublisherError(self)


class PublisherError(Exception):
    """Raised by a stage that found errors; carries every diagnostic collected so far."""

    exit_code = 1

    def __init__(self, diagnostics: Diagnostics):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics.sorted()))

    def __reduce__(self):
        # a volume built in another process hands its errors back whole
        return (type(self), (self.diagnostics,))


def relative(path: Path, root: Path) -> str:
    """A path as shown to the user: relative to the project, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table, for docs/errors.md."""
    rows = [
        "# Diagnostic codes",
        "",
        "Every message of `publisher` has the form `path:line:col: severity[CODE]: message`.",
        "Codes are stable: a code keeps its meaning for good, and a retired code stays listed so",
        "that it is never given another meaning. Each code has a golden test in `tests/golden/`.",
        "This file is generated by",
        "`publisher codes --markdown` from `publisher/errors.py`.",
        "",
        "| code | severity | meaning |",
        "| --- | --- | --- |",
    ]
    for entry in CATALOGUE.values():
        summary = f"retired: {entry.summary}" if entry.retired else entry.summary
        rows.append(f"| {entry.code} | {entry.severity.value} | {summary} |")
    return "\n".join(rows) + "\n"
