"""Page make-up of the printed reader, measured on the real series PDF (content/):
page fill, facing pages, word spaces, last lines, the hyphenation exception list.

Geometry comes from layouts/css/print.css (170 × 240 mm, margins 20/26/24/22 mm, body
9.5/13.5 pt); which pages belong to which text comes from the build's page map, so the
tests hold whatever page a text starts on."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from publisher.pagination import MIN_LAST_LINE, read_exceptions

from .makeup_measure import body_lines, geometry, manuscript_pages, measured_pages, paragraphs, read_pages, word_gaps

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reader(series_build):
    root, _ = series_build
    build = root / "build"
    pages = read_pages(build / "smart-society-cases.pdf")
    return root, pages, manuscript_pages(build), geometry()


def _fill(reader):
    _, pages, texts, g = reader
    return measured_pages(pages, texts, g)


# Holes: before issue 11, 26 pages of texts ended more than 3 lines short, 9 of them 7.5
# lines or more (up to 24), where a box, list or figure that would not split went on to
# the next page. Boxes, tables and lists now break, figures and pull quotes move on, and
# what a page still lacks is shared out above its headings and boxes (feathering, at
# most two lines a block, three above a figure; a box that goes on on the next page
# counts by its lines). No page of a text ends more than three lines short (the test
# below); HOLE guards the big holes on their own.
HOLE = 4.0


def test_no_page_of_a_text_ends_with_a_hole(reader):
    """No page inside a text ends HOLE lines or more short: the big holes left by boxes,
    lists and figures that would not split are gone (boxes and tables break, lists may
    follow a page break, figures and pull quotes move past the next paragraph or box)."""
    fill = _fill(reader)
    assert len(fill) > 60
    holes = [(page, round(short, 1)) for page, short, exempt in fill if not exempt and short >= HOLE]
    assert not holes, holes


def test_no_page_of_a_text_ends_more_than_three_lines_short(reader):
    fill = _fill(reader)
    short = [(page, round(s, 1)) for page, s, exempt in fill if not exempt and s > 3]
    assert not short, short


# Facing pages: both pages of a spread inside a text end within this many lines of each
# other. One line and a half: the notes' own leading (10 pt) and the rule above them
# never line up with the body's 13.5 pt lines, so a page with notes ends up to a line off
# the grid of a page without; more than that is a visible step.
LEVEL = 1.5


def test_facing_pages_end_level(reader):
    fill = {page: (short, exempt) for page, short, exempt in _fill(reader)}
    steps = []
    for verso in sorted(p for p in fill if p % 2 == 0):
        recto = verso + 1
        if recto in fill and not fill[verso][1] and not fill[recto][1]:
            if abs(fill[verso][0] - fill[recto][0]) > LEVEL:
                steps.append((verso, recto, round(fill[verso][0], 1), round(fill[recto][0], 1)))
    assert not steps, steps


def _normal_space(root: Path) -> float:
    """The body font's own word space at 9.5 pt."""
    with TTFont(root / "layouts" / "fonts" / "NotoSerif-Regular.ttf") as font:
        return font["hmtx"][font.getBestCmap()[32]][0] / font["head"].unitsPerEm * 9.5


def _text_lines(reader):
    """(page, paragraph lines) of the body text of every page of a text."""
    root, pages, texts, g = reader
    for number in sorted(n for n in texts if n in pages):
        for block in body_lines(pages[number], g):
            for paragraph in paragraphs(block):
                yield number, paragraph


def test_the_body_is_ragged_right_with_normal_word_spaces(reader):
    """Ragged right was chosen (greedy line breaking cannot keep justified word spaces
    under 200 %): no line but a paragraph's last is stretched, every word space is the
    font's own (within 15 %), and the right edge is ragged (most lines end short of it)."""
    root, _, _, g = reader
    normal = _normal_space(root)
    ratios, full, total = [], 0, 0
    for number, paragraph in _text_lines(reader):
        right = (g.left_recto if number % 2 else g.left_verso) + g.width
        for line in paragraph[:-1]:
            gaps = [gap for gap in word_gaps(line) if gap > 0.5]
            if len(gaps) < 3 or line.height > 13.5:
                continue
            total += 1
            ratios.append((statistics.median(gaps) / normal, number, line.text))
            full += right - line.x1 < 1.5
    assert total > 800
    worst = max(ratios)
    assert worst[0] < 1.15, worst
    assert full / total < 0.25, (full, total)


def _stray_lines(reader):
    runts, strays = [], []
    for number, paragraph in _text_lines(reader):
        if len(paragraph) < 2:
            continue
        last, before = paragraph[-1], paragraph[-2]
        text = last.text.strip()
        if before.text.rstrip().endswith("-") and len(last.words) == 1 and not before.text.rstrip().endswith(" -"):
            runts.append((number, before.text[-20:] + "/" + text))
        elif len(text) < MIN_LAST_LINE:
            runts.append((number, text))
        for line in paragraph[1:-1]:
            if len(line.words) == 1 and len(line.text) < 25:
                strays.append((number, line.text))
    return runts, strays


def test_no_runt_as_a_paragraphs_last_line(reader):
    """No last line that is a hyphenated word's fragment ("gemeen-/ten?") or shorter than
    MIN_LAST_LINE characters ("is.")."""
    runts, _ = _stray_lines(reader)
    assert not runts, runts


def test_no_one_word_line_inside_a_paragraph(reader):
    """No line of one short word between two lines of the same paragraph (WeasyPrint's
    trailing-space measure before an inline element, see pagination.lean_spaces)."""
    _, strays = _stray_lines(reader)
    assert not strays, strays


def test_the_exception_list_is_honoured(reader):
    """A word of layouts/hyphenation.txt is broken at a line end only at a point the list
    gives ("Barcel-ona", "wifitrac-king", "Amster-dam" never appear), and the list's
    points are used (a listed word broken somewhere)."""
    root, pages, texts, g = reader
    entries = {e.word: e for e in read_exceptions(root / "layouts" / "hyphenation.txt")}
    assert {"Barcelona", "Ryanair", "wifitracking", "Amsterdam", "Nijmegen", "Dundee"} <= set(entries)
    wrong, broken = [], 0
    lines = [line for number in sorted(n for n in texts if n in pages) for block in pages[number].blocks for line in block]
    for line, following in zip(lines, lines[1:]):
        if not line.words or not following.words:
            continue
        head = line.words[-1].text
        match = re.search(r"([\w-]*\w)-$", head)
        if not match:
            continue
        tail = re.match(r"[\w-]*\w", following.words[0].text)
        if not tail:
            continue
        letters = (match.group(1) + tail.group(0)).replace("-", "")
        entry = entries.get(letters)
        if entry is None:
            continue
        broken += 1
        if len(match.group(1).replace("-", "")) not in entry.breaks:
            wrong.append(f"{match.group(1)}-{tail.group(0)}")
    assert not wrong, wrong
    assert broken, "no listed word is broken anywhere: the list's break points are not used"


# The mechanisms on small trees (no layout).

def _tree(markup: str):
    from lxml import etree

    return etree.fromstring(f"<body>{markup}</body>")


def test_exceptions_put_soft_hyphens_only_at_the_lists_points(tmp_path):
    from lxml import etree

    from publisher.pagination import SOFT_HYPHEN, apply_exceptions

    listing = tmp_path / "hyphenation.txt"
    listing.write_text("# names\nAmsterdam\nBar-ce-lo-na  # three points\nwifi-track-ing\n", "utf-8")
    entries = read_exceptions(listing)
    assert [(e.word, e.breaks) for e in entries] == [("Amsterdam", ()), ("Barcelona", (3, 5, 7)), ("wifitracking", (4, 9))]
    root = _tree("<p>In Amsterdam, Barcelona en Amsterdamse wijken: wifitracking of wifi-tracking.<span class='footnote'>Barcelona</span></p>")
    apply_exceptions(root, entries)
    spans = [s.text for s in root.iter("span") if s.get("class") == "hyphenate-exception"]
    assert spans == ["Amsterdam", f"Bar{SOFT_HYPHEN}ce{SOFT_HYPHEN}lo{SOFT_HYPHEN}na", f"wifi{SOFT_HYPHEN}track{SOFT_HYPHEN}ing", f"wifi-track{SOFT_HYPHEN}ing"]
    text = etree.tostring(root, encoding="unicode", method="text")
    assert "Amsterdamse" in text  # another word, not an entry
    assert text.count(SOFT_HYPHEN) == 6  # none in the footnote


def test_a_paragraphs_last_words_are_tied_and_kept_whole():
    from publisher.pagination import tie_last_line

    root = _tree("<p>Dat is <em>zo</em> en het is.<span class='footnote'>Een noot met woorden.</span></p>")
    paragraph = root[0]
    tie_last_line(paragraph)
    last = [s for s in paragraph.iter("span") if s.get("class") == "last-words"]
    assert [s.text for s in last] == ["en\u00a0het\u00a0is."]
    assert paragraph.find("span[@class='footnote']").text == "Een noot met woorden."
    # a line end of the manuscript between the last words is a space like any other
    root = _tree("<p>zet de niveaus naast\nelkaar.</p>")
    tie_last_line(root[0])
    assert [s.text for s in root[0].iter("span")] == ["naast\u00a0elkaar."]


def test_the_space_before_an_inline_element_goes_into_it():
    from publisher.pagination import lean_spaces

    root = _tree("<p>uitleg in een <em>aanbesteding.</em> En <span class='nohyphen'>heel</span> <a class='footnote-anchor'/>x</p>")
    lean_spaces(root)
    paragraph = root[0]
    assert paragraph.text == "uitleg in een" and paragraph[0].text == " aanbesteding."
    assert paragraph[0].tail == " En " and paragraph[1].text == "heel"  # nowrap spans keep their break


def test_deferrals_are_kept_between_builds_and_count_up():
    from publisher.pagination import Corrections

    learned = Corrections().learn({"a": 1}, deferred={"7"}).learn({"a": 1}, deferred={"7", "9"})
    assert learned.deferral("7") == 2 and learned.deferral("9") == 1 and learned.deferral("3") == 0
    assert Corrections.from_bytes(learned.to_bytes()) == learned


def test_feathered_space_goes_above_blocks_and_is_kept_between_builds():
    from publisher.pagination import Corrections, feather

    learned = Corrections().learn({"a": 1}, feathered={"4": 30.5}).learn({"a": 1}, feathered={"6": 20.0})
    assert dict(learned.feathered) == {"4": 30.5, "6": 20.0}
    assert Corrections.from_bytes(learned.to_bytes()) == learned
    root = _tree("<section><p data-fb='3'>tekst</p><h2 data-fb='4' style='break-before: page'>Kop</h2><p data-fb='6'>meer</p></section>")
    feather(root, learned)
    assert root.xpath("//h2")[0].get("style") == "break-before: page; margin-top: 30.5px"
    assert root.xpath("//*[@data-fb='6']")[0].get("style") == "margin-top: 20px"
    assert root.xpath("//*[@data-fb='3']")[0].get("style") is None
