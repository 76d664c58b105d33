"""The accessibility statement: made from the checks that ran, and changed by a failure."""

from __future__ import annotations

import shutil

import pikepdf
import pytest
from lxml import html

from publisher import checks, statement
from publisher.assemble import assemble
from publisher.volumes import READER

pytestmark = pytest.mark.slow


def _text(path) -> str:
    return " ".join(html.parse(str(path)).getroot().xpath("//main")[0].text_content().split())


def test_the_statement_reports_every_check_that_ran(mini_dist):
    project, result = mini_dist
    page = project / "build" / "web" / "toegankelijkheid.html"
    text = _text(page)
    assert result.statement.passed
    assert "voldoet gedeeltelijk aan WCAG 2.1 niveau AA" in text
    assert "volledig voldoet" in text  # ... that it does not claim
    for name in ("EPUBCheck", "Ace by DAISY", "axe-core", "PDF-structuurcontrole"):
        assert name in text, name
    for heading in ("Nalevingsstatus", "Wat is onderzocht", "Hoe is onderzocht", "Met welke tools", "Resultaten", "Bekende problemen en uitzonderingen", "Contact"):
        assert heading in text, heading
    assert "toegankelijkheid@example.org" in text and "5 werkdagen" in text
    counts = {c.check: sum(1 for x in result.checks if x.check == c.check) for c in result.checks}
    assert counts == {"epubcheck": 4, "ace": 4, "pdf": 4, "axe": len(list((project / "build" / "web").glob("*.html")))}
    rows = html.parse(str(page)).getroot().xpath("//table[@class='statement-results']/tbody/tr")
    assert [r.xpath("./td")[0].text for r in rows] == [str(counts[k]) for k in ("axe", "epubcheck", "ace", "pdf")]


def _break_an_alt_text(source, target) -> None:
    with pikepdf.open(source) as pdf:
        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    del node["/Alt"]
                    return True
                kids = node.get("/K")
                return walk(kids) if kids is not None else False
            if isinstance(node, pikepdf.Array):
                return any(walk(kid) for kid in node)
            return False

        assert walk(pdf.Root.StructTreeRoot), "the fixture's reader has a figure"
        pdf.save(target)


def test_a_broken_alt_text_changes_the_status(mini_dist, tmp_path):
    """The reader's PDF with the alt text of its figure removed: the PDF check finds it,
    and the statement then says that the publication does not comply, and why."""
    project, result = mini_dist
    site = tmp_path / "web"
    shutil.copytree(project / "build" / "web", site)
    target = "downloads/proefreeks.pdf"
    _break_an_alt_text(project / "build" / "web" / target, site / target)
    broken = checks.pdf(site / target, target)
    assert not broken.passed and any(p.startswith("13-004") for p in broken.problems)
    found = tuple(broken if c.check == "pdf" and c.target == target else c for c in result.checks)
    verdict = statement.assess(found)
    assert verdict.status == statement.FAILS and verdict.failed == (broken,)

    from publisher import web
    from publisher.config import Project
    from publisher.publication import load_publication
    from publisher.volumes import plan

    publication = load_publication(Project.at(project))
    reader = assemble(publication, next(v for v in plan(publication) if v.kind == READER))
    entries = _entries()
    data = statement.context(verdict, publication.config, 9, 4, "https://example.org/proefreeks/toegankelijkheid.html")
    page = web.build_site(reader, entries, data, publication.config.web_base_url, {}).files[web.STATEMENT].decode("utf-8")
    text = " ".join(html.fromstring(page).xpath("//main")[0].text_content().split())
    assert "voldoet niet aan WCAG 2.1 niveau AA" in text
    assert "voldoet gedeeltelijk" not in text
    assert "downloads/proefreeks.pdf" in text and "13-004" in text


def _entries():
    """A series page entry for the reader: the statement page is what this test reads."""
    from publisher import web

    return [
        web.Entry("reader", READER, "Proefreeks", None, None, None, (), "covers/proefreeks.svg", "Omslag", None, (), "urn:x"),
    ]


def test_a_broken_alt_text_on_a_web_page_is_found_by_axe(mini_dist, tmp_path):
    project, _ = mini_dist
    site = tmp_path / "web"
    shutil.copytree(project / "build" / "web", site)
    page = site / "eerste-case.html"
    markup = page.read_text("utf-8")
    assert 'role="img" aria-label="' in markup
    import re

    markup = re.sub(r'role="img" aria-label="[^"]*"', 'role="img"', markup, count=1)
    page.write_text(re.sub(r"(<svg[^>]*>\s*)<title[^>]*>.*?</title>", r"\1", markup, count=1, flags=re.S), "utf-8")
    found = checks.web_edition(site, ("eerste-case.html",), checks.tools())
    assert not found[0].passed
    assert any("svg-img-alt" in p for p in found[0].problems), found[0].problems
