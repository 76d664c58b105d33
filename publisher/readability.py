"""Readability of a rendered manuscript body: sentences, sentence length, long words and
the Flesch-Douma score, with Dutch syllable counting.

Only running prose is measured: paragraphs and list items, including those inside the
dilemma, handreiking and kader blocks. Headings, block titles, tables, figures and their
captions, footnotes and pull quotes (which repeat the text) are left out.

- A *word* is a run of letters and digits (with inner hyphens or apostrophes) that holds
  at least one letter; bare numbers such as 2019 or 600.000 are not words here.
- A *sentence* ends at '.', '!' or '?' followed by a space and a capital, a digit or an
  opening quote, and at the end of every paragraph or list item. Common Dutch
  abbreviations (bijv., o.a., art., nr. …) do not end a sentence.
- *Syllables* are Dutch vowel units: aa, ee, ie, oe, ui, ij, eu, ei, ou, au, oo, uu and the
  three-letter units eeu, ieu, aai, ooi, oei count once; a letter with a diaeresis (ë, ï …)
  starts a new syllable; other runs of vowels are split greedily into known units.
- Flesch-Douma = 206.835 − 0.93 · (words per sentence) − 77 · (syllables per word).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

LONG_SENTENCE = 25  # words; a sentence with more is long
LONG_WORD_SYLLABLES = 4  # a word with at least this many syllables is long
LONG_WORD_LETTERS = 13  # … or, counted the other way, with at least this many letters

_UNITS = (
    # three letters first: the scan takes the longest unit that fits
    "eeu", "ieu", "aai", "ooi", "oei",
    "aa", "ee", "ie", "oe", "ui", "ij", "eu", "ei", "ou", "au", "oo", "uu",
)
_VOWELS = set("aeiouy")
_DIAERESIS = "\u0308"
_SKIPPED = ("table", "figure", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "sup")
_UNMEASURED_ROLES = ("doc-endnotes", "doc-pullquote")
_ABBREVIATIONS = {
    "bijv", "bv", "o.a", "d.w.z", "e.d", "enz", "art", "nr", "p", "pp", "ca", "m.b.t", "t.o.v",
    "z.j", "dr", "mr", "prof", "drs", "ir", "ing", "jl", "resp", "incl", "excl", "vgl", "zgn",
    "i.p.v", "a.s", "mln", "mld", "e.a", "m.n", "etc", "stb",
}
_WORD = re.compile(r"[^\W_]+(?:[\u2019'\-][^\W_]+)*")
_END = re.compile(r"[.!?…]+[\u201d\u2019\"')]*(?=\s+[\u201c\u2018\"'(]?[A-ZÀ-Ý0-9€])")


def syllables(word: str) -> int:
    """Dutch syllables of one word (at least 1 for a word with a letter)."""
    units = 0
    letters = unicodedata.normalize("NFD", word.lower())
    # put each diaeresis before its letter: "ï" becomes the marker "|" plus "i"
    marked = re.sub(r"([a-z])\u0308", r"|\1", letters)
    marked = "".join(c for c in marked if not unicodedata.combining(c))
    # "ij" is one vowel unit; mark the j so that it counts as a vowel letter
    marked = marked.replace("ij", "i\x00")
    # a y before a vowel is a consonant (Yivi, yoga)
    marked = re.sub(r"y(?=[aeiou])", "j", marked)
    for run in re.findall(r"\|?[aeiouy\x00](?:[aeiouy\x00]|\|[aeiouy])*", marked):
        run = run.replace("\x00", "j")
        for part in run.split("|"):
            units += _count_run(part)
    if units == 0 and re.search(r"[^\W\d_]", word):
        return 1
    return units


def _count_run(run: str) -> int:
    count = 0
    index = 0
    while index < len(run):
        for size in (3, 2):
            if run[index : index + size] in _UNITS:
                index += size
                break
        else:
            index += 1
        count += 1
    return count


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if re.search(r"[^\W\d_]", w)]


def sentences(text: str) -> list[str]:
    """Sentences of one paragraph of running prose."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    result = []
    start = 0
    for match in _END.finditer(text):
        before = text[start : match.start()]
        last = before.rsplit(" ", 1)[-1].lower().lstrip("(\u201c\u2018\"'")
        if match.group(0).startswith(".") and (last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last)):
            continue
        result.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        result.append(rest)
    return [s for s in result if words(s)]


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    syllables: int
    long_sentences: int  # more than LONG_SENTENCE words
    long_words: int  # at least LONG_WORD_SYLLABLES syllables
    long_words_letters: int  # at least LONG_WORD_LETTERS letters

    @property
    def mean_sentence_length(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def long_sentence_share(self) -> float:
        return self.long_sentences / self.sentences if self.sentences else 0.0

    @property
    def long_word_share(self) -> float:
        return self.long_words / self.words if self.words else 0.0

    @property
    def long_word_letters_share(self) -> float:
        return self.long_words_letters / self.words if self.words else 0.0

    @property
    def flesch_douma(self) -> float:
        if not self.words:
            return 0.0
        return 206.835 - 0.93 * self.mean_sentence_length - 77 * self.syllables_per_word


def measure_text(paragraphs: list[str]) -> Readability:
    """Readability of paragraphs of running prose (plain text)."""
    n_sentences = n_words = n_syllables = long_sentences = long_words = long_letters = 0
    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            found = words(sentence)
            n_sentences += 1
            n_words += len(found)
            if len(found) > LONG_SENTENCE:
                long_sentences += 1
            for word in found:
                count = syllables(word)
                n_syllables += count
                if count >= LONG_WORD_SYLLABLES:
                    long_words += 1
                if sum(c.isalpha() for c in word) >= LONG_WORD_LETTERS:
                    long_letters += 1
    return Readability(n_sentences, n_words, n_syllables, long_sentences, long_words, long_letters)


def prose(root: etree._Element) -> list[str]:
    """The running prose of a rendered body, one string per paragraph or list item."""
    result = []
    for element in root.iter("p", "li"):
        if _excluded(element):
            continue
        if element.tag == "li" and element.find("p") is not None:
            continue  # a loose list item: its paragraphs are measured
        result.append(_own_text(element))
    return result


def _excluded(element: etree._Element) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in _SKIPPED or node.get("role") in _UNMEASURED_ROLES:
            return True
    return False


def _own_text(element: etree._Element) -> str:
    """Text of an element without note numbers and nested lists."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in ("sup", "ul", "ol"):
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def measure(root: etree._Element) -> Readability:
    """Readability of a rendered manuscript body (``markup.Body.root``)."""
    return measure_text(prose(root))


STATS_HEADER = ("sentences", "ASL", ">25w%", "long≥4syl%", "long≥13chr%", "FD")


def stats_columns(rows) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """The readability columns of ``publisher stats``: a header and, per manuscript path,
    the formatted figures (rows are ``api.Stats``)."""
    values = {}
    for row in rows:
        r = row.readability
        values[row.path] = (
            str(r.sentences),
            f"{r.mean_sentence_length:.1f}",
            f"{100 * r.long_sentence_share:.1f}",
            f"{100 * r.long_word_share:.1f}",
            f"{100 * r.long_word_letters_share:.1f}",
            f"{r.flesch_douma:.1f}",
        )
    return STATS_HEADER, values
