"""Reading real PDFs in tests: named destinations, outline, text per page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf


def destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Named destination → 0-based page index."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    tree = pikepdf.NameTree(pdf.Root.Names.Dests)
    out = {}
    for name, dest in tree.items():
        array = dest.D if isinstance(dest, pikepdf.Dictionary) else dest
        out[str(name)] = pages[array[0].objgen]
    return out


def labels(pdf: pikepdf.Pdf) -> list[str]:
    """The page label of every page (its printed number; the cover has a name)."""
    return [page.label for page in pdf.pages]


def printed_pages(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Named destination → the printed page number it stands on (the page's label)."""
    found = labels(pdf)
    return {name: int(found[index]) for name, index in destinations(pdf).items() if found[index].isdigit()}


def outline_titles(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    result = []
    with pdf.open_outline() as outline:
        def walk(items, level):
            for item in items:
                result.append((level, item.title))
                walk(item.children, level + 1)
        walk(outline.root, 1)
    return result


def text_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    pages = out.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def fonts(path: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        # name type... encoding emb sub uni object ID
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def figure_alts(pdf: pikepdf.Pdf) -> list[str]:
    """The /Alt of every Figure element of the structure tree (empty string if missing)."""
    figures: list[str] = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return figures
