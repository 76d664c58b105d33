"""Renditions, the output registry and the writer interface.

A *rendition* is one way of writing a volume: the screen PDF, the print-shop PDF, the
EPUB, the HTML folder. Every output goes through one ``OutputRegistry``, which names it
from its volume and rendition and refuses a second output at the same path (R406), so
two volumes or two renditions can never overwrite each other.

Every writer module has the same entry point::

    write(assembled: AssembledVolume, rendition: Rendition, outputs: OutputRegistry,
          run: VolumeRun, diagnostics: Diagnostics) -> None

``VolumeRun`` is what the renditions of one volume hand each other within one build
(the settled layout, the page map); it is made afresh for every volume.
"""

from __future__ import annotations

import hashlib
import importlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__, manifest
from .errors import Diagnostics, Location, PublisherError
from .volumes import Volume


@dataclass(frozen=True)
class Rendition:
    name: str  # as written in publication.yaml
    family: str  # 'pdf', 'epub' or 'html': what data-renditions in the layout refers to
    suffix: str  # appended to the volume's stem; ending in '/' for a folder
    writer: str  # the module that writes it
    media_type: str


RENDITIONS = {
    r.name: r
    for r in (
        Rendition("html", "html", "-html/", "publisher.html_writer", "text/html"),
        Rendition("pdf-print", "pdf", "-print.pdf", "publisher.pdf", "application/pdf"),
        Rendition("pdf-screen", "pdf", ".pdf", "publisher.pdf", "application/pdf"),
        Rendition("epub", "epub", ".epub", "publisher.epub", "application/epub+zip"),
    )
}
# The order renditions of one volume are written in: the print layout first, so that the
# screen PDF reuses its settled layout and the EPUB gets the print edition's page map.
ORDER = tuple(RENDITIONS)
# What --format asks for.
FORMATS = {"html": ("html",), "pdf": ("pdf-screen", "pdf-print"), "epub": ("epub",)}


@dataclass
class VolumeRun:
    """What the renditions of one volume learn from each other during one build."""

    corrections: object | None = None  # pagination.Corrections of the settled layout
    page_map: object | None = None  # pagination.PageMap of the first paged rendition
    page_map_source: str | None = None  # the rendition it was taken from
    anchor_pages: dict[str, int] | None = None


@dataclass
class OutputRegistry:
    """Names every output and keeps the list the manifest is written from."""

    out: Path
    root: Path  # manifest paths are relative to this folder
    claimed: dict[Path, str] = field(default_factory=dict)
    outputs: list[manifest.Output] = field(default_factory=list)

    def path(self, volume: Volume, rendition: Rendition) -> Path:
        """Where ``rendition`` of ``volume`` is written; a path claimed twice is an error."""
        identity = volume.identity
        folder = self.out / identity.folder if identity.folder else self.out
        if rendition.name == "html" and volume.key == "reader" and identity.folder is None:
            name = "html/"  # the reader's HTML edition keeps its short name
        else:
            name = identity.stem + rendition.suffix
        return self._claim(folder / name.rstrip("/"), f"{rendition.name} of volume '{volume.key}'")

    def page_map_path(self, volume: Volume, claim: bool = True) -> Path:
        """Where the volume's page map is kept (``claim`` it to write it)."""
        identity = volume.identity
        name = (f"{identity.folder}-" if identity.folder else "") + identity.stem + ".json"
        path = self.out / "page-maps" / name
        return self._claim(path, f"page map of volume '{volume.key}'") if claim else path

    def _claim(self, path: Path, what: str) -> Path:
        if path in self.claimed:
            diagnostics = Diagnostics()
            diagnostics.add(
                "R406",
                f"{what} would be written to {self._shown(path)}, where the {self.claimed[path]} goes",
                Location("content/publication.yaml"),
            )
            raise PublisherError(diagnostics)
        self.claimed[path] = what
        return path

    def _shown(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()

    def add(self, path: Path, media_type: str, pages: int | None = None) -> None:
        self.outputs.append(manifest.Output.of(path, self.root, media_type, pages))


def writer(rendition: Rendition):
    """The module that writes ``rendition`` (imported on demand: WeasyPrint only for PDFs)."""
    return importlib.import_module(rendition.writer)


def layout_fingerprint(html: str, layouts: Path) -> str:
    """What a page map depends on: the intermediate, every stylesheet and font of the
    layout, the pipeline's and WeasyPrint's versions."""
    digest = hashlib.sha256(html.encode("utf-8"))
    for folder in ("css", "fonts"):
        for path in sorted((layouts / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(layouts).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in ("weasyprint", "fonttools"):
        try:
            digest.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            digest.update(f"{name} missing".encode())
    digest.update(__version__.encode())
    return digest.hexdigest()
