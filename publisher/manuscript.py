"""Stage 2: one manuscript file → a Manuscript (validated front matter + scanned body)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import schema, syntax, yamlsource
from .errors import Diagnostics, Location
from .text import control_characters

_CODES = {"unknown": "M202", "type": "M203", "missing": "M204"}
CASE_FILE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
OTHER_FILE = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
CASES_DIR = "cases"
PLACEHOLDER = "TODO"  # what 'publisher new' leaves for the editor to fill in


@dataclass(frozen=True)
class FrontMatter:
    title: str
    subtitle: str | None
    number: int | None
    label: str | None  # "Inleiding", "Essay"; a case is labelled "Case N" unless it says otherwise
    authors: tuple[str, ...]
    summary: str
    keywords: tuple[str, ...]
    status: str
    date: dt.date
    notice: str | None


@dataclass
class Manuscript:
    """A manuscript as read from disk: nothing rendered yet."""

    path: str  # relative to the project, e.g. content/cases/01-….md
    slug: str
    kind: str  # 'case' or 'text'
    meta: FrontMatter
    body: str
    body_line: int  # the line of the file where the body starts
    scan: syntax.Scan
    status_at: Location | None = None  # where the front matter gives the status

    def location(self, span: syntax.Span) -> Location:
        return Location(self.path, span.line, span.column)


def slug_for(relative_to_content: str) -> tuple[str | None, str]:
    """(kind, slug) from a path relative to content/, or (None, '') when malformed."""
    parts = relative_to_content.split("/")
    name = parts[-1]
    if len(parts) == 2 and parts[0] == CASES_DIR:
        match = CASE_FILE.match(name)
        return ("case", match.group("slug")) if match else (None, "")
    match = OTHER_FILE.match(name)
    return ("text", match.group("slug")) if match and len(parts) == 1 else (None, "")


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """(yaml, yaml first line, body, body first line); None when there is no front matter.

    Raises ValueError with a line number when the front matter is not closed.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return yaml_text, 2, body, index + 2
    raise ValueError(len(lines))


def read_manuscript(
    path: Path, rel: str, content_rel: str, diagnostics: Diagnostics, caption_keyword: str = "Tabel"
) -> Manuscript | None:
    """Read and validate one manuscript. ``rel`` is the path shown to the user."""
    kind, slug = slug_for(content_rel)
    if kind is None:
        diagnostics.add(
            "M207",
            "manuscript file names are lower-case words joined by hyphens, cases as "
            "content/cases/NN-slug.md (for example 01-volg-jij-nog-waar-je-gevolgd-wordt.md)",
            Location(rel, 1, 1),
        )
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        diagnostics.add("M209", f"not UTF-8 text (byte {exc.start})", Location(rel, line, 1))
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    controls = control_characters(text)
    for line, column, char in controls:
        diagnostics.add("M214", f"control character U+{ord(char):04X} in the text: delete it (it is invisible in most editors)", Location(rel, line, column))
    if controls:
        return None
    try:
        parts = split_front_matter(text)
    except ValueError:
        diagnostics.add("M208", "front matter opened with '---' is never closed", Location(rel, 1, 1))
        return None
    if parts is None:
        diagnostics.add("M200", "a manuscript starts with front matter between two '---' lines", Location(rel, 1, 1))
        return None
    yaml_text, yaml_line, body, body_line = parts
    try:
        document = yamlsource.load(yaml_text, first_line=yaml_line)
    except yamlsource.YamlSyntaxError as exc:
        diagnostics.add("M201", exc.message, Location(rel, exc.line, exc.column))
        return None
    if not isinstance(document.data, dict):
        diagnostics.add("M203", "front matter must be a mapping of keys to values", Location(rel, yaml_line, 1))
        return None
    valid = schema.validate(document, "manuscript", diagnostics, rel, _CODES, line_offset=yaml_line - 1)
    data = document.data
    number = data.get("number")
    if isinstance(number, float):  # JSON Schema counts 8.0 as an integer; a case number is not
        line, col = document.position(("number",))
        diagnostics.add("M203", f"'number': {number!r} is not a whole number", Location(rel, line + yaml_line - 1, col))
        valid = False
    if kind == "case":
        expected = int(CASE_FILE.match(content_rel.split("/")[-1]).group("number"))
        if "number" not in data:
            diagnostics.add("M204", f"required key 'number' is missing (a case; expected {expected})", Location(rel, yaml_line, 1))
            valid = False
        elif isinstance(number, int) and number != expected:
            line, col = document.position(("number",))
            diagnostics.add(
                "M206", f"number {number} does not match the file name's {expected:02d}", Location(rel, line + yaml_line - 1, col)
            )
            valid = False
    elif "number" in data:
        line, col = document.position(("number",), key=True)
        diagnostics.add("M206", "only cases (content/cases/) have a number", Location(rel, line + yaml_line - 1, col))
        valid = False
    if not valid:
        return None
    for key in ("summary", "keywords"):
        value = data[key] if isinstance(data[key], str) else " ".join(data[key])
        if PLACEHOLDER in value:
            line, col = document.position((key,))
            diagnostics.add("M210", f"'{key}' still holds the placeholder of 'publisher new'", Location(rel, line + yaml_line - 1, col))
    for row, line in enumerate(body.split("\n"), start=body_line):
        column = line.find(PLACEHOLDER)
        if column >= 0:
            diagnostics.add("M212", f"'{line.strip()[:60]}' is a placeholder of 'publisher new'", Location(rel, row, column + 1))
    status_line, status_col = document.position(("status",))
    meta = FrontMatter(
        title=data["title"],
        subtitle=data.get("subtitle"),
        number=number,
        label=data.get("label"),
        authors=tuple(data["authors"]),
        summary=data["summary"].strip(),
        keywords=tuple(data["keywords"]),
        status=data["status"],
        date=dt.date.fromisoformat(data["date"]),
        notice=data.get("notice"),
    )
    return Manuscript(
        rel, slug, kind, meta, body, body_line, syntax.scan(body, body_line, caption_keyword),
        Location(rel, status_line + yaml_line - 1, status_col),
    )
