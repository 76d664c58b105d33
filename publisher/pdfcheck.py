"""TEMPORARY STAND-IN for publisher/pdfcheck.py, which is being written on main.

This file exists only so that the distribution (issue 14) can be built and tested on its
branch; it has exactly the API of the module on main and is replaced by that module at
merge. Nothing else belongs in this file.

It runs a few honest structure checks with pikepdf, each named by the Matterhorn
Protocol checkpoint it covers (PDF/UA-1):

- 01-004: the document is marked as tagged (MarkInfo /Marked true)
- 01-005: a structure tree is present (StructTreeRoot)
- 06-003: the XMP metadata has a dc:title
- 11-001: the document's natural language is set (/Lang in the catalogue)
- 13-004: every Figure structure element has alternative text (/Alt)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

CHECKPOINTS = ("01-004", "01-005", "06-003", "11-001", "13-004")


@dataclass(frozen=True)
class Finding:
    checkpoint: str  # Matterhorn number like "15-003"
    message: str
    page: int | None
    where: str  # structure path


@dataclass(frozen=True)
class PdfReport:
    path: Path
    checkpoints: tuple[str, ...]  # covered
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return not self.findings


def check_pdf(path: Path) -> PdfReport:
    findings: list[Finding] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        mark = root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            findings.append(Finding("01-004", "the document is not marked as tagged (MarkInfo /Marked)", None, "/Catalog"))
        tree = root.get("/StructTreeRoot")
        if tree is None:
            findings.append(Finding("01-005", "the document has no structure tree", None, "/Catalog"))
        if not str(root.get("/Lang", "")).strip():
            findings.append(Finding("11-001", "the document has no natural language (/Lang)", None, "/Catalog"))
        with pdf.open_metadata() as meta:
            if not str(meta.get("dc:title", "")).strip():
                findings.append(Finding("06-003", "the XMP metadata has no dc:title", None, "/Catalog/Metadata"))
        if tree is not None:
            pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
            _figures(tree.get("/K"), "StructTreeRoot", pages, findings)
    return PdfReport(Path(path), CHECKPOINTS, tuple(findings))


def _figures(node, where: str, pages: dict, findings: list[Finding]) -> None:
    if isinstance(node, pikepdf.Array):
        for index, kid in enumerate(node):
            _figures(kid, f"{where}[{index}]", pages, findings)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    kind = str(node.get("/S", ""))
    here = f"{where}/{kind.lstrip('/')}" if kind else where
    if kind == "/Figure" and not str(node.get("/Alt", "")).strip():
        page = node.get("/Pg")
        findings.append(Finding("13-004", "a Figure has no alternative text (/Alt)", pages.get(page.objgen) if page is not None else None, here))
    kids = node.get("/K")
    if kids is not None:
        _figures(kids, here, pages, findings)
