"""Shared fixtures: small projects made from tests/fixtures/mini, and real builds.

Builds are made once per session; tests assert on the real PDF and EPUB files.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from publisher import api

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini"


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source / "content", target / "content")
    shutil.copytree(ROOT / "layouts", target / "layouts")
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the small fixture publication, free to be edited by a test."""
    return copy_project(FIXTURE, tmp_path / "project")


@pytest.fixture(autouse=True)
def no_weasyprint_warnings(caplog):
    """Any warning WeasyPrint logs during a test fails it (the pipeline should have
    turned it into an error or never caused it)."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    records = [r for r in caplog.get_records("call") if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
    assert not records, [r.getMessage() for r in records]


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory):
    """The fixture publication built in all formats."""
    target = copy_project(FIXTURE, tmp_path_factory.mktemp("mini"))
    result = api.build(target)
    return target, result


@pytest.fixture(scope="session")
def series_build(tmp_path_factory):
    """The real series (content/ of this repository) built in all formats."""
    target = copy_project(ROOT, tmp_path_factory.mktemp("series"))
    result = api.build(target)
    return target, result


def pdf_text_pages(path: Path) -> list[str]:
    """The text of each page, as pdftotext extracts it (form feed separated)."""
    import subprocess

    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    pages = out.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages
