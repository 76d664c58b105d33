"""Writer: the print shop's cover sheet (``pdf-cover``), a PDF/X-4 of its own.

One sheet holds the back, the spine and the front, with the bleed around it and crop and
fold marks outside the bleed (``print`` in publication.yaml). The spine is as wide as the
book block is thick: its leaves (half its pages, filled up to whole signatures) times the
paper's thickness, plus the cover board twice. The layout is ``layouts/cover-sheet.html.j2``
with ``layouts/css/cover-sheet.css``; the template is given the sheet's geometry and,
when the edition has an ISBN, the EAN-13 barcode as bars to draw (vectors in the ink of
the layout, never an image).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import barcode
from markupsafe import Markup

from .assemble import AssembledVolume, environment, render_template
from .errors import Diagnostics, Location, PublisherError
from .outputs import OutputRegistry, Rendition, VolumeRun

TEMPLATE = "cover-sheet.html.j2"


@dataclass(frozen=True)
class Bar:
    x: float  # in modules from the start of the symbol
    width: int  # in modules
    guard: bool  # a guard bar, drawn longer


@dataclass(frozen=True)
class Ean13:
    """An EAN-13 symbol: its 13 digits and its bars, in modules (95 wide)."""

    digits: str
    bars: tuple[Bar, ...]
    modules: int = 95


GUARDS = set(range(0, 3)) | set(range(45, 50)) | set(range(92, 95))


def ean13(isbn: str) -> Ean13:
    """The bars of an ISBN-13's EAN-13 symbol (python-barcode encodes it). python-barcode
    computes the check digit itself: an ISBN whose own check digit differs is refused
    rather than printed as another number (publication.yaml's ISBNs are checked, P105)."""
    digits = isbn.replace("-", "").replace(" ", "")
    symbol = barcode.get("isbn13", digits)
    if symbol.get_fullcode() != digits:
        raise ValueError(f"'{isbn}' is not a valid ISBN-13: its check digit would be {symbol.get_fullcode()[-1]}")
    pattern = symbol.build()[0]
    bars = []
    start = None
    for index, module in enumerate(pattern + "0"):
        if module == "1" and start is None:
            start = index
        elif module != "1" and start is not None:
            bars.append(Bar(start, index - start, start in GUARDS))
            start = None
    return Ean13(symbol.get_fullcode(), tuple(bars), len(pattern))


@dataclass(frozen=True)
class Sheet:
    """The cover sheet's geometry in millimetres and what it shows."""

    trim_width: float  # of one cover panel (the book's trim)
    trim_height: float
    spine: float
    bleed: float
    pages: int  # of the book block, filled up to whole signatures
    paper: str | None
    slug: float  # beyond the bleed, for the marks (0: no marks)

    @property
    def width(self) -> float:
        """The sheet's trimmed width: back, spine and front."""
        return 2 * self.trim_width + self.spine

    @property
    def front_left(self) -> float:
        return self.trim_width + self.spine


def sheet_for(assembled: AssembledVolume, book_pages: int) -> Sheet:
    from .config import millimetres
    from .pdf import SLUG

    config = assembled.publication.config
    printing = config.printing
    pages = book_pages + (-book_pages % printing.signature)
    return Sheet(
        millimetres(config.trim_width),
        millimetres(config.trim_height),
        round(printing.spine(pages), 2),
        printing.bleed,
        pages,
        printing.paper,
        SLUG if printing.marks else 0.0,
    )


def write(assembled: AssembledVolume, rendition: Rendition, outputs: OutputRegistry, run: VolumeRun, diagnostics: Diagnostics) -> None:
    """Lay out and write the cover sheet of a volume (its spine from the book block)."""
    from . import pdf

    target = outputs.path(assembled.volume, rendition)
    book_pages = run.book_pages if run.book_pages is not None else pdf.book_block_pages(assembled, outputs, run)
    sheet = sheet_for(assembled, book_pages)
    config = assembled.publication.config
    isbn = config.isbn_print or config.isbn if assembled.volume.kind == "reader" else None
    project = assembled.publication.project
    markup = render_template(
        environment(project.layouts),
        TEMPLATE,
        project.layouts,
        **assembled.context,
        sheet=sheet,
        barcode=ean13(isbn) if isbn else None,
        isbn=isbn,
        blurb=Markup.escape(config.blurb) if config.blurb else None,
    )
    count = pdf.write_sheet(assembled, markup, outputs.out / "html", target, sheet, outputs.shown(target))
    if count != 1:
        target.unlink()
        problem = Diagnostics()
        problem.add("R430", f"the cover sheet takes {count} pages, not one: something in it does not fit the sheet", Location(f"layouts/{TEMPLATE}"))
        raise PublisherError(problem)
    outputs.add(target, rendition.media_type, count)
