"""The web edition (build/web/): real pages, read back and checked in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html

from publisher import checks, web

pytestmark = pytest.mark.slow


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_axe_finds_no_violation_on_any_page_of_the_series(series_dist):
    """axe-core, WCAG 2.0/2.1 A and AA rules, on every page of the real series' web
    edition, at 1280 and at 320 px: run here again on the pages as they were written."""
    project, result = series_dist
    site = project / "build" / "web"
    names = tuple(p.name for p in _pages(site))
    assert len(names) >= 14  # series page, ten texts, colophon, changes, sources, index, statement
    found = checks.web_edition(site, names, checks.tools())
    assert [(r.target, r.problems) for r in found if not r.passed] == []
    # and the statement reports those same pages as checked
    reported = {c.target for c in result.checks if c.check == "axe"}
    assert reported == set(names)


def test_axe_finds_no_violation_on_any_page_of_the_fixture(mini_dist):
    project, result = mini_dist
    axe_results = [c for c in result.checks if c.check == "axe"]
    assert {c.target for c in axe_results} == {p.name for p in _pages(project / "build" / "web")}
    assert [c.problems for c in axe_results if not c.passed] == []


def test_every_page_has_language_skip_link_navigation_and_no_script(series_dist):
    project, _ = series_dist
    for path in _pages(project / "build" / "web"):
        root = html.parse(str(path)).getroot()
        assert root.get("lang") == "nl", path.name
        assert not root.xpath("//script"), path.name
        assert not root.xpath("//@*[starts-with(name(), 'on')]"), path.name  # no event handlers either
        skip = root.xpath("//body/*[1]")[0]
        assert skip.tag == "a" and skip.get("href") == "#inhoud-van-de-pagina", path.name
        assert root.xpath("//main[@id='inhoud-van-de-pagina']"), path.name
        assert root.xpath("//nav[@aria-label]"), path.name
        canonical = root.xpath("//link[@rel='canonical']/@href")
        assert canonical == [f"https://www.vng.nl/smart-society-cases/{path.name}"]


def test_links_are_relative_and_reach_their_targets(series_dist):
    """Opened from disk or any host: every link inside the site is relative and points at
    a file and an id that exist; nothing is loaded from elsewhere."""
    project, _ = series_dist
    site = project / "build" / "web"
    ids = {p.name: set(html.parse(str(p)).getroot().xpath("//@id")) for p in _pages(site)}
    checked = 0
    for path in _pages(site):
        root = html.parse(str(path)).getroot()
        for element in root.xpath("//*[@src] | //link[@href]"):
            value = element.get("src") or element.get("href")
            if element.get("rel") == "canonical":
                continue
            assert not urlsplit(value).scheme and not value.startswith("/"), (path.name, value)
            assert (site / value).is_file(), (path.name, value)
        for link in root.xpath("//a[@href]"):
            href = link.get("href")
            parts = urlsplit(href)
            if parts.scheme:
                continue  # sources, licence, mail: outside the site on purpose
            page = parts.path or path.name
            assert not page.startswith("/"), (path.name, href)
            assert (site / page).is_file(), (path.name, href)
            if parts.fragment and page.endswith(".html"):
                assert parts.fragment in ids[page], (path.name, href)
            checked += 1
    assert checked > 500


def test_a_manuscript_page_has_its_notes_inline_figures_tables_and_cross_references(series_dist):
    project, _ = series_dist
    site = project / "build" / "web"
    page = html.parse(str(site / "volg-jij-nog-waar-je-gevolgd-wordt.html")).getroot()
    assert page.xpath("//h1")[0].text_content().startswith("Volg jij nog")
    svg = page.xpath("//figure/svg")
    assert svg and svg[0].get("role") == "img" and len(svg[0].get("aria-label")) > 50
    assert not page.xpath("//img[contains(@src, '.svg')]")  # figures are inline, not linked
    notes = page.xpath("//section[@role='doc-endnotes']//li[@id]")
    assert len(notes) > 5
    calls = page.xpath("//a[@role='doc-noteref']/@href")
    assert calls and all(c.startswith("#") for c in calls)
    # a cross-reference to another text is a link to its page
    series = set()
    for path in _pages(site):
        for href in html.parse(str(path)).getroot().xpath("//main//a[@class='xref']/@href"):
            if not href.startswith("#"):
                series.add(href.split("#")[0])
    assert {"de-laadpaal-is-niet-neutraal.html", "volg-jij-nog-waar-je-gevolgd-wordt.html"} & series
    tables = html.parse(str(site / "digitale-identiteit-verdeel-en-beheers.html")).getroot().xpath("//table[caption]//th[@scope='col']")
    assert tables


def test_the_languages_of_the_intermediate_are_kept(series_dist):
    """Every element with a language in the reader's intermediate has it on its page too
    (the manuscripts mark languages per text; phrases have none to carry yet)."""
    project, _ = series_dist
    intermediate = html.parse(str(project / "build" / "html" / "index.html")).getroot()
    wanted = sorted((e.get("id"), e.get("lang")) for e in intermediate.xpath("//main//*[@lang][@id]"))
    found = []
    for path in _pages(project / "build" / "web"):
        found += [(e.get("id"), e.get("lang")) for e in html.parse(str(path)).getroot().xpath("//main//*[@lang][@id]") if e.get("id") in dict(wanted)]
    assert wanted and sorted(found) == wanted


def test_the_series_page_offers_every_volume_with_format_size_pages_and_accessibility(series_dist):
    project, result = series_dist
    site = project / "build" / "web"
    root = html.parse(str(site / "index.html")).getroot()
    volumes = root.xpath("//section[@id='downloads']//li[@class='volume']")
    assert len(volumes) == len(result.build.volumes) == 11
    for volume in volumes:
        links = volume.xpath(".//ul[@class='download-list']/li")
        kinds = [li.xpath("./a/@type")[0] for li in links]
        assert kinds == ["application/pdf", "application/epub+zip"]
        for li in links:
            href = li.xpath("./a/@href")[0]
            size = (site / href).stat().st_size
            facts = li.xpath(".//span[@class='download-facts']")[0].text_content()
            assert re.search(r"\d+(,\d)? (kB|MB)", facts), facts
            if href.endswith(".pdf"):
                assert re.search(r"\d+ pagina's", facts), facts
            assert li.xpath(".//details/p")[0].text_content().strip(), href
            assert size > 10_000
        assert volume.xpath(".//img[@class='cover-thumb']/@src")
    assert root.xpath("//section[@id='teksten']//h3/a/@href")


def test_the_web_stylesheet_has_a_print_part_and_no_fixed_widths(series_dist):
    project, _ = series_dist
    css = (project / "build" / "web" / "css" / "web.css").read_text("utf-8")
    assert "@media print" in css
    assert not re.search(r"\bwidth:\s*\d{3,}px", css)


def test_a_page_too_wide_for_a_phone_is_a_problem(mini_dist, tmp_path):
    """The reflow measurement can fail: a page with a fixed 600 px box at 320 px."""
    project, _ = mini_dist
    site = tmp_path / "site"
    import shutil

    shutil.copytree(project / "build" / "web", site)
    page = site / "eerste-case.html"
    page.write_text(page.read_text("utf-8").replace("<main ", '<main style="min-width: 600px" ', 1), "utf-8")
    found = checks.web_edition(site, ("eerste-case.html",), checks.tools())
    assert not found[0].passed
    assert any("320 px" in p and "reflow" in p for p in found[0].problems)


def test_pages_are_split_like_the_epub(mini_dist):
    project, result = mini_dist
    names = {p.name for p in (project / "build" / "web").glob("*.html")}
    assert {"index.html", web.STATEMENT, "inleiding.html", "eerste-case.html", "tweede-case.html", "colofon.html"} <= names
    assert "titelpagina.html" not in names  # the series page is the site's title page
