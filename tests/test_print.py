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
    with pikepdf.open(screen) as pdf:
        starts = {slug: page + 1 for slug, page in destinations(pdf).items()}
    return {
        "project": project,
        "publication": publication,
        "screen": screen,
        "print": printed,
        "starts": starts,
        # the concept mark at the head of every page of a concept text is tested in
        # test_offprints and test_pdf; here the pages are read without it
        "pages": [re.sub(r"^CONCEPT\n", "", page) for page in text_pages(screen)],
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
        body_page = pdf.pages[series["starts"]["volg-jij-nog-waar-je-gevolgd-wordt"]]
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


def test_opening_and_blank_pages_carry_no_running_head_or_folio(series):
    pages = series["pages"]
    for entry in series["publication"].entries:
        number = series["starts"][entry.slug]
        text = pages[number - 1]
        assert "SMART SOCIETY CASES" not in text
        assert not re.search(rf"^\s*{number}\s*$", text, re.M), entry.slug
        before = pages[number - 2]  # a blank page, or the last page of the text before
        furniture_only = re.fullmatch(r"\s*(SMART SOCIETY CASES)?\s*\d*\s*", before)
        assert not (furniture_only and before.strip()), (entry.slug, before)
    blanks = [i for i, text in enumerate(pages, start=1) if not text.strip()]
    assert blanks, "a book with right-hand openings has blank pages"
    ordinary = pages[series["starts"]["open-de-black-box"]]  # the page after an opening
    assert "SMART SOCIETY CASES" in ordinary or "Open de black box" in ordinary.splitlines()[0]


def test_running_heads_series_left_manuscript_right(series):
    start = series["starts"]["volg-jij-nog-waar-je-gevolgd-wordt"]
    left, right = series["pages"][start], series["pages"][start + 1]  # pages start+1 (even) and start+2
    assert left.lstrip().startswith("SMART SOCIETY CASES")
    assert right.lstrip().startswith("Volg jij nog waar je gevolgd wordt?")


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
