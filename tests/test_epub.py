"""End-to-end: the fixture publication as EPUB, checked with EPUBCheck and read back."""

import io
import subprocess
import sys
import zipfile

import pytest
from lxml import etree

from publisher import api

from .epub_tools import run_epubcheck

NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(scope="module")
def epub_path(mini_build):
    project, _ = mini_build
    return project / "build" / "proefreeks.epub"


def package(path):
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".opf"))
        return etree.fromstring(archive.read(name)), archive.namelist(), {n: archive.read(n) for n in archive.namelist()}


def test_epubcheck_reports_nothing(epub_path):
    totals, text = run_epubcheck(epub_path)
    assert totals == {"fatal": 0, "error": 0, "warning": 0, "info": 0}, text


def test_zip_layout(epub_path):
    with zipfile.ZipFile(epub_path) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert {i.date_time for i in infos} == {(2020, 3, 15, 12, 0, 0)}


def test_spine_order_and_navigation(epub_path):
    opf, names, files = package(epub_path)
    manifest = {i.get("id"): i.get("href") for i in opf.iterfind("opf:manifest/opf:item", NS)}
    spine = [manifest[i.get("idref")] for i in opf.iterfind("opf:spine/opf:itemref", NS)]
    # the contents after the title page and the colophon, as in print
    assert spine == [
        "text/cover.xhtml",
        "text/titelpagina.xhtml",
        "text/colofon.xhtml",
        "nav.xhtml",
        "text/wijzigingen.xhtml",
        "text/inleiding.xhtml",
        "text/eerste-case.xhtml",
        "text/tweede-case.xhtml",
        "text/register.xhtml",
    ]
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    toc = nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)
    assert [a.get("href") for a in toc][:6] == ["text/titelpagina.xhtml", "text/colofon.xhtml", "text/wijzigingen.xhtml", "text/inleiding.xhtml", "text/inleiding.xhtml#inleiding--waarom-deze-reeks", "text/eerste-case.xhtml"]
    assert "Case 1: Eerste case" in [a.text for a in toc]
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert {"cover", "toc", "bodymatter"} <= set(landmarks)
    # the register points at whole texts: not claimed as an index anywhere
    assert "index" not in landmarks
    register = etree.fromstring(files["EPUB/text/register.xhtml"])
    assert not register.xpath("//*[@role='doc-index' or contains(concat(' ', @epub:type, ' '), ' index ')]", namespaces=NS)
    assert ("schema:accessibilityFeature", "index") not in {(m.get("property"), m.text) for m in opf.iterfind("opf:metadata/opf:meta", NS)}
    # an NCX for older reading systems, with the same entries as the navigation document
    assert opf.find("opf:spine", NS).get("toc") == "ncx"
    ncx = etree.fromstring(files["EPUB/toc.ncx"])
    labels = [t.text for t in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}text")]
    assert "Case 1: Eerste case" in labels


def test_package_metadata(epub_path):
    opf, _, _ = package(epub_path)
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    assert opf.findtext("opf:metadata/dc:identifier", namespaces=NS) == "urn:isbn:978-90-00-00000-5"
    metas = {(m.get("property"), m.text) for m in opf.iterfind("opf:metadata/opf:meta", NS)}
    assert ("schema:accessMode", "visual") in metas and ("schema:accessibilityFeature", "alternativeText") in metas
    summary = next(text for prop, text in metas if prop == "schema:accessibilitySummary")
    assert summary.startswith("Deze publicatie bevat 3 teksten met een inhoudsopgave")
    assert "De afbeelding heeft een tekstalternatief" in summary
    assert "De 3 voetnoten zijn in beide richtingen gelinkt met de plaats in de tekst, ook als een noot meer dan eens wordt aangeroepen" in summary
    # no claim of conformance outside a release (see test_a_release_claims_conformance_with_evaluator_and_report)
    assert not [p for p, _ in metas if p in ("dcterms:conformsTo", "a11y:certifiedBy")]
    assert "WCAG" not in summary and not opf.xpath("//opf:link[@rel='a11y:certifierReport']", namespaces=NS)
    # title and subtitle refined, creators with a MARC role and a sort name
    titles = {t.get("id"): t.text for t in opf.iterfind("opf:metadata/dc:title", NS)}
    assert titles == {"title": "Proefreeks", "subtitle": "Een kleine publicatie voor de tests"}
    refined = {(m.get("refines"), m.get("property")): (m.text, m.get("scheme")) for m in opf.iterfind("opf:metadata/opf:meta", NS) if m.get("refines")}
    assert refined[("#title", "title-type")] == ("main", None) and refined[("#subtitle", "title-type")] == ("subtitle", None)
    creator = opf.find("opf:metadata/dc:creator", NS)
    assert creator.text == "Testredactie"
    assert refined[(f"#{creator.get('id')}", "role")] == ("aut", "marc:relators")
    assert refined[(f"#{creator.get('id')}", "file-as")] == ("Testredactie", None)


def test_distribution_metadata_from_publication_yaml(project, tmp_path):
    config = project / "content" / "publication.yaml"
    text = config.read_text("utf-8")
    text = text.replace("    role: tekst\n", "    role: tekst\n    relator: edt\n    file_as: Redactie, Test\n")
    text = text.replace("      isbn: 978-90-00-00000-5\n", "      isbn: 978-90-00-00000-5\n      isbn_print: 978-94-6208-000-3\n")
    config.write_text(text + "blurb: Twee cases om de uitgeverij te testen.\n", "utf-8")
    api.build(project, formats=("pdf", "epub"), volumes=("reader",), out_dir=tmp_path / "out")
    opf, _, _ = package(tmp_path / "out" / "proefreeks.epub")
    assert opf.findtext("opf:metadata/dc:description", namespaces=NS) == "Twee cases om de uitgeverij te testen."
    refined = {(m.get("refines"), m.get("property")): m.text for m in opf.iterfind("opf:metadata/opf:meta", NS) if m.get("refines")}
    creator = opf.find("opf:metadata/dc:creator", NS).get("id")
    assert refined[(f"#{creator}", "role")] == "edt" and refined[(f"#{creator}", "file-as")] == "Redactie, Test"
    # the page-list's source is the print edition, named by its ISBN
    assert opf.xpath("string(//opf:meta[@property='pageBreakSource'])", namespaces=NS) == "urn:isbn:978-94-6208-000-3"


def test_content_documents_carry_language_and_semantics(epub_path):
    _, _, files = package(epub_path)
    doc = etree.fromstring(files["EPUB/text/eerste-case.xhtml"])
    assert doc.get("lang") == "nl" and doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    assert doc.xpath("//x:aside[@role='doc-pullquote']/@epub:type", namespaces=NS) == ["pullquote"]
    assert doc.xpath("//x:a[@role='doc-noteref']/@epub:type", namespaces=NS) == ["noteref", "noteref"]
    assert doc.xpath("//x:section[@role='doc-endnotes']/@epub:type", namespaces=NS) == ["endnotes"]
    # the SVG figure inline, named by its alt text, its ids kept apart from the document's
    assert doc.xpath("//x:img", namespaces=NS) == []
    svg = doc.xpath("//x:figure/svg:svg", namespaces={**NS, "svg": "http://www.w3.org/2000/svg"})
    assert len(svg) == 1 and svg[0].get("role") == "img" and svg[0].get("aria-label")
    assert all(i.startswith("svg-staaf-") for i in svg[0].xpath(".//@id"))
    # note items typed for pop-ups (EPUB SSV "footnote"; "endnote" is deprecated)
    typed = doc.xpath("//x:section[@role='doc-endnotes']/x:ol/x:li/x:div[@role='doc-footnote']", namespaces=NS)
    assert [(d.get(f"{{{NS['epub']}}}type"), d.get("id")) for d in typed] == [("footnote", "eerste-case--fn-1"), ("footnote", "eerste-case--fn-2")]
    intro = etree.fromstring(files["EPUB/text/inleiding.xhtml"])
    assert intro.xpath("//x:a[@class='xref']/@href", namespaces=NS) == ["eerste-case.xhtml", "tweede-case.xhtml#tweede-case--naschrift"]


def test_two_builds_are_byte_identical(project, tmp_path, monkeypatch):
    from .conftest import build_elsewhere

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    api.build(project, formats=("epub",), out_dir=tmp_path / "one")
    build_elsewhere(project, tmp_path / "two", "epub")
    for name in ("proefreeks.epub", "offprints/eerste-case.epub"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_building_only_the_epub_does_not_import_the_pdf_renderer(project):
    code = (
        "import sys; from publisher import api; "
        f"api.build({str(project)!r}, formats=('epub',)); "
        "print('weasyprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_epub_only_build_reuses_a_fresh_page_map_and_warns_without_one(project, tmp_path):
    out = tmp_path / "out"
    result = api.build(project, formats=("epub",), out_dir=out)
    assert [d.code for d in result.warnings] == ["R407"] * 4  # the reader and three offprints
    api.build(project, formats=("pdf",), out_dir=out)
    result = api.build(project, formats=("epub",), out_dir=out)
    assert result.warnings == []
    with zipfile.ZipFile(out / "proefreeks.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    assert nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    # an edit makes the page map stale: warned again, not silently wrong
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8") + "\nEen extra alinea.\n", "utf-8")
    result = api.build(project, formats=("epub",), out_dir=out)
    # only the volumes that hold the edited case: the reader and its offprint
    assert [(d.code, str(d.location)) for d in result.warnings] == [("R407", "proefreeks.epub"), ("R407", "offprints/tweede-case.epub")]


def test_cover_image_is_generated_from_the_publication(epub_path, tmp_path):
    from PIL import Image

    opf, _, files = package(epub_path)
    cover = opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)
    assert [(c.get("href"), c.get("media-type"), c.get("id")) for c in cover] == [("images/cover.png", "image/png", "cover-image")]
    # the EPUB 2 pointer to it, for older reading systems and shops
    assert opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS) == ["cover-image"]
    image = Image.open(io.BytesIO(files["EPUB/images/cover.png"]))
    assert max(image.size) >= 1600 and image.size == (1700, 2400)
    # drawn, not blank: the blue field over the whole page, white lettering, a teal square per case
    assert image.getpixel((50, 50)) == (0x1F, 0x4E, 0x79) and image.getpixel((1650, 50)) == (0x1F, 0x4E, 0x79)
    teal = [x for x in range(0, 1700, 10) for y in range(600, 1400, 10) if image.getpixel((x, y)) == (0x2A, 0x7F, 0x62)]
    assert teal, "the cases' squares"
    # white lettering where the title is drawn (x 20, baseline 46 of 170 × 240), none low on the blue field
    grey = image.convert("L")
    assert grey.crop((200, 360, 1100, 470)).getextrema()[1] > 200 and grey.crop((200, 1200, 1100, 1900)).getextrema()[1] < 100
    page = etree.fromstring(files["EPUB/text/cover.xhtml"])
    assert page.xpath("//x:img/@src", namespaces=NS) == ["../images/cover.png"]
    assert page.xpath("//x:img/@alt", namespaces=NS)[0].startswith("Omslag: Proefreeks")


def test_an_english_publication_builds_with_english_words_and_typography(project):
    config = project / "content" / "publication.yaml"
    config.write_text(config.read_text("utf-8").replace("language: nl", "language: en"), "utf-8")
    intro = project / "content" / "inleiding.md"
    intro.write_text(intro.read_text("utf-8").replace("Het is 's avonds \"laat\"", "It's 'tis the \"late\" hour"), "utf-8")
    case = project / "content" / "cases" / "01-eerste-case.md"
    case.write_text(case.read_text("utf-8").replace("Tabel: Sensoren per jaar.", "Table: Sensors per year."), "utf-8")
    result = api.build(project)
    assert result.warnings == []
    with zipfile.ZipFile(project / "build" / "proefreeks.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        intro_doc = etree.fromstring(archive.read("EPUB/text/inleiding.xhtml"))
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    assert nav.get("lang") == "en" and nav.findtext(".//x:h1", namespaces=NS) == "Contents"
    assert "It\u2019s \u2019tis the \u201clate\u201d hour" in intro_doc.xpath("string(//x:body)", namespaces=NS)
    summary = opf.xpath("//opf:meta[@property='schema:accessibilitySummary']/text()", namespaces=NS)[0]
    assert summary.startswith("This publication holds 3 texts")
    from .pdf_tools import text_pages

    text = " ".join(text_pages(project / "build" / "proefreeks.pdf"))
    assert "Contents" in text and "(see p." in " ".join(text.split()) and "Colophon" in text


def test_a_stylesheet_change_makes_the_page_map_stale(project, tmp_path):
    out = tmp_path / "out"
    api.build(project, formats=("pdf",), volumes=("eerste-case",), out_dir=out)
    assert api.build(project, formats=("epub",), volumes=("eerste-case",), out_dir=out).warnings == []
    sheet = project / "layouts" / "css" / "print.css"
    sheet.write_text(sheet.read_text("utf-8").replace("html { font-size: 9.5pt;", "html { font-size: 10.5pt;"), "utf-8")
    result = api.build(project, formats=("epub",), volumes=("eerste-case",), out_dir=out)
    assert [d.code for d in result.warnings] == ["R407"]  # not silently the old page numbers


def test_kept_font_subsets_give_the_same_epub_as_fresh_ones(project, tmp_path):
    api.build(project, formats=("epub",), volumes=("eerste-case",), out_dir=tmp_path / "warm")
    cold = (tmp_path / "warm" / "offprints" / "eerste-case.epub").read_bytes()
    assert list((tmp_path / "warm" / ".cache" / "fonts").iterdir())
    (tmp_path / "warm" / "offprints" / "eerste-case.epub").unlink()
    api.build(project, formats=("epub",), volumes=("eerste-case",), out_dir=tmp_path / "warm")
    assert (tmp_path / "warm" / "offprints" / "eerste-case.epub").read_bytes() == cold
