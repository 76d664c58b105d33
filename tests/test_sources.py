"""Sources as data: content/sources.yaml, [@key] citations in notes, house-style rendering."""

import shutil

import pytest
from lxml import html

from publisher import api
from publisher.errors import PublisherError
from publisher.sources import Bibliography, Source, bibliography_html, scan_citations

from .conftest import ROOT

SOURCES = """\
ap-wifi-2018:
  organisation: Autoriteit Persoonsgegevens
  title: Wifi-tracking & winkels
  year: 2018
  date: 2018-11-07
  url: https://autoriteitpersoonsgegevens.nl/
  consulted: 2026-12-01
  language: nl
mac-adres:
  organisation: Wikipedia
  title: MAC-adres
  year: z.j.
  url: https://nl.wikipedia.org/wiki/MAC-adres
  consulted: 2026-12-01
  language: nl
vng-jaarverslag:
  author: [Jan Jansen, Piet Pietersen]
  title: Jaarverslag
  container: VNG Magazine
  year: 2019
  url: offline
  language: nl
"""


def with_sources(project, sources=SOURCES):
    (project / "content" / "sources.yaml").write_text(sources, "utf-8")
    case = project / "content" / "cases" / "01-eerste-case.md"
    text = case.read_text("utf-8")
    text = text.replace(
        "[^a]: Autoriteit Persoonsgegevens, *Wifi-tracking*, 2018. <https://autoriteitpersoonsgegevens.nl/>",
        "[^a]: [@ap-wifi-2018, p. 4].",
    ).replace("[^b]: Wikipedia, *MAC-adres*, 2020.", "[^b]: Zie [@mac-adres; @vng-jaarverslag].")
    case.write_text(text, "utf-8")
    intro = project / "content" / "inleiding.md"
    intro.write_text(intro.read_text("utf-8").replace("[^vng]: VNG, *Jaarverslag*, 2019. <https://vng.nl/>", "[^vng]: [@ap-wifi-2018]"), "utf-8")
    shutil.copytree(ROOT / "layouts", project / "layouts", dirs_exist_ok=True)
    return project


def codes(project):
    try:
        publication = api.check(project)
    except PublisherError as error:
        return [(d.code, str(d.location)) for d in error.diagnostics.sorted()], None
    return [(d.code, str(d.location)) for d in publication.diagnostics.sorted()], publication


def note_texts(publication, slug):
    root = publication.entry(slug).body.root
    def text(li):  # the note without its ways back to the text
        return "".join(t for t in li.xpath(".//text()") if t.getparent().get("role") != "doc-backlink" or t.is_tail)

    return [" ".join(text(li).split()) for li in root.iter("li") if (li.get("id") or "").startswith(f"{slug}--fn-")]


def test_citations_render_in_the_house_style_and_the_same_everywhere(project):
    found, publication = codes(with_sources(project))
    assert found == []
    notes = note_texts(publication, "eerste-case")
    assert notes[0] == "Autoriteit Persoonsgegevens, Wifi-tracking & winkels, 7 november 2018, p. 4. https://autoriteitpersoonsgegevens.nl/."
    assert notes[1] == (
        "Zie Wikipedia, MAC-adres, z.j. https://nl.wikipedia.org/wiki/MAC-adres; "
        "Jan Jansen en Piet Pietersen, Jaarverslag, VNG Magazine, 2019."
    )
    # the same source in another manuscript reads the same (without the locator)
    assert note_texts(publication, "inleiding")[0] == (
        "Autoriteit Persoonsgegevens, Wifi-tracking & winkels, 7 november 2018. https://autoriteitpersoonsgegevens.nl/."
    )
    # the title is in italics and the address is a link
    note = publication.entry("inleiding").body.root.xpath("//li[@id='inleiding--fn-1']")[0]
    assert note.xpath("string(.//i)") == "Wifi-tracking & winkels"
    assert note.xpath(".//a[@class='external']/@href") == ["https://autoriteitpersoonsgegevens.nl/"]
    assert publication.entry("eerste-case").body.citations == ("ap-wifi-2018", "mac-adres", "vng-jaarverslag")
    assert publication.entry("inleiding").body.citations == ("ap-wifi-2018",)


def test_bibliography_for_a_set_of_keys_is_sorted_and_complete(project):
    _, publication = codes(with_sources(project))
    fragment = html.fragment_fromstring(bibliography_html(publication.bibliography, ["mac-adres", "ap-wifi-2018", "vng-jaarverslag"]))
    items = [" ".join(li.text_content().split()) for li in fragment.iter("li")]
    assert items == [
        "Autoriteit Persoonsgegevens, Wifi-tracking & winkels, 7 november 2018. https://autoriteitpersoonsgegevens.nl/ (geraadpleegd op 1 december 2026).",
        "Jan Jansen en Piet Pietersen, Jaarverslag, VNG Magazine, 2019.",
        "Wikipedia, MAC-adres, z.j. https://nl.wikipedia.org/wiki/MAC-adres (geraadpleegd op 1 december 2026).",
    ]
    assert bibliography_html(publication.bibliography, ["onbekend"]) == ""


def test_every_volume_ends_with_its_own_sources(project):
    from publisher.assemble import assemble
    from publisher.volumes import plan

    _, publication = codes(with_sources(project))
    reader, inleiding, eerste, tweede = plan(publication)
    root = html.fromstring(assemble(publication, reader).html)
    section = root.xpath("//section[@id='bronnen']")[0]
    assert section.findtext("h2") == "Bronnen"
    assert len(section.xpath(".//ol[@class='sources']/li")) == 3
    # listed in the table of contents, before the index
    toc = [a.get("href") for a in root.xpath("//nav//li[@class='toc-back']/a")]
    assert toc == ["#bronnen", "#register"]
    # an offprint lists only the sources its own text cites
    offprint = html.fromstring(assemble(publication, inleiding).html)
    assert [e.body.citations for e in inleiding.entries] == [("ap-wifi-2018",)]
    assert len(offprint.xpath("//section[@id='bronnen']//ol[@class='sources']/li")) == 1
    assert assemble(publication, inleiding).structure.sections[-1].part == "sources"


def test_unknown_key_is_an_error_at_its_place(project):
    with_sources(project)
    case = project / "content" / "cases" / "01-eerste-case.md"
    case.write_text(case.read_text("utf-8").replace("[@ap-wifi-2018, p. 4]", "[@ap-wifi-2099, p. 4]"), "utf-8")
    found, _ = codes(project)
    line = next(i for i, l in enumerate(case.read_text("utf-8").split("\n"), 1) if "ap-wifi-2099" in l)
    assert ("C501", f"content/cases/01-eerste-case.md:{line}:7") in found


@pytest.mark.parametrize(
    "drop, code",
    [("  title: MAC-adres\n", "C502"), ("  consulted: 2026-12-01\n  language: nl\nvng", "C502"), ("  year: z.j.\n", "C502")],
)
def test_a_source_lacking_a_required_field_is_an_error_in_sources_and_at_the_citation(project, drop, code):
    sources = SOURCES.replace(drop, "vng" if drop.endswith("vng") else "")
    found, _ = codes(with_sources(project, sources))
    assert (code, "content/sources.yaml:9:1") in found
    assert any(c == "C502" and where.startswith("content/cases/01-eerste-case.md:") for c, where in found)


@pytest.mark.parametrize(
    "old, new",
    [("year: z.j.", "year: ongeveer 2019"), ("url: offline", "url: vng.nl"), ("language: nl\nvng", "language: Nederlands\nvng"), ("language: nl\nvng", "languag: nl\nvng")],
)
def test_a_field_of_the_wrong_form_is_an_error(project, old, new):
    found, _ = codes(with_sources(project, SOURCES.replace(old, new)))
    assert any(c in ("C503", "C502") and where.startswith("content/sources.yaml:") for c, where in found), found
    assert "C503" in {c for c, _ in found}


def test_unreadable_sources_file(project):
    found, _ = codes(with_sources(project, "ap: [unclosed\n"))
    assert ("C500", "content/sources.yaml:1:5") in found


def test_citation_outside_a_note_and_malformed_citation(project):
    with_sources(project)
    case = project / "content" / "cases" / "01-eerste-case.md"
    text = case.read_text("utf-8")
    case.write_text(text.replace("[^a]: [@ap-wifi-2018, p. 4].", "[^a]: [@AP wifi]."), "utf-8")
    intro = project / "content" / "inleiding.md"
    intro.write_text(intro.read_text("utf-8").replace("Dat roept vragen op.", "Dat roept vragen op [@mac-adres]."), "utf-8")
    found, _ = codes(project)
    assert "C505" in {c for c, _ in found}
    assert ("C504", "content/inleiding.md:15:57") in found


def test_a_note_that_cites_nothing_and_a_source_cited_nowhere_are_warnings(project):
    with_sources(project, SOURCES + "ongebruikt:\n  organisation: X\n  title: Y\n  year: 2019\n  url: offline\n  language: nl\n")
    intro = project / "content" / "inleiding.md"
    intro.write_text(intro.read_text("utf-8").replace("[^vng]: [@ap-wifi-2018]", "[^vng]: VNG, jaarverslag over 2019."), "utf-8")
    found, publication = codes(project)
    assert publication is not None  # warnings only
    assert ("C506", "content/inleiding.md:19:1") in found
    assert ("C508", "content/sources.yaml:23:1") in found


def test_missing_style_is_an_error(project):
    with_sources(project)
    (project / "layouts" / "csl" / "smart-society-cases.csl").unlink()
    found, _ = codes(project)
    assert ("C507", "layouts/csl/smart-society-cases.csl") in found


def test_scan_knows_which_citations_are_in_notes():
    body = "Tekst [@a].\n\n[^n]: Eerst [@b, p. 3].\n    vervolg [@c]\n\nNieuwe alinea [@d].\n"
    uses, malformed, uncited = scan_citations(body, 10)
    assert [(u.items, u.in_note, u.at.line) for u in uses] == [
        ((("a", None),), False, 10),
        ((("b", "p. 3"),), True, 12),
        ((("c", None),), True, 13),
        ((("d", None),), False, 15),
    ]
    assert malformed == [] and uncited == []


def test_the_series_bibliography_is_complete_and_every_note_cites_it():
    publication = api.check(ROOT)
    bibliography = publication.bibliography
    assert bibliography.in_use and bibliography.sources
    assert all(source.complete for source in bibliography.sources.values())
    assert not [d for d in publication.diagnostics.items if d.code.startswith("C")]


def test_a_page_that_starts_inside_a_web_address_is_found_in_the_epub_text():
    # the print sets zero-width spaces in web addresses (pdf.py); the EPUB text has none
    from lxml import etree

    from publisher.pagebreaks import _insert_before_words

    item = etree.fromstring("<li>ElaadNL, <i>FlexPower</i>, z.j. <a>https://www.elaad.nl/projects/flexpower-amsterdam/</a>.</li>")
    marker = etree.Element("span", {"id": "page-88"})
    assert _insert_before_words(item, "z.j. https://www\u200b.elaad\u200b.nl\u200b/projects\u200b/flexpower\u200b-", marker)
    assert etree.tostring(item, encoding="unicode").startswith('<li>ElaadNL, <i>FlexPower</i>, <span id="page-88"/>z.j.')


def test_the_list_of_sources_files_dutch_names_under_their_main_word_and_numbers_in_order():
    sources = {
        "vk": {"organisation": "de Volkskrant", "title": "Artikel"},
        "parool": {"organisation": "Het Parool", "title": "Artikel"},
        "tweakers": {"organisation": "Tweakers", "title": "Artikel"},
        "r14": {"organisation": "CMUV", "title": "Resolução nº 14"},
        "r4": {"organisation": "CMUV", "title": "Resolução nº 4/2016"},
    }
    bibliography = Bibliography({k: Source(k, v, 1) for k, v in sources.items()})
    assert sorted(sources, key=bibliography.sort_key) == ["r4", "r14", "parool", "tweakers", "vk"]


def test_sources_of_a_refused_manuscript_are_not_called_uncited(project):
    with_sources(project)
    case = project / "content" / "cases" / "01-eerste-case.md"
    case.write_text(case.read_text("utf-8").replace("Tekst over de situatie.", "Tekst\u0000 over de situatie."), "utf-8")
    found, _ = codes(project)
    assert [code for code, _ in found] == ["M214"]  # not also C508 for the sources it cites
