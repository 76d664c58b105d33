"""The series' Markdown syntax, and a scan of a manuscript's source that finds its parts
with their line and column.

Python-Markdown does not keep source positions, so every construct that can be wrong in a
way an editor must fix (blocks, images, links, cross-references, footnotes, headings) is
located here, on the source text, before rendering. The Markdown extensions in
``markup.py`` use the same patterns, so the two cannot disagree about what a block is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCK_NAMES = ("dilemma", "handreiking", "kader", "citaat")
UNTITLED_BLOCKS = ("citaat",)

# ``::: name Optional title`` opens a block; ``:::`` alone closes it.
BLOCK_OPEN = re.compile(r"^[ \t]*:::[ \t]*(?P<name>[^\s:]+)(?:[ \t]+(?P<title>\S.*?))?[ \t]*$")
BLOCK_CLOSE = re.compile(r"^[ \t]*:::[ \t]*$")

FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
# a code span never runs over a blank line (that would be two paragraphs)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)

# inline images and links: ![alt](src "title") and [text](href "title")
INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"
    r"\(\s*<?(?P<target>[^\s)>]*)>?(?:\s+(?P<quote>[\"'])(?P<title>.*?)(?P=quote))?\s*\)",
    re.S,
)
REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[(?P<label>[^\]^][^\]]*)\]:[ \t]*<?(?P<target>\S+?)>?(?:[ \t]|$)", re.M)
AUTOLINK = re.compile(r"<(?P<target>[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*)>")
FOOTNOTE_DEFINITION = re.compile(r"^[ \t]{0,3}\[\^(?P<label>[^\]]+)\]:", re.M)
FOOTNOTE_CALL = re.compile(r"\[\^(?P<label>[^\]]+)\]")
HEADING = re.compile(r"^(?P<hashes>#{1,6})(?!#)[ \t]*(?P<text>\S.*?)[ \t]*#*[ \t]*$", re.M)
SETEXT_H1 = re.compile(r"^(?P<text>[^\n]*\S[^\n]*)\n=+[ \t]*$", re.M)
# attribute lists: {#id .class} and a language (lang=en); any other key=value is refused
ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*(?P<body>[^{}\n]*=[^{}\n]*)\}")
KEY_VALUE = re.compile(r"(?P<key>[^\s=]+)=(?P<quote>[\"']?)(?P<value>[^\s\"']*)(?P=quote)")
# a phrase in another language without other markup: [commons]{lang=en}
LANGUAGE_SPAN = re.compile(r"(?<![!\]\\])\[(?P<text>[^\[\]\n]+)\]\{[ \t]*lang=(?P<quote>[\"']?)(?P<lang>[^\s\"'{}]+)(?P=quote)[ \t]*\}")

# raw HTML typed in prose: a tag (<b>, </p>, <br/>, <div class="x">) or a comment; not an
# autolink (<https://…>) and not an angle-bracket link target (](<images/x y.png>))
RAW_HTML = re.compile(r"(?<!\]\()<(?:/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?|!--.*?--)>", re.S)
QUOTE_MARKERS = re.compile(r"^[ \t]{0,3}((?:>[ \t]?)+)")
LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])[ \t]")
CLASS_IN_LIST = re.compile(r"(?<![\w-])\.(?P<name>[A-Za-z_][\w-]*)")
ATTRIBUTES = re.compile(r"\{:?[ \t]*(?P<body>[^{}\n]*)\}")
# Bounded work: limits no manuscript of the series comes near (they stop runaway input
# before the Markdown parser, whose nesting is recursive, spends minutes on it).
MAX_NESTING = 12
MAX_LINE = 20_000

ALLOWED_SCHEMES = ("http", "https", "mailto", "xref")
XREF = "xref"


@dataclass(frozen=True)
class Span:
    line: int  # 1-based, in the manuscript file
    column: int  # 1-based


@dataclass(frozen=True)
class BlockUse:
    name: str
    title: str | None
    at: Span


@dataclass(frozen=True)
class ImageUse:
    alt: str
    src: str
    title: str | None
    at: Span


@dataclass(frozen=True)
class LinkUse:
    text: str
    target: str
    at: Span

    @property
    def scheme(self) -> str | None:
        match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", self.target)
        return match.group(1).lower() if match else None


@dataclass
class SyntaxProblem:
    code: str
    message: str
    at: Span


@dataclass(frozen=True)
class HeadingUse:
    level: int
    text: str
    explicit_id: str | None
    at: Span


@dataclass
class Scan:
    blocks: list[BlockUse] = field(default_factory=list)
    headings: list[HeadingUse] = field(default_factory=list)
    classes: list[tuple[str, Span]] = field(default_factory=list)  # set in attribute lists
    images: list[ImageUse] = field(default_factory=list)
    links: list[LinkUse] = field(default_factory=list)
    footnote_calls: dict[str, Span] = field(default_factory=dict)
    footnote_definitions: dict[str, Span] = field(default_factory=dict)
    problems: list[SyntaxProblem] = field(default_factory=list)

    @property
    def xrefs(self) -> list[LinkUse]:
        return [link for link in self.links if link.scheme == XREF]

    @property
    def bounded(self) -> bool:
        """False when the body is too large or deep to be rendered at all."""
        return not any(p.code in ("B381", "B382") for p in self.problems)


def mask_code(text: str) -> str:
    """Blank out fenced code blocks and code spans, keeping every offset and newline."""
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group("fence")[0] * 3
            lines[index] = " " * len(line)
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines[index] = " " * len(line)
    masked = "\n".join(lines)
    return CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), masked)


def note_of_lines(text: str) -> list[str | None]:
    """Per line of a body: the label of the footnote definition it belongs to, or None.
    A definition runs on over indented lines, also after a blank line."""
    found: list[str | None] = []
    current = None
    blank_before = False
    for line in text.split("\n"):
        match = FOOTNOTE_DEFINITION.match(line)
        if match:
            current = match.group("label")
        elif not line.strip():
            blank_before = True
            found.append(current)
            continue
        elif blank_before and not line.startswith(("    ", "\t")):
            current = None
        blank_before = False
        found.append(current)
    return found


class _Positions:
    """Offset → (line, column) for a text that starts at ``first_line`` of its file."""

    def __init__(self, text: str, first_line: int):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first_line = first_line

    def __call__(self, offset: int) -> Span:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return Span(self.first_line + lo, offset - self.starts[lo] + 1)


TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
EXPLICIT_ID = re.compile(r"\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")


def language_tag_is_valid(tag: str) -> bool:
    """A well-formed BCP 47 tag whose subtags are in the IANA registry (langcodes)."""
    import langcodes

    return bool(tag) and langcodes.tag_is_valid(tag)


def scan(body: str, first_line: int, caption_keyword: str = "Tabel") -> Scan:
    """Find the series' constructs in a manuscript body that starts at ``first_line``."""
    result = Scan()
    for number, line in enumerate(body.split("\n"), start=first_line):
        if len(line) > MAX_LINE:
            result.problems.append(
                SyntaxProblem("B382", f"a line of {len(line):,} characters (at most {MAX_LINE:,}): break it up", Span(number, 1))
            )
    if result.problems:
        return result
    text = mask_code(body)
    at = _Positions(text, first_line)
    for number, line in enumerate(text.split("\n"), start=first_line):
        quotes = QUOTE_MARKERS.match(line)
        depth = quotes.group(1).count(">") if quotes else 0
        item = LIST_ITEM.match(line[quotes.end() if quotes else 0 :])
        if item:
            depth += len(item.group("indent").expandtabs(4)) // 2 + 1
        if depth > MAX_NESTING:
            result.problems.append(
                SyntaxProblem("B381", f"quotes or lists nested {depth} levels deep (at most {MAX_NESTING})", Span(number, 1))
            )
            return result
    for match in RAW_HTML.finditer(text):
        result.problems.append(
            SyntaxProblem(
                "B380",
                f"HTML is not allowed in a manuscript ('{match.group(0)[:40]}'); use Markdown or one of the blocks",
                at(match.start()),
            )
        )

    open_block: BlockUse | None = None
    offset = 0
    previous = ""
    for line in text.split("\n"):
        opened = BLOCK_OPEN.match(line)
        if opened and previous.strip() and not BLOCK_CLOSE.match(previous):
            result.problems.append(
                SyntaxProblem("B305", f"block '{opened.group('name')}' needs a blank line above it", at(offset))
            )
        previous = line
        if BLOCK_CLOSE.match(line):
            if open_block is None:
                result.problems.append(SyntaxProblem("B304", "':::' closes no open block", at(offset)))
            open_block = None
        elif opened:
            block = BlockUse(opened.group("name"), opened.group("title"), at(offset))
            if open_block is not None:
                result.problems.append(
                    SyntaxProblem(
                        "B302",
                        f"block '{block.name}' opens inside '{open_block.name}' "
                        f"(opened at line {open_block.at.line}); close that one first with ':::'",
                        block.at,
                    )
                )
            if block.name not in BLOCK_NAMES:
                result.problems.append(
                    SyntaxProblem(
                        "B300",
                        f"unknown block '{block.name}' (known blocks: {', '.join(BLOCK_NAMES)})",
                        Span(block.at.line, block.at.column + line.index(block.name)),
                    )
                )
            elif block.name in UNTITLED_BLOCKS and block.title:
                result.problems.append(
                    SyntaxProblem("B303", f"block '{block.name}' takes no title, found '{block.title}'", block.at)
                )
            result.blocks.append(block)
            open_block = block
        offset += len(line) + 1
    if open_block is not None:
        result.problems.append(
            SyntaxProblem("B301", f"block '{open_block.name}' is never closed with a ':::' line", open_block.at)
        )

    lines = text.split("\n")
    seen_ids: dict[str, int] = {}
    for index, line in enumerate(lines):
        if line.startswith(f"{caption_keyword}:"):
            above = next((candidate for candidate in reversed(lines[:index]) if candidate.strip()), "")
            if not TABLE_ROW.match(above):
                result.problems.append(
                    SyntaxProblem("B360", f"'{caption_keyword}:' caption line without a table right above it", Span(first_line + index, 1))
                )
            elif index and lines[index - 1].strip():
                result.problems.append(
                    SyntaxProblem("B360", f"leave a blank line between the table and its '{caption_keyword}:' line", Span(first_line + index, 1))
                )
    for match in SETEXT_H1.finditer(text):
        if not TABLE_ROW.match(match.group("text")):
            result.problems.append(
                SyntaxProblem("B330", "level-1 heading (text underlined with '='): start headings at '##'", at(match.start()))
            )
    for match in ATTRIBUTE_LIST.finditer(text):
        body = match.group("body")
        pairs = list(KEY_VALUE.finditer(body))
        others = [p for p in pairs if p.group("key") != "lang"]
        if others or not pairs:
            result.problems.append(
                SyntaxProblem(
                    "B370",
                    f"attribute list '{{{body.strip()}}}' sets attributes: only an id (#id), classes (.name) and a language (lang=en) may be given",
                    at(match.start()),
                )
            )
            continue
        for pair in pairs:
            value = pair.group("value")
            if not language_tag_is_valid(value):
                result.problems.append(
                    SyntaxProblem(
                        "B390",
                        f"'{value}' is not a valid language tag (BCP 47, e.g. en, pt, pt-BR, la)",
                        at(match.start("body") + pair.start("value")),
                    )
                )
    for match in ATTRIBUTES.finditer(text):
        for name in CLASS_IN_LIST.finditer(match.group("body")):
            result.classes.append((name.group("name"), at(match.start("body") + name.start())))
    for match in HEADING.finditer(text):
        explicit = EXPLICIT_ID.search(match.group("text"))
        result.headings.append(
            HeadingUse(
                len(match.group("hashes")),
                EXPLICIT_ID.sub("", match.group("text")).strip(),
                explicit.group("id") if explicit else None,
                at(match.start()),
            )
        )
        if explicit:
            ident = explicit.group("id")
            span = at(match.start())
            if ident in seen_ids:
                result.problems.append(
                    SyntaxProblem("B352", f"heading id '{ident}' is already used at line {seen_ids[ident]}", span)
                )
            seen_ids.setdefault(ident, span.line)
        if len(match.group("hashes")) == 1:
            result.problems.append(
                SyntaxProblem(
                    "B330",
                    "level-1 heading in the body: the title comes from the front matter; start at '##'",
                    at(match.start()),
                )
            )

    for match in INLINE.finditer(text):
        position = at(match.start())
        if match.group("text").startswith("^"):
            continue
        if match.group("bang"):
            result.images.append(
                ImageUse(match.group("text").strip(), match.group("target"), match.group("title"), position)
            )
        else:
            result.links.append(LinkUse(match.group("text"), match.group("target"), position))
    for match in REFERENCE_DEFINITION.finditer(text):
        result.links.append(LinkUse(match.group("label"), match.group("target"), at(match.start("target"))))
    for match in AUTOLINK.finditer(text):
        result.links.append(LinkUse(match.group("target"), match.group("target"), at(match.start())))

    definitions = set()
    for match in FOOTNOTE_DEFINITION.finditer(text):
        label = match.group("label")
        definitions.add(match.end() - 1)  # the ':' after the label
        if label in result.footnote_definitions:
            first = result.footnote_definitions[label]
            result.problems.append(
                SyntaxProblem("B354", f"footnote '[^{label}]' is defined twice (first at line {first.line})", at(match.start()))
            )
        result.footnote_definitions.setdefault(label, at(match.start()))
    for match in FOOTNOTE_CALL.finditer(text):
        if match.end() in definitions:
            continue  # the label of a definition, not a call
        result.footnote_calls.setdefault(match.group("label"), at(match.start()))
    for image in result.images:
        if image.title and FOOTNOTE_CALL.search(image.title):
            result.problems.append(SyntaxProblem("B353", "a caption cannot carry a footnote: put the call in the text", image.at))
    for block in result.blocks:
        if block.title and FOOTNOTE_CALL.search(block.title):
            result.problems.append(SyntaxProblem("B353", "a block title cannot carry a footnote: put the call in the block's text", block.at))
    return result
