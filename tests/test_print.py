"""The PDF renditions of the real series' reader, asserted on the PDFs that `make` writes."""

import re
import subprocess

import pikepdf
import pytest
from lxml import html

from publisher import api

from .pdf_tools import destinations, figure_alts, fonts, outline_titles, text_pages

MM = 72 / 25.4
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def series(series_build):
    project, result = series_build
    publication = result.publication
    screen = project / "build" / "smart-society-cases.pdf"
    printed = project / "build" / "smart-society-cases-print.pdf"
    with pikepdf.open(printed) as pdf:  # the print shop's PDF: page index and printed number agree
        starts = {slug: page + 1 for slug, page in destinations(pdf).items()}
    return {
        "project": project,
        "publication": publication,
        "screen": screen,
        "print": printed,
        "starts": starts,
        # the concept mark at the head of every page of a concept text is tested in
        # test_offprints and test_pdf; here the pages are read without it
        "pages": [re.sub(r"^CONCEPT\n", "", page) for page in text_pages(printed)],
    }


def box(pdf, page, name):
    return [float(v) for v in pdf.pages[page].get(name, pdf.pages[page].MediaBox)]


def test_page_geometry_of_both_renditions(series):
    width, height = 170 * MM, 240 * MM
    with pikepdf.open(series["screen"]) as pdf:
        for page in (0, 10, len(pdf.pages) - 1):
            assert box(pdf, page, "/MediaBox") == pytest.approx([0, 0, width, height], abs=0.01)
            assert box(pdf, page, "/TrimBox") == pytest.approx([0, 0, width, height], abs=0.01)
    with pikepdf.open(series["print"]) as pdf:
        bleed = 3 * MM
        for page in (0, 10, len(pdf.pages) - 1):
            assert box(pdf, page, "/TrimBox") == pytest.approx([0, 0, width, height], abs=0.01)
            assert box(pdf, page, "/BleedBox") == pytest.approx([-bleed, -bleed, width + bleed, height + bleed], abs=0.01)
            media = box(pdf, page, "/MediaBox")
            assert media[0] <= -bleed + 0.01 and media[2] >= width + bleed - 0.01


def test_print_edition_is_pdf_x4_with_a_cmyk_output_intent(series):
    with pikepdf.open(series["print"]) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert intent.DestOutputProfile.N == 4
        assert "PDF/X-4" in str(pdf.open_metadata())
        assert pdf.pdf_version == "1.6"
        # everything is painted in CMYK: text, blocks, SVG figures, crop marks
        spaces, operators, seen = set(), set(), set()

        def scan(stream):
            for operands, op in pikepdf.parse_content_stream(stream):
                operators.add(str(op))
                if str(op) in ("cs", "CS"):
                    spaces.add(str(operands[0]))

        def forms(resources):
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.objgen not in seen and xobject.get("/Subtype") == "/Form":
                    seen.add(xobject.objgen)
                    scan(xobject)
                    if "/Resources" in xobject:
                        forms(xobject.Resources)

        for page in pdf.pages:
            scan(page)
            forms(page.Resources)
        assert spaces == {"/DeviceCMYK"}
        assert not operators & {"rg", "RG", "g", "G", "sc", "SC"}


def test_screen_edition_is_tagged_pdf_ua(series):
    with pikepdf.open(series["screen"]) as pdf:
        assert pdf.Root.Lang == "nl"
        assert pdf.Root.MarkInfo.Marked
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert "pdfuaid" in str(pdf.open_metadata())
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
        assert len(links) > 100  # contents, cross-references, notes, sources
        # running head and folio are artifacts, not text of the document
        body_page = pdf.pages[destinations(pdf)["volg-jij-nog-waar-je-gevolgd-wordt"] + 1]
        operators = [(operands, str(op)) for operands, op in pikepdf.parse_content_stream(body_page)]
        artifacts = [operands for operands, op in operators if op in ("BMC", "BDC") and str(operands[0]) == "/Artifact"]
        assert len(artifacts) >= 2


def test_every_font_is_embedded_subset_and_from_the_layout(series):
    for path in (series["screen"], series["print"]):
        rows = fonts(path)
        assert rows
        for row in rows:
            assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row
            assert re.match(r"^[A-Z]{6}\+Noto-(Serif|Sans)", row["name"]), row


def test_contents_page_numbers_are_where_manuscripts_start_on_right_hand_pages(series):
    toc = re.sub(r"\s+", " ", next(p for p in series["pages"] if "Inhoud" in p and "Open de black box" in p))
    for entry in series["publication"].entries:
        start = series["starts"][entry.slug]
        assert start % 2 == 1, (entry.slug, start)
        title = entry.meta.title.replace("'", "\u2018", 1).replace("'", "\u2019", 1)
        match = re.search(re.escape(title) + r"[ .]*(\d+)", toc)
        assert match, (title, toc)
        assert int(match.group(1)) == start, entry.slug


def test_each_footnote_stands_on_the_page_of_its_call(series):
    with pikepdf.open(series["screen"]) as pdf:
        pages = destinations(pdf)
    calls = {k: v for k, v in pages.items() if "--fnref-" in k and k.count("-", k.index("--fnref-") + 8) == 0}
    assert len(calls) == sum(e.body.footnotes for e in series["publication"].entries)
    for call, page in calls.items():
        assert pages[call.replace("--fnref-", "--fn-")] == page, call


def test_no_footnote_is_printed_twice(series):
    seen = {}
    for number, page in enumerate(series["pages"], start=1):
        for line in re.findall(r"^\d+\. .{20,}$", page, re.M):
            seen.setdefault(line, set()).add(number)
    repeated = {line: pages for line, pages in seen.items() if len(pages) > 1 and max(pages) - min(pages) < 6}
    assert repeated == {}


def test_opening_pages_carry_no_running_head_and_blank_pages_nothing(series):
    pages = series["pages"]
    for entry in series["publication"].entries:
        number = series["starts"][entry.slug]
        text = pages[number - 1]
        assert "SMART SOCIETY CASES" not in text and "·" not in text.split("\n")[0]  # no running head (its folio is at the foot: test_pdf)
        before = pages[number - 2]  # a blank page, or the last page of the text before
        furniture_only = re.fullmatch(r"\s*(SMART SOCIETY CASES)?\s*\d*\s*", before)
        assert not (furniture_only and before.strip()), (entry.slug, before)
    blanks = [i for i, text in enumerate(pages, start=1) if not text.strip()]
    assert blanks, "a book with right-hand openings has blank pages"
    ordinary = pages[series["starts"]["open-de-black-box"]]  # the page after an opening
    assert "SMART SOCIETY CASES" in ordinary or "Open de black box" in ordinary.splitlines()[0]


def test_running_heads_case_left_section_right(series):
    start = series["starts"]["volg-jij-nog-waar-je-gevolgd-wordt"]
    left, right = series["pages"][start], series["pages"][start + 1]  # pages start+1 (even) and start+2
    assert left.lstrip().startswith("Case 1 · Volg jij nog waar je gevolgd wordt?")  # the case on the verso
    assert not right.lstrip().startswith(("Case 1 ·", "SMART SOCIETY CASES"))  # a section of it on the recto (test_pdf)


def test_figures_carry_alt_text_in_the_structure_tree(series):
    with pikepdf.open(series["screen"]) as pdf:
        figures = figure_alts(pdf)
    assert len(figures) >= sum(e.body.figures for e in series["publication"].entries)
    assert all(figures)


def test_outline_lists_every_manuscript_and_its_sections(series):
    with pikepdf.open(series["screen"]) as pdf:
        titles = outline_titles(pdf)
    flat = [t for _, t in titles]
    for entry in series["publication"].entries:
        assert any(entry.meta.title.split("'")[0] in t for t in flat), entry.slug
        for heading in entry.body.headings:
            if heading.level == 2:
                assert heading.text in flat, heading.text


@pytest.mark.parametrize("edition", ["screen", "print"])
def test_qpdf_finds_nothing(series, edition):
    out = subprocess.run(["qpdf", "--check", str(series[edition])], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_extracted_text_has_the_manuscripts_words_in_order_without_hyphenation(series):
    """Every word of the sampled paragraphs, in order, whole: a paragraph may only be
    interrupted by what a page adds (notes, folio, running head) where it breaks."""
    tokens = " ".join(series["pages"]).split()
    tree = html.fromstring((series["project"] / "build" / "html" / "index.html").read_text("utf-8"))
    position = 0
    checked = 0
    for section in tree.xpath("//section[contains(@class, 'manuscript')]"):
        for paragraph in section.xpath("./p[not(.//a) and not(.//sup) and not(.//abbr)]")[:3]:
            words = paragraph.text_content().split()
            start = next(i for i in range(position, len(tokens)) if tokens[i : i + 4] == words[:4])
            gaps = 0
            cursor = start
            for word in words:
                found = tokens.index(word, cursor)
                gap = found - cursor
                assert gap <= 80, (word, " ".join(words))
                gaps += gap > 0
                cursor = found + 1
            assert gaps <= 1, " ".join(words)  # at most one page break inside a paragraph
            position = cursor
            checked += 1
    assert checked >= 20


def test_no_more_than_two_hyphenated_line_ends_in_a_row(series):
    out = subprocess.run(["pdftotext", "-raw", str(series["screen"]), "-"], capture_output=True, text=True, check=True).stdout
    lines = out.split("\n")
    run = longest = 0
    hyphenated = 0
    for line, following in zip(lines, lines[1:]):
        if re.search(r"\w-$", line) and re.match(r"^[a-zà-ÿ]", following):
            run += 1
            hyphenated += 1
            longest = max(longest, run)
        else:
            run = 0
    assert hyphenated > 50  # Dutch text is hyphenated at all
    assert longest <= 2


def test_pdfs_are_byte_identical_on_a_rebuild(project, tmp_path, monkeypatch):
    from .conftest import build_elsewhere

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    api.build(project, formats=("pdf",), out_dir=tmp_path / "one")
    build_elsewhere(project, tmp_path / "two", "pdf")
    for name in ("proefreeks.pdf", "proefreeks-print.pdf", "offprints/eerste-case.pdf"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_layout_leaves_no_widows_orphans_or_headings_at_a_page_foot(series):
    """The settled layout of the series, inspected box by box."""
    from weasyprint.formatting_structure import boxes

    from publisher import pdf
    from publisher.assemble import assemble
    from publisher.pagination import stranded_lines
    from publisher.volumes import plan

    publication = series["publication"]
    book = assemble(publication, next(v for v in plan(publication) if v.key == "reader"))
    rendering = pdf.render(book, series["project"] / "build" / "html", pdf.SCREEN)
    # (no hyphen ladders and no displaced notes are asserted on the PDF itself above)
    assert stranded_lines(rendering) == []
    for number, page in enumerate(rendering.document.pages, start=1):
        flow = [
            box
            for box in page._page_box.descendants()
            if isinstance(box, boxes.BlockBox) and box.element is not None and box.element.get("data-fb") is not None
        ]
        if flow:
            last = flow[-1].element
            assert last.tag not in ("h2", "h3", "h4"), (number, last.text)


# The print shop's product: book block, signatures, marks, inks (issue: book craft)


def _strokes(page) -> list[tuple[tuple[float, ...], float, tuple[float, float, float, float]]]:
    """(stroke colour in CMYK, line width, line from m/l) of every line stroked by the
    page's own content streams."""
    found, colour, width, start = [], None, None, None
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "K":
            colour = tuple(float(v) for v in operands)
        elif op == "w":
            width = float(operands[0])
        elif op == "m":
            start = tuple(float(v) for v in operands)
        elif op == "l" and start is not None:
            found.append((colour, width, (*start, *(float(v) for v in operands))))
    return found


def test_book_block_starts_at_the_half_title_and_fills_whole_signatures(series):
    signature = series["publication"].config.printing.signature
    pages = series["pages"]
    assert signature > 1 and len(pages) % signature == 0
    assert pages[0].split()[:3] == ["Smart", "society", "cases"] and len(pages[0].split()) <= 4  # the half-title (and the concept mark), not the cover
    assert not any("Dilemma’s van digitalisering" in page for page in pages[:1])
    with pikepdf.open(series["print"]) as pdf:
        index = destinations(pdf)["register"]
    last_text = max(i for i, page in enumerate(pages) if page.strip())
    assert last_text >= index  # the index ends the book; what follows is planned blank pages
    assert len(pages) - 1 - last_text < signature  # fewer blanks than one signature


def test_crop_marks_stand_outside_the_bleed_as_registration_hairlines(series):
    with pikepdf.open(series["print"]) as pdf:
        for number in (0, 20, len(pdf.pages) - 1):
            page = pdf.pages[number]
            trim = box(pdf, number, "/TrimBox")
            bleed = box(pdf, number, "/BleedBox")
            media = box(pdf, number, "/MediaBox")
            assert bleed == pytest.approx([trim[0] - 3 * MM, trim[1] - 3 * MM, trim[2] + 3 * MM, trim[3] + 3 * MM], abs=0.01)
            marks = [line for colour, width, line in _strokes(page) if colour == (1, 1, 1, 1)]
            assert len(marks) == 8, marks  # two at each corner
            for colour, width, (x1, y1, x2, y2) in _strokes(page):
                if colour != (1, 1, 1, 1):
                    continue
                assert width <= 0.3  # a hairline
                for x, y in ((x1, y1), (x2, y2)):
                    # outside the bleed box, at least 3 mm from the trim, inside the sheet
                    outside = x < bleed[0] or x > bleed[2] or y < bleed[1] or y > bleed[3]
                    assert outside, (number, x, y)
                    away = max(trim[0] - x, x - trim[2], trim[1] - y, y - trim[3])
                    assert away >= 3 * MM - 0.01
                    assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
                # each mark lies on the extension of a trim edge
                assert (x1 == x2 and min(abs(x1 - trim[0]), abs(x1 - trim[2])) < 0.01) or (
                    y1 == y2 and min(abs(y1 - trim[1]), abs(y1 - trim[3])) < 0.01
                )


def _colours(stream, found: set, seen: set, in_form: bool, forms: set) -> None:
    """Every CMYK fill and stroke colour a stream (and the forms it draws) sets; those
    set inside forms (the SVG figures) go into ``forms`` as well."""
    for operands, op in pikepdf.parse_content_stream(stream):
        if str(op) in ("k", "K") or (str(op) in ("scn", "SCN") and len(operands) == 4):
            colour = tuple(round(float(v), 3) for v in operands)
            found.add(colour)
            if in_form:
                forms.add(colour)
    resources = stream.get("/Resources")
    for xobject in ((resources.get("/XObject") or {}).values() if resources is not None else ()):
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            _colours(xobject, found, seen, True, forms)


def test_every_ink_prints_and_figures_use_the_palette_inks(series):
    from publisher.colour import palette

    layouts = series["project"] / "layouts"
    inks = {tuple(round(v, 3) for v in c) for c in palette([layouts / "css" / "book.css"], layouts / "css" / "print-x.css").values()}
    found, figures, seen = set(), set(), set()
    with pikepdf.open(series["print"]) as pdf:
        for page in pdf.pages:
            _colours(page, found, seen, False, figures)
    assert figures, "the figures draw in CMYK"
    assert figures <= inks, figures - inks  # the stylesheet's very inks, nothing converted
    assert (0, 0, 0, 1) in figures  # black text and lines in figures: 100 % K
    for colour in found:
        assert all(v == 0 or v >= 0.05 for v in colour), colour  # no ink below 5 %


def test_print_file_carries_no_links(series):
    with pikepdf.open(series["print"]) as pdf:
        assert not any("/Annots" in page for page in pdf.pages)


def test_screen_pdf_has_the_cover_no_blank_pages_and_printed_numbers_as_labels(series):
    from .pdf_tools import labels, printed_pages

    screen = text_pages(series["screen"])
    with pikepdf.open(series["screen"]) as pdf:
        found = labels(pdf)
        printed = printed_pages(pdf)
    assert found[0] == "Omslag" and "Dilemma’s van digitalisering" in screen[0]
    assert all(page.strip() for page in screen), "no blank pages"
    assert "franse-titel" not in printed  # no half-title on screen
    numbers = [int(label) for label in found[1:]]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    # every page keeps the number it has in print, so "p. 39" is the same page in both
    for slug, page in printed.items():
        if not slug.startswith("page-"):
            assert page == series["starts"][slug], slug
    for label, text in zip(numbers, screen[1:]):
        print_page = series["pages"][label - 1]
        assert text.split()[:8] == print_page.split()[:8], label


def test_screen_pdf_has_symmetric_margins(series):
    """The text block is centred on every page of the screen PDF (print: inner 22, outer 26 mm)."""
    out = subprocess.run(["pdftotext", "-bbox", str(series["screen"]), "-"], capture_output=True, text=True, check=True).stdout
    from lxml import etree

    root = etree.fromstring(out.encode())
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    checked = 0
    sides = set()
    for number, page in enumerate(root.findall(".//x:page", namespace)[10:20], start=10):
        width = float(page.get("width"))
        words = page.findall("x:word", namespace)
        body = [w for w in words if 30 * MM < float(w.get("yMin")) < 200 * MM]
        if len(body) < 100:
            continue
        left = min(float(w.get("xMin")) for w in body)
        right = width - max(float(w.get("xMax")) for w in body)
        assert left == pytest.approx(24 * MM, abs=0.5 * MM), number
        assert 24 * MM - 0.5 * MM <= right <= 28 * MM, number  # the longest line comes near the measure
        sides.add(number % 2)
        checked += 1
    assert checked >= 4 and sides == {0, 1}


# One sink: every display title that opens a page (half-title, title page, contents,
# changes, every text, Bronnen, Register) has the top of its capitals at one height; the
# openings' labels ("Case 3", "Inleiding") hang above it. Before: 70, 50, 36 and 42–48 mm.
SINK_TOLERANCE = 0.5  # mm


def test_every_opening_title_stands_at_one_sink(series):
    from fontTools.ttLib import TTFont

    with TTFont(series["project"] / "layouts" / "fonts" / "NotoSans-Bold.ttf") as font:
        em = font["head"].unitsPerEm
        descent, cap = -font["hhea"].descent / em, font["OS/2"].sCapHeight / em
        span = (font["hhea"].ascent - font["hhea"].descent) / em
    out = subprocess.run(["pdftotext", "-bbox", str(series["print"]), "-"], capture_output=True, check=True).stdout
    root = html.fromstring(out)
    mm = 72 / 25.4
    sinks = {}
    with pikepdf.open(series["print"]) as pdf:
        trims = [float(page.TrimBox[3]) for page in pdf.pages]
        media = [float(page.MediaBox[3]) for page in pdf.pages]
    for number, page in enumerate(root.iter("page"), start=1):
        words = page.findall(".//word")
        display = [w for w in words if (float(w.get("ymax")) - float(w.get("ymin"))) / span >= 15]  # 15 pt or more
        if not display:
            continue
        first = display[0]
        size = (float(first.get("ymax")) - float(first.get("ymin"))) / span
        top = float(first.get("ymax")) - descent * size - cap * size  # from the top of the sheet
        sinks[number] = round((top - (media[number - 1] - trims[number - 1])) / mm, 1)
    assert len(sinks) >= 15, sinks  # half-title, title page, contents, changes, 10 texts, Bronnen, Register
    assert max(sinks.values()) - min(sinks.values()) <= SINK_TOLERANCE, sinks
