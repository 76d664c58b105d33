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


def pytest_addoption(parser):
    parser.addoption("--save-golden", action="store_true", help="write tests/golden/*/expected.txt from what the code produces now")


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the small fixture publication, free to be edited by a test."""
    return copy_project(FIXTURE, tmp_path / "project")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_weasyprint_warnings(request):
    """Any warning WeasyPrint logs during a test fails it, unless the test is about one
    (marked weasyprint_warnings): the pipeline turns each into an error (R401), and a
    test that builds should have caused none. The handler sits on WeasyPrint's own
    logger, so it sees what the pipeline captures too (the pipeline stops propagation)."""
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if request.node.get_closest_marker("weasyprint_warnings") is None:
        assert not handler.records, [r.getMessage() for r in handler.records]


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


def print_shop_files(project: Path, out: Path, settings: str) -> tuple[Path, Path]:
    """The fixture's reader built as PDFs with a ``print:`` block of publication.yaml
    holding ``settings`` (YAML lines, indented): the book block and the cover sheet."""
    config = project / "content" / "publication.yaml"
    config.write_text(config.read_text("utf-8") + "print:\n  signature: 4\n  paper_thickness: 0.1mm\n" + settings, "utf-8")
    api.build(project, formats=("pdf",), out_dir=out, volumes=("reader",))
    return out / "proefreeks-print.pdf", out / "proefreeks-cover.pdf"


def build_elsewhere(project: Path, out: Path, *formats: str) -> None:
    """Build in another process, as another machine would: another hash seed, another
    time zone and a clock 400 days ahead (faketime), so that a reproducibility test can
    catch what leaks from the process, the zone or the clock into an output."""
    import os
    import subprocess
    import sys

    args = ["faketime", "-f", "+400d", sys.executable, "-m", "publisher", "--project", str(project), "build", "--quiet", "--out", str(out)]
    for name in formats:
        args += ["--format", name]
    env = dict(os.environ, PYTHONHASHSEED="12345", TZ="Pacific/Kiritimati")
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr


DIST_SETTINGS = """web:
  base_url: https://example.org/proefreeks/
accessibility:
  contact:
    name: Redactie Proefreeks
    email: toegankelijkheid@example.org
    response_days: 5
trade:
  nur: "740"
  thema: [JPP, JPQ]
"""


def with_dist_settings(project: Path) -> Path:
    """The settings a distribution needs (web address, accessibility contact) and the
    trade metadata of the ONIX records, added to a copy of the fixture (which has an ISBN)."""
    path = project / "content" / "publication.yaml"
    path.write_text(path.read_text("utf-8") + DIST_SETTINGS, "utf-8")
    return project


@pytest.fixture(scope="session")
def mini_dist(tmp_path_factory):
    """The fixture publication's distribution (publisher dist): built, checked, bundled."""
    from publisher import dist

    target = with_dist_settings(copy_project(FIXTURE, tmp_path_factory.mktemp("mini-dist")))
    return target, dist.dist(target)


@pytest.fixture(scope="session")
def series_dist(series_build):
    """The real series' distribution, made from the session's build of it."""
    from publisher import dist

    target, _ = series_build
    return target, dist.dist(target)
