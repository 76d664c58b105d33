"""Offprints of the real series: one PDF and one EPUB per manuscript, each as valid as the
reader, asserted on what the series build wrote."""

import subprocess
import zipfile

import pikepdf
import pytest
from lxml import etree

from .epub_tools import ace_violations, run_ace, run_epubcheck
from .pdf_tools import text_pages

pytestmark = pytest.mark.slow

SLUGS = [
    "over-deze-reeks",
    "open-de-black-box",
    "volg-jij-nog-waar-je-gevolgd-wordt",
    "digitale-identiteit-verdeel-en-beheers",
    "samen-meten-aan-luchtkwaliteit",
    "de-laadpaal-is-niet-neutraal",
    "data-organiseren-in-de-slimme-samenleving",
    "digitale-besluitvorming-in-een-mensenwereld",
    "wat-is-toegankelijke-publieke-dienstverlening",
    "hoe-sao-paulo-weer-grip-kreeg-op-uber",
]
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/", "x": "http://www.w3.org/1999/xhtml"}


def test_every_manuscript_has_an_offprint_in_the_manifest(series_build):
    project, result = series_build
    paths = {o.path for o in result.outputs}
    for slug in SLUGS:
        assert f"build/offprints/{slug}.pdf" in paths and f"build/offprints/{slug}.epub" in paths, slug
        assert f"build/offprints/{slug}-print.pdf" not in paths  # a print rendition only by configuration


@pytest.mark.parametrize("slug", SLUGS)
def test_offprint_epub_passes_epubcheck(series_build, slug):
    project, _ = series_build
    totals, text = run_epubcheck(project / "build" / "offprints" / f"{slug}.epub")
    assert totals == {"fatal": 0, "error": 0, "warning": 0, "info": 0}, text


@pytest.mark.ace
@pytest.mark.parametrize("slug", SLUGS)
def test_offprint_epub_passes_ace(series_build, tmp_path, slug):
    project, _ = series_build
    report = run_ace(project / "build" / "offprints" / f"{slug}.epub", tmp_path / "ace")
    assert ace_violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"


@pytest.mark.parametrize("slug", SLUGS)
def test_offprint_pdf_is_tagged_and_sound(series_build, slug):
    project, _ = series_build
    path = project / "build" / "offprints" / f"{slug}.pdf"
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout + check.stderr
    with pikepdf.open(path) as pdf:
        assert pdf.Root.Lang == "nl"
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert all(page.Tabs == "/S" for page in pdf.pages if "/Annots" in page)
        xmp = pdf.open_metadata()
        assert xmp.get("pdfuaid:part") == "1"


def test_offprint_names_the_series_and_its_place_and_cites_itself(series_build):
    project, _ = series_build
    pages = text_pages(project / "build" / "offprints" / "samen-meten-aan-luchtkwaliteit.pdf")
    cover = " ".join(pages[0].split())
    assert "CASE 3 UIT DE REEKS SMART SOCIETY CASES" in cover.upper() and "Samen meten aan luchtkwaliteit" in cover
    colophon = " ".join(next(p for p in pages if "Colofon" in p).split())
    assert "Tweede, herziene druk, 2026; eerste druk november 2019" in colophon
    assert "Creative Commons" in colophon
    assert "Redactie Smart society cases (2026). Samen meten aan luchtkwaliteit. Case 3 in de reeks Smart society cases, tweede, herziene druk. VNG en Waag." in colophon
    changes = " ".join(next(p for p in pages if "Wijzigingen in deze druk" in p).split())
    assert "Case 3: Samen meten aan luchtkwaliteit (naschrift)" in changes
    assert "Case 4" not in changes  # only the changes to this offprint's text


def test_a_cross_reference_to_another_case_reads_as_a_reference_to_the_series(series_build):
    project, _ = series_build
    text = " ".join(" ".join(text_pages(project / "build" / "offprints" / "de-laadpaal-is-niet-neutraal.pdf")).split())
    assert "(zie case 3, ‘Samen meten aan luchtkwaliteit’, in de reeks Smart society cases)" in text
    with zipfile.ZipFile(project / "build" / "offprints" / "de-laadpaal-is-niet-neutraal.epub") as archive:
        chapter = etree.fromstring(archive.read("EPUB/text/de-laadpaal-is-niet-neutraal.xhtml"))
    hrefs = chapter.xpath("//x:a/@href", namespaces=NS)
    # no link to a document the offprint does not have: the text's page in the web edition
    # (web.base_url in publication.yaml) instead
    assert [h for h in hrefs if "samen-meten" in h] == ["https://www.vng.nl/smart-society-cases/samen-meten-aan-luchtkwaliteit.html"]
    # in the reader the same reference is a link with its page
    reader = " ".join(" ".join(text_pages(project / "build" / "smart-society-cases.pdf")).split())
    assert "in de reeks Smart society cases)" not in reader.split("Colofon")[-1]


def test_offprint_epub_metadata_places_it_in_the_series(series_build):
    project, _ = series_build
    with zipfile.ZipFile(project / "build" / "offprints" / "samen-meten-aan-luchtkwaliteit.epub") as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        cover = etree.fromstring(archive.read("EPUB/text/cover.xhtml")).xpath("string(//*[local-name()='img']/@alt)")
    metadata = opf.find("opf:metadata", NS)
    assert metadata.findtext("dc:title", namespaces=NS) == "Samen meten aan luchtkwaliteit"
    assert metadata.findtext("dc:identifier", namespaces=NS).startswith("urn:uuid:")
    assert metadata.findtext("dc:date", namespaces=NS) == "2019-11-01"
    assert metadata.xpath("string(opf:meta[@property='dcterms:modified'])", namespaces=NS).startswith("2026-12-01")
    assert metadata.xpath("string(opf:meta[@property='belongs-to-collection'])", namespaces=NS) == "Smart society cases"
    assert metadata.xpath("string(opf:meta[@property='group-position'])", namespaces=NS) == "3"
    # the raster cover is drawn from the same data; its text alternative names the place
    assert cover.startswith("Omslag: Case 3 uit de reeks Smart society cases. Samen meten aan luchtkwaliteit")


def test_offprints_have_identifiers_of_their_own(series_build):
    project, _ = series_build
    identifiers = set()
    for slug in SLUGS:
        with zipfile.ZipFile(project / "build" / "offprints" / f"{slug}.epub") as archive:
            opf = etree.fromstring(archive.read("EPUB/content.opf"))
        identifiers.add(opf.findtext("opf:metadata/dc:identifier", namespaces=NS))
    assert len(identifiers) == len(SLUGS)


def test_every_page_of_a_concept_text_carries_the_concept_mark(series_build):
    project, _ = series_build
    path = project / "build" / "offprints" / "samen-meten-aan-luchtkwaliteit.pdf"
    pages = text_pages(path)
    assert all("CONCEPT" in page for page in pages[1:]), [i for i, p in enumerate(pages) if "CONCEPT" not in p]
    with zipfile.ZipFile(project / "build" / "offprints" / "samen-meten-aan-luchtkwaliteit.epub") as archive:
        chapter = archive.read("EPUB/text/samen-meten-aan-luchtkwaliteit.xhtml").decode("utf-8")
    assert "Concept: deze tekst is nog niet definitief" in chapter
