"""The real series in content/: it checks clean, fits the editorial brief, and its
EPUB passes EPUBCheck and Ace by DAISY."""

import pytest

from publisher import api

from .conftest import ROOT
from .epub_tools import ace_violations, run_ace, run_epubcheck


def test_content_checks_without_errors_or_warnings():
    publication = api.check(ROOT)
    assert publication.diagnostics.items == []
    assert len(publication.entries) == 10


def test_manuscript_lengths_follow_the_brief():
    rows = {row.path: row for row in api.stats(ROOT)}
    for path, row in rows.items():
        if "/cases/" in path:
            assert 1500 <= row.words <= 2500, (path, row.words)
            assert row.footnotes >= 5, path
    assert 2500 <= rows["content/open-de-black-box.md"].words <= 3500
    assert 600 <= rows["content/over-deze-reeks.md"].words <= 900
    assert sum(r.figures + r.tables for r in rows.values()) >= 4


def test_every_case_has_the_series_blocks():
    publication = api.check(ROOT)
    for entry in publication.entries:
        if entry.manuscript.kind != "case":
            continue
        names = {b.name for b in entry.manuscript.scan.blocks}
        assert {"dilemma", "handreiking", "kader", "citaat"} <= names, entry.slug


@pytest.mark.slow
def test_series_epub_passes_epubcheck(series_build):
    project, _ = series_build
    totals, text = run_epubcheck(project / "build" / "smart-society-cases.epub")
    assert totals == {"fatal": 0, "error": 0, "warning": 0, "info": 0}, text


@pytest.mark.slow
@pytest.mark.ace
def test_series_epub_passes_ace(series_build, tmp_path):
    project, _ = series_build
    report = run_ace(project / "build" / "smart-society-cases.epub", tmp_path / "ace")
    assert ace_violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
