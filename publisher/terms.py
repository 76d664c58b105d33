"""The house style's terms list (content/terms.yaml), applied by ``publisher check``.

``terms.yaml`` has three lists:

    terms:
      - preferred: wifitracking
        avoid: [wifi-tracking, wifi tracking]
        note: one word, as in the rest of the series   # optional
    foreign:
      - black box
      - commons

Every form to avoid found in a manuscript (front matter included) is a warning (L600) at
its place, naming the preferred form. Quoted titles are excepted: text between double
quotes, and italic text in a footnote (a source's title). Web addresses and code are not
checked. A foreign term must be in italics (``*black box*``) at its first use in the
running text of each manuscript (L602), matched as written (lower case); headings and block titles cannot carry emphasis and
are skipped.

The third list is the index the editors maintain (the register at the back of the
reader):

    index:
      - term: algoritme
        forms: [algoritmes, algoritmen]   # optional: inflections and variants
      - term: SyRI

A form is matched as a whole word (a hyphen may join it to another word: "SyRI-zaak");
a form with a capital letter is matched as written, one in lower case also with a capital
(at the start of a sentence). Assembly marks every occurrence (see ``index_forms``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import syntax, yamlsource
from .errors import Diagnostics, Location

TERMS_FILE = "content/terms.yaml"


@dataclass(frozen=True)
class Term:
    preferred: str
    avoid: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class IndexTerm:
    term: str  # as the index prints it
    forms: tuple[str, ...]  # the term and its variants, as they are matched in the text


@dataclass
class TermsList:
    terms: list[Term] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    index: list[IndexTerm] = field(default_factory=list)


def load(project_root: Path, diagnostics: Diagnostics) -> TermsList:
    result = TermsList()
    path = project_root / TERMS_FILE
    if not path.is_file():
        return result
    try:
        document = yamlsource.load(path.read_text("utf-8"))
    except yamlsource.YamlSyntaxError as exc:
        diagnostics.add("L601", exc.message, Location(TERMS_FILE, exc.line, exc.column))
        return result
    data = document.data or {}

    def bad(message, path_):
        line, column = document.position(path_)
        diagnostics.add("L601", message, Location(TERMS_FILE, line, column))

    if not isinstance(data, dict) or set(data) - {"terms", "foreign", "index"}:
        bad("terms.yaml has the keys 'terms', 'foreign' and 'index' only", ())
        return result
    for index, entry in enumerate(data.get("terms") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("preferred"), str) or set(entry) - {"preferred", "avoid", "note"}:
            bad("a term is a mapping with 'preferred', 'avoid' (a list) and optionally 'note'", ("terms", index))
            continue
        avoid = entry.get("avoid")
        if not isinstance(avoid, list) or not avoid or not all(isinstance(a, str) and a.strip() for a in avoid):
            bad(f"term '{entry['preferred']}': 'avoid' is a list of forms", ("terms", index, "avoid"))
            continue
        result.terms.append(Term(entry["preferred"], tuple(avoid), entry.get("note")))
    for index, term in enumerate(data.get("foreign") or []):
        if not isinstance(term, str) or not term.strip():
            bad("a foreign term is a word or phrase", ("foreign", index))
            continue
        result.foreign.append(term)
    seen: dict[str, str] = {}
    for index, entry in enumerate(data.get("index") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("term"), str) or not entry["term"].strip() or set(entry) - {"term", "forms"}:
            bad("an index entry is a mapping with 'term' and optionally 'forms' (a list)", ("index", index))
            continue
        forms = entry.get("forms", [])
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            bad(f"index term '{entry['term']}': 'forms' is a list of words or phrases", ("index", index, "forms"))
            continue
        term = entry["term"].strip()
        all_forms = tuple(dict.fromkeys([term, *(f.strip() for f in forms)]))
        clash = next((f for f in all_forms if f.casefold() in seen), None)
        if clash is not None:
            bad(f"index term '{term}': the form '{clash}' is already a form of '{seen[clash.casefold()]}'", ("index", index))
            continue
        for form in all_forms:
            seen[form.casefold()] = term
        result.index.append(IndexTerm(term, all_forms))
    return result


def index_pattern(forms: tuple[str, ...]) -> re.Pattern:
    """One pattern for all forms of an index term, longest form first, as whole words: no
    letter or digit on either side (a hyphen may join it to another word). A form in lower
    case also matches with a capital first letter."""
    alternatives = []
    for form in sorted(forms, key=len, reverse=True):
        words = [re.escape(w) for w in form.split()]
        if form[:1].islower():
            words[0] = f"[{re.escape(form[0])}{re.escape(form[0].upper())}]" + re.escape(form.split()[0][1:])
        alternatives.append(r"\s+".join(words))
    return re.compile(r"(?<![\w\u00ad])(?:" + "|".join(alternatives) + r")(?![\w\u00ad])")


def _pattern(form: str, ignore_case: bool = True) -> re.Pattern:
    words = [re.escape(w) for w in form.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE if ignore_case else 0)


_URL = re.compile(r"<[a-z]+:[^>\s]*>|\]\([^)\s]*|https?://\S+|xref:\S+")
_QUOTED = re.compile(r"\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d|\u201e[^\u201d\n]*\u201d")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)[^*\n]+\*(?!\*)|(?<![_\w])_(?!_)[^_\n]+_(?!_)")


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _notes_mask(text: str) -> list[bool]:
    """Per line of a manuscript body: does it belong to a footnote definition?"""
    return [label is not None for label in syntax.note_of_lines(text)]


def check_text(text: str, terms: TermsList, body_line: int = 1) -> list[tuple[str, str, syntax.Span]]:
    """(code, message, place) for one manuscript file's text; ``body_line`` is the line where
    the body starts (after the front matter)."""
    problems = []
    masked = _blank(_blank(syntax.mask_code(text), _URL), _QUOTED)
    lines = masked.split("\n")
    in_note = [False] * (body_line - 1) + _notes_mask("\n".join(lines[body_line - 1 :]))
    # italic text in notes is a source's title: excepted
    checked_lines = [(_blank(line, _ITALIC) if in_note[i] else line) for i, line in enumerate(lines)]
    checked = "\n".join(checked_lines)
    position = syntax._Positions(text, 1)
    for term in terms.terms:
        for form in term.avoid:
            for match in _pattern(form).finditer(checked):
                note = f" ({term.note})" if term.note else ""
                problems.append(("L600", f"'{match.group(0)}': the house style writes '{term.preferred}'{note}", position(match.start())))
    # foreign terms: italic at the first use in running text of the body
    original = text.split("\n")
    for foreign in terms.foreign:
        pattern = _pattern(foreign, ignore_case=False)  # as written: "Creative Commons" is a name
        for index in range(body_line - 1, len(lines)):
            line = lines[index]
            if in_note[index] or re.match(r"^\s*(#|:::)", line) or syntax.TABLE_ROW.match(line):
                continue
            match = pattern.search(line)
            if not match:
                continue
            before = original[index][: match.start()]
            single_stars = len(re.findall(r"(?<!\*)\*(?!\*)", before)) + len(re.findall(r"(?<![\w_])_(?!_)", before))
            if single_stars % 2 == 0:
                problems.append(
                    ("L602", f"'{match.group(0)}' is a foreign term: set it in italics at its first use (*{match.group(0)}*)",
                     syntax.Span(index + 1, match.start() + 1))
                )
            break
    return problems


# The house rule for quotation marks (docs/manuscripts.md): double quotes for quotations,
# the words of a source that the sentence attributes to it; single quotes for everything
# else that is set off: scare quotes, terms, names, titles, examples. A double-quoted span
# in a sentence without an attribution is a warning (B391). Attributed: a footnote call in
# the sentence, or one of these words.
_ATTRIBUTION = re.compile(
    r"\[\^|\b(?:volgens|zegt|zei|zeggen|zeiden|schrijft|schreef|schrijven|stelt|stelde|aldus|citeert|letterlijk|"
    r"regelt|bepaalt|bepaalde|staat er|luidt|luidde|says|said|writes|wrote|according)\b",
    re.IGNORECASE,
)
_DOUBLE = re.compile(r"\"(?:[^\"\n]|\n(?!\s*\n))+\"|\u201c(?:[^\u201d\n]|\n(?!\s*\n))+\u201d")
_TAG = re.compile(r"<[A-Za-z!/][^>\n]*>|\{[^}\n]*\}")
_LINK_TITLE = re.compile(r"\]\([^)\s]*\s+\"[^\"]*\"\)")
# the end of a sentence: its full stop and the note calls after it, before the next capital
_SENTENCE_END = re.compile(r"[.!?][\u201d\"')]*(?:\[\^[^\]\s]+\])*(?=\s+[A-Z\u00c0-\u00de(\"\u201c]|\s*$)|\n\s*\n")


def check_quotes(text: str, body_line: int = 1) -> list[tuple[str, str, syntax.Span]]:
    """(code, message, place) for each double-quoted span that is not a quotation."""
    masked = syntax.mask_code(text)
    # not text: link and image titles, addresses, typed HTML (an error of its own, B380),
    # attribute lists, and the front matter
    for pattern in (_LINK_TITLE, _URL, _TAG, re.compile(r"\A(?:.*\n){%d}" % (body_line - 1))):
        masked = _blank(masked, pattern)
    position = syntax._Positions(text, 1)
    problems = []
    for match in _DOUBLE.finditer(masked):
        before = [m.end() for m in _SENTENCE_END.finditer(masked, 0, match.start())]
        start = before[-1] if before else 0
        after = _SENTENCE_END.search(masked, match.end())
        sentence = masked[start : after.end() if after else len(masked)]
        if _ATTRIBUTION.search(sentence):
            continue
        inner = " ".join(match.group(0)[1:-1].split())
        problems.append((
            "B391",
            f"\u201c{inner}\u201d is not attributed as a quotation: the house style sets scare quotes, terms and "
            f"titles in single quotes ('{inner}'); double quotes are for the words of a source",
            position(match.start()),
        ))
    return problems


def check_manuscript(manuscript, root: Path, terms: TermsList, diagnostics: Diagnostics) -> None:
    """Apply the terms list and the rule for quotation marks to one manuscript file (read
    again, front matter included)."""
    text = (root / manuscript.path).read_text("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    body_line = manuscript.body_line
    for code, message, at in check_quotes(text, body_line):
        diagnostics.add(code, message, Location(manuscript.path, at.line, at.column))
    if not terms.terms and not terms.foreign:
        return
    for code, message, at in check_text(text, terms, body_line):
        diagnostics.add(code, message, Location(manuscript.path, at.line, at.column))
