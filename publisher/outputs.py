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
import os
import shutil
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
        Rendition("pdf-cover", "pdf", "-cover.pdf", "publisher.cover", "application/pdf"),
        Rendition("epub", "epub", ".epub", "publisher.epub", "application/epub+zip"),
    )
}
# The order renditions of one volume are written in: the print layout first, so that the
# screen PDF reuses its settled layout and the EPUB gets the print edition's page map.
ORDER = tuple(RENDITIONS)
# What --format asks for.
FORMATS = {"html": ("html",), "pdf": ("pdf-screen", "pdf-print", "pdf-cover"), "epub": ("epub",)}


@dataclass
class VolumeRun:
    """What the renditions of one volume learn from each other during one build."""

    corrections: object | None = None  # pagination.Corrections of the settled layout
    page_map: object | None = None  # pagination.PageMap of the first paged rendition
    page_map_source: str | None = None  # the rendition it was taken from
    anchor_pages: dict[str, int] | None = None
    book_pages: int | None = None  # pages of the laid-out book block (before signatures are filled)


STAGING = ".staging"  # inside the output folder, so that moving an output in is a rename
CACHE = ".cache"


@dataclass
class OutputRegistry:
    """Names every output, writes it into a staging folder and moves it into place only
    when the whole build has succeeded (``commit``): a failed or interrupted build leaves
    the previous outputs as they were (``abandon``). Keeps the list the manifest is written
    from."""

    out: Path
    root: Path  # manifest paths are relative to this folder
    claimed: dict[Path, str] = field(default_factory=dict)  # final path → what goes there
    outputs: list[manifest.Output] = field(default_factory=list)
    created: bool = False  # the output folder did not exist before this build

    @property
    def staging(self) -> Path:
        return self.out / STAGING

    @staticmethod
    def relative(volume: Volume, rendition: Rendition) -> Path:
        """The name of ``rendition`` of ``volume`` in the output folder."""
        identity = volume.identity
        folder = Path(identity.folder) if identity.folder else Path()
        if rendition.name == "html" and volume.key == "reader" and identity.folder is None:
            name = "html/"  # the reader's HTML edition keeps its short name
        else:
            name = identity.stem + rendition.suffix
        return folder / name.rstrip("/")

    def path(self, volume: Volume, rendition: Rendition) -> Path:
        """Where to write ``rendition`` of ``volume`` (in staging); a path claimed twice is an error."""
        return self._claim(self.relative(volume, rendition), f"{rendition.name} of volume '{volume.key}'")

    def page_map_path(self, volume: Volume, claim: bool = True) -> Path:
        """Where the volume's page map is kept: to write it (in staging, ``claim``), or
        the one an earlier build left (not claimed, in the output folder itself)."""
        identity = volume.identity
        relative = Path("page-maps") / ((f"{identity.folder}-" if identity.folder else "") + identity.stem + ".json")
        return self._claim(relative, f"page map of volume '{volume.key}'") if claim else self.out / relative

    def cached(self, name: str, key: str) -> bytes | None:
        """What an earlier build (or this one) kept under ``key`` in build/.cache/NAME:
        content-addressed, so never stale, and not an output."""
        for folder in (self.out / CACHE, self.staging / CACHE):
            try:
                return (folder / name / key).read_bytes()
            except OSError:
                continue
        return None

    def keep(self, name: str, key: str, data: bytes) -> None:
        """Keep ``data`` for the next build; it reaches build/.cache only when this build
        succeeds (a failed or interrupted build leaves build/ as it was)."""
        folder = self.staging / CACHE / name
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{key}.{os.getpid()}"
        partial.write_bytes(data)
        os.replace(partial, folder / key)  # whole or not at all, also with volumes built side by side

    def final(self, path: Path) -> Path:
        """The place in the output folder of a path in staging."""
        return self.out / path.relative_to(self.staging) if path.is_relative_to(self.staging) else path

    def _claim(self, relative: Path, what: str) -> Path:
        final = self.out / relative
        if final in self.claimed and self.claimed[final] != what:
            diagnostics = Diagnostics()
            diagnostics.add(
                "R406",
                f"{what} would be written to {self.shown(final)}, where the {self.claimed[final]} goes",
                Location("content/publication.yaml"),
            )
            raise PublisherError(diagnostics)
        self.claimed[final] = what
        staged = self.staging / relative
        staged.parent.mkdir(parents=True, exist_ok=True)
        return staged

    def shown(self, path: Path) -> str:
        """A path as messages show it: its final place, relative to the project."""
        path = self.final(path)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()

    def add(self, path: Path, media_type: str, pages: int | None = None) -> None:
        data = path.read_bytes()
        final = self.final(path)
        shown = final.relative_to(self.root).as_posix() if final.is_relative_to(self.root) else final.as_posix()
        self.outputs.append(manifest.Output(shown, hashlib.sha256(data).hexdigest(), len(data), media_type, pages))

    def begin(self) -> None:
        """Start with an empty staging folder (one an interrupted build left is removed)."""
        self.created = not self.out.exists()
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)

    def commit(self) -> None:
        """Move every staged output into place, replacing the one an earlier build wrote."""
        for final in sorted(self.claimed):
            staged = self.staging / final.relative_to(self.out)
            if not staged.exists():
                continue  # claimed, then nothing written (a rendition that was not asked for)
            if final.is_dir() and not final.is_symlink():
                shutil.rmtree(final)  # a folder the publisher made (html_writer checked its marker)
            elif final.exists() or final.is_symlink():
                final.unlink()
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
        kept = self.staging / CACHE
        if kept.is_dir():
            for path in sorted(p for p in kept.rglob("*") if p.is_file()):
                target = self.out / CACHE / path.relative_to(kept)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
        shutil.rmtree(self.staging)

    def abandon(self) -> None:
        """Drop everything this build wrote: the output folder stays as it was (and is not
        left behind, empty, when this build made it)."""
        if self.staging.exists():
            shutil.rmtree(self.staging)
        if self.created and self.out.is_dir() and not any(self.out.iterdir()):
            self.out.rmdir()


def writer(rendition: Rendition):
    """The module that writes ``rendition`` (imported on demand: WeasyPrint only for PDFs)."""
    return importlib.import_module(rendition.writer)


def code_digest() -> str:
    """The publisher's own code (an editable install keeps its version number while the
    code changes): part of every fingerprint of what the code makes."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json") and p.is_file()):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def layout_fingerprint(html: str, layouts: Path, images=()) -> str:
    """What a layout (its corrections, its page map) depends on: the intermediate, every
    stylesheet and font of the layout, the images (their sizes move pages), the
    pipeline's code and WeasyPrint's and fontTools' versions."""
    digest = hashlib.sha256(html.encode("utf-8"))
    for image in images:
        digest.update(image.href.encode() + b"\0" + hashlib.sha256(image.data).digest())
    for folder in ("css", "fonts"):
        for path in sorted((layouts / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(layouts).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    exceptions = layouts / "hyphenation.txt"  # the hyphenation exception list (publisher/pdf.py)
    if exceptions.is_file():
        digest.update(b"hyphenation.txt" + hashlib.sha256(exceptions.read_bytes()).digest())
    for name in ("weasyprint", "fonttools"):
        try:
            digest.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            digest.update(f"{name} missing".encode())
    digest.update(__version__.encode() + code_digest().encode())
    return digest.hexdigest()
