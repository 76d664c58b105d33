"""End-to-end: the fixture publication rendered to PDF, asserted on the real file."""

import re
from pathlib import Path
import subprocess

import pikepdf
import pytest

from publisher import api
from publisher.errors import PublisherError

from .pdf_tools import destinations, figure_alts, fonts, outline_titles, printed_pages, text_pages


@pytest.fixture(scope="module")
def screen_pdf(mini_build):
    project, result = mini_build
    return project / "build" / "proefreeks.pdf"


def test_manifest_lists_the_pdf_with_its_page_count(mini_build, screen_pdf):
    project, result = mini_build
    entry = next(o for o in result.outputs if o.path == "build/proefreeks.pdf")
    with pikepdf.open(screen_pdf) as pdf:
        assert entry.pages == len(pdf.pages)
    assert entry.bytes == screen_pdf.stat().st_size


def test_toc_numbers_are_the_pages_where_manuscripts_start(screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        starts = destinations(pdf)
        printed = printed_pages(pdf)
    pages = text_pages(screen_pdf)
    toc = next(p for p in pages if "Inhoud" in p)
    for slug, title in (("inleiding", "Inleiding"), ("eerste-case", "Eerste case"), ("tweede-case", "Tweede case")):
        match = re.search(rf"{title}[ .]*\s*(\d+)", toc)
        assert match, (title, toc)
        assert int(match.group(1)) == printed[slug]
        assert title in pages[starts[slug]]


def test_manuscripts_start_on_right_hand_pages(screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        printed = printed_pages(pdf)
    assert all(printed[slug] % 2 == 1 for slug in ("inleiding", "eerste-case", "tweede-case"))


def test_text_in_reading_order(screen_pdf):
    text = " ".join(text_pages(screen_pdf))
    text = re.sub(r"\s+", " ", text)
    order = ["Proefreeks", "Colofon", "Inhoud", "Deze inleiding verwijst", "Waarom deze reeks", "Een opening van de eerste case", "De situatie", "Tellen of volgen?", "Later gebeurde er nog iets", "Register"]
    position = 0
    for piece in order:
        found = text.find(piece, position)
        assert found >= 0, f"{piece!r} not found after position {position}"
        position = found + len(piece)


def test_cross_references_print_the_page(screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        printed = printed_pages(pdf)
    text = re.sub(r"\s+", " ", " ".join(text_pages(screen_pdf)))
    assert f"de eerste case (zie p. {printed['eerste-case']})" in text


def test_footnote_text_on_the_page_of_its_call(screen_pdf):
    pages = text_pages(screen_pdf)
    page = next(p for p in pages if "Een opening van de eerste case" in p)
    assert "Autoriteit Persoonsgegevens, Wifi-tracking, 2018." in page


def test_every_font_is_embedded_and_subset_and_from_the_layout(screen_pdf):
    rows = fonts(screen_pdf)
    assert rows
    for row in rows:
        assert row["emb"] == "yes" and row["sub"] == "yes" and row["uni"] == "yes", row
        assert re.match(r"^[A-Z]{6}\+Noto-(Serif|Sans)", row["name"]), row


def test_qpdf_finds_no_problems(screen_pdf):
    out = subprocess.run(["qpdf", "--check", str(screen_pdf)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No syntax or stream encoding errors found" in out.stdout


def test_tagged_pdf_with_language_title_and_outline(screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        assert pdf.Root.Lang == "nl"
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert str(pdf.docinfo.Title).startswith("Proefreeks")
        titles = [t for _, t in outline_titles(pdf)]
    assert "Eerste case" in titles and "De situatie" in titles


def test_figures_carry_alt_text_in_the_structure_tree(screen_pdf):
    with pikepdf.open(screen_pdf) as pdf:
        alts = figure_alts(pdf)
    assert "Staafdiagram met drie staven: 2017 laag, 2018 midden, 2019 hoog." in alts
    assert all(alts), alts


def test_html_in_a_manuscript_is_refused_at_its_place(project):
    case = project / "content" / "cases" / "02-tweede-case.md"
    lines = len(case.read_text("utf-8").split("\n"))
    case.write_text(
        case.read_text("utf-8")
        + '\n<link rel="attachment" href="file:///etc/passwd">\n\n<a rel="attachment" href="file:///etc/hostname">x</a> en `<code>` mag\n',
        "utf-8",
    )
    with pytest.raises(PublisherError) as raised:
        api.build(project, formats=("pdf",))
    assert [str(d).split(": HTML")[0] for d in raised.value.diagnostics.items] == [
        f"content/cases/02-tweede-case.md:{lines + 1}:1: error[B380]",
        f"content/cases/02-tweede-case.md:{lines + 3}:1: error[B380]",
        f"content/cases/02-tweede-case.md:{lines + 3}:50: error[B380]",
    ]
    assert not (project / "build").exists()


def test_a_pdf_embeds_no_file_and_links_no_local_file(project):
    """Behind the refusal: the renderer cannot attach or link files of the machine."""
    result = api.build(project, formats=("pdf",))
    assert result.outputs
    with pikepdf.open(project / "build" / "proefreeks.pdf") as pdf:
        assert len(pdf.attachments) == 0
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                uri = str(annot.get("/A", {}).get("/URI", ""))
                assert not uri.startswith("file:"), uri


@pytest.mark.weasyprint_warnings
def test_a_layout_that_reaches_outside_is_a_build_error(project):
    css = project / "layouts" / "css" / "print.css"
    css.write_text(css.read_text("utf-8") + "\nbody { background: url(file:///etc/passwd); }\n", "utf-8")
    with pytest.raises(PublisherError) as raised:
        api.build(project, formats=("pdf",))
    assert any(d.code == "R400" and "/etc/passwd" in d.message for d in raised.value.diagnostics.items)


def test_a_low_resolution_image_is_a_warning_at_its_line(project):
    from PIL import Image

    Image.new("RGB", (300, 150), "#1f4e79").save(project / "content" / "images" / "klein.png")
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8") + '\n![Een blauw vlak.](images/klein.png "Een te kleine afbeelding.")\n', "utf-8")
    result = api.build(project, formats=("pdf",))
    warnings = [str(d) for d in result.warnings]
    assert len(warnings) == 1
    assert warnings[0].startswith("content/cases/02-tweede-case.md:16:1: warning[B324]: 'images/klein.png' prints at ")


@pytest.mark.parametrize(
    ("name", "old", "new", "where"),
    [
        ("cases/02-tweede-case.md", "Later gebeurde", "Later (\u6f22) gebeurde", "content/cases/02-tweede-case.md:14:8"),
        ("inleiding.md", "title: Inleiding", "title: Inleiding \u6f22", "content/inleiding.md:2:18"),
    ],
)
def test_a_character_missing_from_the_fonts_is_an_error_at_its_place(project, name, old, new, where):
    path = project / "content" / name
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    with pytest.raises(PublisherError) as raised:
        api.build(project, formats=("pdf",))
    assert [str(d) for d in raised.value.diagnostics.items] == [
        f"{where}: error[R402]: character U+6F22 '\u6f22' is not in the layout's fonts"
    ]


@pytest.mark.weasyprint_warnings
def test_a_stylesheet_mistake_names_the_stylesheet_line_and_column(project):
    css = project / "layouts" / "css" / "print.css"
    lines = css.read_text("utf-8").count("\n")
    css.write_text(css.read_text("utf-8") + "p { colr: red; }\n", "utf-8")
    with pytest.raises(PublisherError) as raised:
        api.build(project, formats=("pdf",))
    assert [str(d) for d in raised.value.diagnostics.items] == [
        f"layouts/css/print.css:{lines + 1}:5: error[R401]: Ignored `colr: red`, unknown property."
    ]


def test_inline_code_is_set_in_the_layout_s_monospace(project):
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8").replace("Later gebeurde", "Typ `publisher check` en later gebeurde"), "utf-8")
    api.build(project, formats=("pdf",))
    names = {row["name"].split("+")[1] for row in fonts(project / "build" / "proefreeks.pdf")}
    assert "Noto-Sans-Mono" in names or any(name.startswith("NotoSansMono") for name in names), names


def _artifacts(path, index):
    with pikepdf.open(path) as pdf:
        operators = pikepdf.parse_content_stream(pdf.pages[index])
        return sum(1 for operands, op in operators if str(op) in ("BDC", "BMC") and str(operands[0]) == "/Artifact")


def test_the_concept_mark_is_on_every_page_and_an_artifact(project, tmp_path):
    from .pdf_tools import text_pages

    api.build(project, formats=("pdf",), volumes=("eerste-case",), out_dir=tmp_path / "concept")
    concept = tmp_path / "concept" / "offprints" / "eerste-case.pdf"
    pages = text_pages(concept)
    assert all("CONCEPT" in page for page in pages[1:]), pages
    case = project / "content" / "cases" / "01-eerste-case.md"
    case.write_text(case.read_text("utf-8").replace("status: concept", "status: definitief"), "utf-8")
    api.build(project, formats=("pdf",), volumes=("eerste-case",), out_dir=tmp_path / "final")
    final = tmp_path / "final" / "offprints" / "eerste-case.pdf"
    assert not any("CONCEPT" in page for page in text_pages(final))
    # the mark adds two artifacts to the page (its margin box, and its text: pdftags turns
    # the text WeasyPrint tags but leaves out of the tree into a pagination artifact); the
    # tagged text gains only the notice at the opening (a paragraph and its span)
    with pikepdf.open(concept) as a, pikepdf.open(final) as b:  # the opening page of the case in both
        index = destinations(a)["eerste-case"]
        assert destinations(b)["eerste-case"] == index
    assert _artifacts(concept, index) == _artifacts(final, index) + 2
    with pikepdf.open(concept) as a, pikepdf.open(final) as b:
        assert len(list(_struct_kids(a.Root.StructTreeRoot))) == len(list(_struct_kids(b.Root.StructTreeRoot))) + 2


def _struct_kids(node):
    if isinstance(node, pikepdf.Dictionary):
        yield node.get("/S")
        kids = node.get("/K")
        if kids is not None:
            yield from _struct_kids(kids)
    elif isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _struct_kids(kid)


def test_a_print_rendition_of_an_offprint_by_configuration(project, tmp_path):
    path = project / "content" / "publication.yaml"
    path.write_text(
        path.read_text("utf-8") + "volumes:\n  - kind: offprints\n    manuscripts: [cases/02-tweede-case.md]\n    renditions: [pdf-print]\n",
        "utf-8",
    )
    result = api.build(project, out_dir=tmp_path / "out")
    assert sorted(o.path for o in result.outputs) == ["offprints/tweede-case-print.pdf"]
    with pikepdf.open(tmp_path / "out" / "offprints" / "tweede-case-print.pdf") as pdf:
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert all("/BleedBox" in page and "/TrimBox" in page for page in pdf.pages)


def test_raster_figures_go_to_the_print_shop_in_cmyk(project, tmp_path):
    tmp_path = tmp_path / "out"
    from PIL import Image

    Image.new("RGB", (1200, 600), "#1f4e79").save(project / "content" / "images" / "foto.png", dpi=(300, 300))
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8") + '\n![Een blauw vlak.](images/foto.png "Een foto.")\n', "utf-8")
    api.build(project, formats=("pdf",), volumes=("tweede-case",), out_dir=tmp_path)
    spaces = set()
    with pikepdf.open(tmp_path / "offprints" / "tweede-case.pdf") as screen:
        spaces |= {("screen", str(x.ColorSpace)) for p in screen.pages for x in p.Resources.get("/XObject", {}).values() if x.Subtype == "/Image"}
    path = project / "content" / "publication.yaml"
    path.write_text(path.read_text("utf-8") + "volumes:\n  - kind: offprints\n    renditions: [pdf-print]\n", "utf-8")
    api.build(project, formats=("pdf",), volumes=("tweede-case",), out_dir=tmp_path)
    with pikepdf.open(tmp_path / "offprints" / "tweede-case-print.pdf") as printed:
        spaces |= {("print", str(x.ColorSpace)) for p in printed.pages for x in p.Resources.get("/XObject", {}).values() if x.Subtype == "/Image"}
    assert spaces == {("screen", "/DeviceRGB"), ("print", "/DeviceCMYK")}


def test_rgb_in_the_print_shop_pdf_is_an_error_naming_the_page(project):
    sheet = project / "layouts" / "css" / "print-x.css"
    sheet.write_text(sheet.read_text("utf-8") + "\n.kicker { color: #ff0000 !important; }\n", "utf-8")
    with pytest.raises(PublisherError) as raised:
        api.build(project, formats=("pdf",), volumes=("reader",))
    problems = [str(d) for d in raised.value.diagnostics.items]
    assert problems and all(": error[R415]: page " in p for p in problems)
    assert any("(in 'Eerste case') holds a colour set in DeviceRGB (rg)" in p for p in problems), problems
    assert not (project / "build" / "proefreeks-print.pdf").exists()


def test_a_relayout_of_the_same_inputs_starts_from_the_settled_layout(project, monkeypatch):
    from publisher import pdf as writer

    passes = []
    real = writer._render
    monkeypatch.setattr(writer, "_render", lambda *a, **k: passes.append(1) or real(*a, **k))
    api.build(project, formats=("pdf",), volumes=("reader",))
    cold = len(passes)
    target = project / "build" / "proefreeks.pdf"
    first = target.read_bytes()
    kept = list((project / "build" / ".cache" / "layouts").glob("proefreeks-*.json"))
    # the contents' page numbers take the screen PDF a second layout; the print PDF reuses it
    assert len(kept) == 1 and cold >= 3
    target.unlink()  # gone: rebuilt, from the same inputs
    passes.clear()
    api.build(project, formats=("pdf",), volumes=("reader",))
    assert len(passes) == 1 and target.read_bytes() == first  # one layout (the print PDF is unchanged), same bytes
    # an image changes the pages: the kept layout is not used for it
    image = project / "content" / "images" / "staaf.svg"
    image.write_text(image.read_text("utf-8").replace('viewBox="0 0 300 120" width="300" height="120"', 'viewBox="0 0 300 240" width="300" height="240"'), "utf-8")
    passes.clear()
    api.build(project, formats=("pdf",), volumes=("reader",))
    assert len(passes) >= 3


# --- The apparatus of the series' reader, on the real PDF (issue 11, part 5) ---------------

MM = 72 / 25.4


def _words(pdf_path, number: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) on one page (1-based; a printed page number for the
    screen PDF, which leaves blank pages out: none there), as pdftotext -bbox reads them."""
    index_of = getattr(pdf_path, "index_of", None)
    if index_of is not None:
        if number not in index_of:
            return []
        number = index_of[number]
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(float(a), float(b), float(c), float(d), html_unescape(w)) for a, b, c, d, w in found]


def html_unescape(text: str) -> str:
    import html as _html

    return _html.unescape(text)


def _area(words, top: float, bottom: float) -> str:
    return " ".join(w for _, y0, _, y1, w in words if y0 >= top and y1 <= bottom)


@pytest.fixture(scope="module")
def series_reader(series_build):
    from lxml import html as lxml_html

    project, _ = series_build
    path = project / "build" / "smart-society-cases.pdf"
    document = lxml_html.parse(str(project / "build" / "html" / "index.html")).getroot()
    with pikepdf.open(path) as pdf:
        # the screen PDF leaves blank pages out: pages are named by their printed number
        # (the page label), and ``dests`` gives that number less one, as for a PDF index
        labels = [page.label for page in pdf.pages]
        dests = {name: int(labels[index]) - 1 for name, index in destinations(pdf).items() if labels[index].isdigit()}
        height = float(pdf.pages[0].MediaBox[3])
    index_of = {int(label): index + 1 for index, label in enumerate(labels) if label.isdigit()}
    return _Labelled(path, index_of), document, dests, height, len(labels)


class _Labelled(type(Path())):
    """The screen PDF, with the PDF page (1-based) of each printed page number."""

    def __new__(cls, path, index_of):
        made = super().__new__(cls, path)
        made.index_of = index_of
        return made


@pytest.mark.slow
def test_running_heads_name_the_case_on_the_verso_and_the_section_on_the_recto(series_reader):
    path, document, dests, height, count = series_reader
    manuscripts = document.xpath("//section[@data-part='manuscript']")
    starts = [dests[m.get("id")] + 1 for m in manuscripts]
    ends = starts[1:] + [dests["bronnen"] + 1]
    checked = {"verso": 0, "recto": 0, "opening": 0}
    for section, first, end in zip(manuscripts, starts, ends):
        label = section.xpath("string(.//p[@class='kicker'])")
        title = " ".join(section.xpath("string(.//h1)").split())
        h2s = [(dests[h.get("id")] + 1, " ".join(h.text_content().split())) for h in section.xpath("./h2[@id]")]
        for number in range(first, end):
            words = _words(path, number)
            if [w for *_, w in words] in ([], ["CONCEPT"]):
                continue  # a blank page: no running head, no folio (the concept mark only)
            head = _area(words, 0, 18 * MM)
            foot = _area(words, height - 20 * MM, height)
            if number == first:
                assert head == "", (number, head)  # an opening: no running head …
                assert str(number) in foot.split(), (number, foot)  # … but a folio at its foot
                checked["opening"] += 1
            elif number % 2 == 0:
                assert head == (f"{label} · {title}" if label else title), (number, head)
                checked["verso"] += 1
            else:
                on_page = [t for p, t in h2s if p == number]
                before = [t for p, t in h2s if p < number]
                expected = on_page[0] if on_page else (before[-1] if before else title)
                assert head == expected, (number, head, expected)
                checked["recto"] += 1
            if number != first:
                assert str(number) in foot.split(), (number, foot)
    assert checked["opening"] == len(manuscripts) and checked["verso"] > 25 and checked["recto"] > 25, checked
    # the back matter: no head on its opening pages, the part's name on the pages after
    for ident, name in (("bronnen", "Bronnen"), ("register", "Register")):
        first = dests[ident] + 1
        assert _area(_words(path, first), 0, 18 * MM) == ""
        assert _area(_words(path, first + 1), 0, 18 * MM) == name


@pytest.mark.slow
def test_blank_pages_of_the_reader_carry_no_running_head_or_folio(series_reader):
    path = series_reader[0].parent / "smart-society-cases-print.pdf"  # the screen PDF has no blank pages
    pages = text_pages(path)
    # a blank page holds at most the concept mark of a concept text (in the foot's middle)
    blank = [n for n, text in enumerate(pages, start=1) if not text.replace("CONCEPT", "").strip()]
    assert len(blank) >= 3  # the versos before openings
    for number in blank:
        assert [w for *_, w in _words(path, number)] in ([], ["CONCEPT"]), number


@pytest.mark.slow
def test_repeated_note_calls_are_set_like_first_calls(series_reader):
    path, document, dests, height, count = series_reader
    calls = document.xpath("//a[@role='doc-noteref']")
    sizes = {"first": [], "repeat": []}
    for call in calls:
        ident, number = call.get("id"), call.text.strip()
        page = dests[ident] + 1
        # a call is a word of its own, set smaller than the text (9.5 pt: 12.9 pt high) and
        # than captions (8 pt: 10.9 pt high; "Tabel 2" holds the digit of a call too)
        heights = [round(y1 - y0, 2) for _, y0, _, y1, w in _words(path, page) if w == number and y1 - y0 < 10.5]
        assert heights, (ident, page)
        sizes["repeat" if "repeat" in call.get("class") else "first"].extend(heights)
    assert len(sizes["repeat"]) >= 5
    everything = sizes["first"] + sizes["repeat"]
    common = max(set(everything), key=everything.count)
    # note text at 7.5 pt may hold the same digits (10.2 pt high); calls are one size
    assert all(abs(h - common) < 0.05 for h in sizes["repeat"]), (common, sorted(set(sizes["repeat"])))


@pytest.mark.slow
def test_the_colophon_stands_at_the_foot_of_the_title_verso_with_the_publishers_lines(series_reader):
    path, document, dests, height, count = series_reader
    page = dests["colofon"] + 1
    assert page == dests["titelpagina"] + 2 and page % 2 == 0  # the back of the title page
    words = _words(path, page)
    text = " ".join(w for *_, w in words)
    for line in (
        "Tweede, herziene druk, 2026; eerste druk november 2019",
        "Opdrachtgever Vereniging Nederlandse Gemeenten (VNG)",
        "Tekst en redactie Redactie Smart society cases",
        "Letters Noto Serif en Noto Sans van Google, onder de SIL Open Font License 1.1",
        "Creative Commons Naamsvermelding 4.0 Internationaal (CC BY 4.0)",
        "Citeer als: Redactie Smart society cases (2026). Smart society cases, tweede, herziene druk. VNG en Waag.",
        "Aan deze uitgave kunnen geen rechten worden ontleend.",
    ):
        assert line in text, (line, text)
    for gone in ("Status van", "publicatiepijplijn", "editie"):
        assert gone not in text
    # unconfirmed facts are not printed
    assert "Druk " not in text.replace("druk,", "") and "Vormgeving" not in text
    # "CC BY 4.0" and "License 1.1" hold together on one line
    index = path.index_of[page]
    lines = subprocess.run(["pdftotext", "-layout", "-f", str(index), "-l", str(index), str(path), "-"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert any("(CC BY 4.0)" in line for line in lines) and any("License 1.1" in line for line in lines)
    body = [y1 for _, y0, _, y1, w in words if y1 < height - 20 * MM]
    assert max(body) > height - 24 * MM - 4 * MM, (max(body), height)  # its last line stands on the text block's foot


@pytest.mark.slow
def test_figures_and_tables_are_numbered_and_references_print_their_page(series_reader, series_build):
    path, document, dests, height, count = series_reader
    pages = text_pages(path)
    flat = [" ".join(p.split()) for p in pages]
    printed = {index: number for number, index in path.index_of.items()}
    captions = {}
    for index, text in enumerate(flat, start=1):
        if index not in printed:
            continue  # the cover
        number = printed[index]
        for kind, n in re.findall(r"(?:^| )(Figuur|Tabel) (\d+) [A-Z]", text):
            captions.setdefault((kind, int(n)), number)
    figures = sorted(n for k, n in captions if k == "Figuur")
    tables = sorted(n for k, n in captions if k == "Tabel")
    assert figures == list(range(1, len(figures) + 1)) and len(figures) >= 3, captions
    assert tables == list(range(1, len(tables) + 1)) and len(tables) >= 4, captions
    # numbered in reading order
    for kind in ("Figuur", "Tabel"):
        ordered = [captions[(kind, n)] for n in range(1, 10) if (kind, n) in captions]
        assert ordered == sorted(ordered)
    references = [(kind, int(n), int(page)) for text in flat for kind, n, page in re.findall(r"\(zie (figuur|tabel) (\d+) op p\. (\d+)\)", text)]
    assert len(references) >= 3, references
    for kind, n, page in references:
        assert captions[(kind.capitalize(), n)] == page, (kind, n, page, captions)
    # an offprint numbers its own
    project, _ = series_build
    offprint = [" ".join(p.split()) for p in text_pages(project / "build" / "offprints" / "hoe-sao-paulo-weer-grip-kreeg-op-uber.pdf")]
    assert any("(zie figuur 1 op p." in p for p in offprint) and not any("Figuur 3 " in p for p in offprint)
