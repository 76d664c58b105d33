"""The index (Register): terms from content/terms.yaml, located on every page where the
printed text has them, in Dutch collation, with links in the PDF, the EPUB and the web.

The series tests read the real reader PDF: the locators the index prints must be the
pages on which pdftotext finds the term in the text block of a manuscript page (running
heads and folios left out)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree, html

from publisher.errors import Diagnostics, PublisherError
from publisher.terms import IndexTerm, index_pattern, load

from .pdf_tools import destinations

MM = 72 / 25.4
LOCATOR = r"\d+(?:–\d+)?"
ENTRY = re.compile(rf"^(?P<term>\D.*?) (?P<locators>{LOCATOR}(?:, {LOCATOR})*)$")


def page_text(pdf: Path, number: int, top: float, bottom: float, width: float) -> str:
    """The text of one page (1-based) between ``top`` and ``bottom`` (points from the top)."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(number), "-l", str(number), "-x", "0", "-y", str(int(top)),
         "-W", str(int(width)), "-H", str(int(bottom - top)), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    )
    return out.stdout


def form_pattern(form: str) -> re.Pattern:
    """The test's own reading of a form: whole words, a lower-case form also capitalised."""
    words = [re.escape(w) for w in form.split()]
    if form[0].islower():
        words[0] = f"[{form[0]}{form[0].upper()}]{re.escape(form.split()[0][1:])}"
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def pages_of_terms(texts: dict[int, str], terms: list[IndexTerm], words: set[str]) -> dict[str, set[int]]:
    """term → the pages on which the text has one of its forms. The pages are read as one
    text, so that a phrase broken over a page turn counts on the page where it begins; a
    word hyphenated at a line end is joined again unless the manuscripts write it with
    that hyphen (``words``: "privacy-\nwet" is "privacywet", "SyRI-\nzaak" stays
    "SyRI-zaak"); where two terms overlap, the longer occurrence counts ("Privacy by
    Design Foundation", not "privacy")."""
    numbers = sorted(texts)
    result: dict[str, set[int]] = {t.term: set() for t in terms}

    def rejoin(match: re.Match) -> str:
        before, after = match.group(1), match.group(2)
        return f"{before}{after}" if f"{before}{after}" in words or f"{before}-{after}" not in words else f"{before}-{after}"

    starts, parts, position = [], [], 0
    for number in numbers:
        part = re.sub(r"(\w+)-\n(\w+)", rejoin, texts[number]) + "\n"
        starts.append(position)
        parts.append(part)
        position += len(part)
    text = "".join(parts)
    found = []
    for term in terms:
        for form in term.forms:
            found.extend((m.start(), m.end(), term.term) for m in form_pattern(form.replace("'", "\u2019")).finditer(text))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    end = -1
    for start, stop, term in found:
        if start < end:
            continue
        end = stop
        page = numbers[max(i for i, s in enumerate(starts) if s <= start)]
        result[term].add(page)
    return result


def _hyphen_pieces(word: str) -> set[str]:
    """The joined runs of a hyphenated word: "SyRI-zaak-Nissewaard" → SyRI-zaak, zaak-Nissewaard …"""
    parts = word.split("-")
    return {"-".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}


def expand(locators: str) -> set[int]:
    pages = set()
    for item in locators.split(", "):
        first, _, last = item.partition("–")
        pages.update(range(int(first), int(last or first) + 1))
    return pages


def printed_index(pdf: Path) -> tuple[list[str], dict[str, str]]:
    """(letter headings in order, term → its locators as printed) from the index pages."""
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    start = max(i for i, page in enumerate(pages) if "Register" in page.splitlines() and "A" in page.splitlines())
    lines = [line.strip() for page in pages[start:] for line in page.splitlines() if line.strip() and line.strip() != "Register"]
    joined: list[str] = []
    for line in lines:
        if joined and re.match(r"^\d", line) and joined[-1].endswith((",", "–")):
            joined[-1] += ("" if joined[-1].endswith("–") else " ") + line
        else:
            joined.append(line)
    letters = [line for line in joined if re.fullmatch(r"[A-Z#]", line)]
    entries = {}
    for line in joined:
        match = ENTRY.match(line)
        if match:
            entries[match.group("term")] = match.group("locators")
    return letters, entries


def manuscript_pages(project: Path, pdf: Path) -> dict[int, int]:
    """The pages (1-based) from the first manuscript's opening to the list of sources,
    each with its printed number (its page label: the screen PDF leaves blank pages out)."""
    document = html.parse(str(project / "build" / "html" / "index.html")).getroot()
    first = document.xpath("//*[@data-part='manuscript']/@id")[0]
    with pikepdf.open(pdf) as opened:
        dests = destinations(opened)
        labels = [page.label for page in opened.pages]
    return {index + 1: int(labels[index]) for index in range(dests[first], dests["bronnen"])}


@pytest.fixture(scope="module")
def series_index(series_build):
    project, _ = series_build
    pdf = project / "build" / "smart-society-cases.pdf"
    diagnostics = Diagnostics()
    terms = load(project, diagnostics)
    assert not diagnostics.items
    return project, pdf, terms.index


@pytest.mark.slow
def test_every_locator_is_a_page_where_pdftotext_finds_the_term(series_index):
    project, pdf, terms = series_index
    with pikepdf.open(pdf) as opened:
        box = opened.pages[0].MediaBox
        width, height = float(box[2]), float(box[3])
    # the text block and its notes: below the running head, above the folio
    top, bottom = 18 * MM, height - 20 * MM
    texts = {printed: page_text(pdf, n, top, bottom, width) for n, printed in manuscript_pages(project, pdf).items()}
    _, printed = printed_index(pdf)
    assert len(printed) >= 40, sorted(printed)
    mismatches = {}
    document = html.parse(str(project / "build" / "html" / "index.html")).getroot()
    words = set(re.findall(r"\w+(?:-\w+)*", document.text_content()))
    words |= {part for word in list(words) for part in _hyphen_pieces(word)}
    found = pages_of_terms(texts, terms, words)
    for term in terms:
        expected = found[term.term]
        shown = expand(printed[term.term.replace("'", "\u2019")]) if term.term.replace("'", "\u2019") in printed else set()
        if expected != shown:
            mismatches[term.term] = (sorted(expected - shown), sorted(shown - expected))
    assert mismatches == {}, mismatches  # term: (pages the index misses, pages it names wrongly)
    # consecutive pages are one range, and at least one term spans one
    for term, locators in printed.items():
        numbers = [int(x) for x in re.findall(r"\d+", locators)]
        assert numbers == sorted(numbers), (term, locators)
        for item in locators.split(", "):
            first, _, last = item.partition("–")
            assert not last or int(last) > int(first), (term, item)
        singles = [int(i) for i in locators.split(", ") if "–" not in i]
        assert all(b - a > 1 for a, b in zip(singles, singles[1:])), (term, locators)
    assert any("–" in locators for locators in printed.values())


@pytest.mark.slow
def test_the_index_has_letter_groups_in_dutch_order(series_index):
    project, pdf, terms = series_index
    letters, printed = printed_index(pdf)
    document = html.parse(str(project / "build" / "html" / "index.html")).getroot()
    groups = document.xpath("//*[@data-part='index']//section[@class='index-group']")
    headings = [g.findtext("h3") for g in groups]
    assert headings == sorted(headings) and len(headings) == len(set(headings)) >= 15, headings
    assert sorted(letters) == headings  # the PDF prints every letter group (its text runs by column)
    order = []
    for group in groups:
        for term in group.xpath(".//span[@class='index-term']/text()"):
            base = unicodedata.normalize("NFKD", term)[0].upper()
            assert base == group.findtext("h3"), (term, group.findtext("h3"))
            order.append(term)
    # Dutch: case and accents do not count (São Paulo between RIVM and sensor, eIDAS
    # before ElaadNL), nor does the space of a phrase come before a letter's end.
    def plain(text):
        return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    assert order == sorted(order, key=plain)
    assert order.index("RIVM") < order.index("São Paulo") < order.index("sensor")
    assert order.index("eIDAS") < order.index("ElaadNL") < order.index("Enschede")
    assert set(order) == set(printed)


def test_collation_files_accents_and_capitals_with_their_letter():
    from publisher.assemble import collation_key

    words = ["zorg", "Éénmalig", "algoritme", "Übersicht", "ElaadNL", "eIDAS", "dilemma’s", "Dilemma", "IJssel", "ideaal"]
    assert sorted(words, key=collation_key) == [
        "algoritme", "Dilemma", "dilemma’s", "Éénmalig", "eIDAS", "ElaadNL", "ideaal", "IJssel", "Übersicht", "zorg",
    ]


def test_an_index_pattern_takes_whole_words_and_capitalised_lower_case_forms():
    pattern = index_pattern(("algoritme", "algoritmen"))
    text = "Algoritmen beslissen. Het algoritmeregister noemt een algoritme; een data-algoritme ook."
    assert [m.group(0) for m in pattern.finditer(text)] == ["Algoritmen", "algoritme", "algoritme"]
    assert not index_pattern(("SyRI",)).search("syri")  # a capitalised form is matched as written
    assert index_pattern(("SyRI",)).search("de SyRI-zaak")


def test_an_index_entry_of_the_wrong_form_is_an_error_at_its_place(project):
    path = project / "content" / "terms.yaml"
    path.write_text("index:\n  - term: SyRI\n  - term: algoritme\n    forms: algoritmen\n  - term: syri\n", "utf-8")
    diagnostics = Diagnostics()
    load(project, diagnostics)
    problems = [str(d) for d in diagnostics.items]
    assert problems == [
        "content/terms.yaml:4:12: error[L601]: index term 'algoritme': 'forms' is a list of words or phrases",
        "content/terms.yaml:5:5: error[L601]: index term 'syri': the form 'syri' is already a form of 'SyRI'",
    ], problems


def test_occurrences_are_marked_in_the_intermediate_and_the_index_points_at_them(project):
    from publisher import api

    (project / "content" / "terms.yaml").write_text("index:\n  - term: wifi\n  - term: gemeente\n    forms: [gemeenten]\n", "utf-8")
    api.build(project, formats=("html",))
    document = html.parse(str(project / "build" / "html" / "index.html")).getroot()
    marks = document.xpath("//span[@class='index-mark']")
    assert marks, "no occurrence marked"
    ids = {m.get("id"): m.text for m in marks}
    for entry in document.xpath("//li[@data-index-occurrences]"):
        occurrences = entry.get("data-index-occurrences").split()
        term = entry.findtext("span[@class='index-term']")
        assert all(ids[i].casefold().startswith(term.casefold()) for i in occurrences), (term, occurrences)
        # one locator per text, pointing at the first occurrence in it
        hrefs = entry.xpath(".//a[@class='index-locator']/@href")
        assert hrefs[0] == f"#{occurrences[0]}"
        assert set(h[1:] for h in hrefs) <= set(occurrences)


@pytest.mark.slow
def test_epub_index_locators_link_to_the_occurrences(series_build):
    project, _ = series_build
    book = project / "build" / "smart-society-cases.epub"
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    with zipfile.ZipFile(book) as archive:
        documents = {n: etree.fromstring(archive.read(n)) for n in archive.namelist() if n.endswith(".xhtml")}
    [index] = [d for n, d in documents.items() if n.endswith("register.xhtml")]
    links = index.xpath("//x:a[@class='index-locator']", namespaces=ns)
    assert len(links) > 100
    for link in links:
        name, _, ident = link.get("href").partition("#")
        target = documents[f"EPUB/text/{name}"].xpath("//*[@id=$id]", id=ident)
        assert target and target[0].get("class") == "index-mark", link.get("href")


@pytest.mark.slow
def test_pdf_keywords_have_typographic_apostrophes(series_build):
    project, _ = series_build
    with pikepdf.open(project / "build" / "smart-society-cases.pdf") as pdf:
        keywords = str(pdf.docinfo["/Keywords"])
    assert "dilemma’s" in keywords and "'" not in keywords, keywords
