"""Writer: a volume's HTML intermediate as a folder a browser can open (build/html/)."""

from __future__ import annotations

import shutil

from .assemble import AssembledVolume
from .errors import Diagnostics, Location, PublisherError
from .outputs import OutputRegistry, Rendition, VolumeRun
from .media import media_type

INDEX = "index.html"
MARKER = ".publisher"  # marks a folder the publisher made, and may delete and remake
LAYOUT_FILES = (".css", ".ttf", ".otf", ".woff", ".woff2", ".icc")


def write(assembled: AssembledVolume, rendition: Rendition, outputs: OutputRegistry, run: VolumeRun, diagnostics: Diagnostics) -> None:
    """Write index.html and the files it refers to, each recorded in ``outputs``."""
    folder = outputs.path(assembled.volume, rendition)  # in staging; replaces the final one at commit
    final = outputs.final(folder)
    if final.exists():
        if not (final / MARKER).is_file():
            diagnostics = Diagnostics()
            diagnostics.add(
                "R417",
                f"{outputs.shown(folder)} exists and was not made by the publisher: it is not deleted; move it away",
                Location(outputs.shown(folder)),
            )
            raise PublisherError(diagnostics)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by the Smart society cases publisher; rebuilt by 'publisher build'\n", "utf-8")
    index = folder / INDEX
    index.write_text(assembled.html, encoding="utf-8")
    outputs.add(index, "text/html")
    # the images as checked (SVG re-serialised), not the files they came from
    for asset in assembled.structure.assets:
        target = folder / asset.href
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.data)
        outputs.add(target, asset.media_type)
    for mount in assembled.mounts:
        if mount.prefix == "images":
            continue
        for source in sorted(mount.source.rglob("*")):
            if not source.is_file() or source.is_symlink():
                continue  # only the project's own files (publication.py refuses symlinks)
            if source.suffix.lower() not in LAYOUT_FILES:
                continue  # notes for designers (README.md) are not part of the edition
            relative = source.relative_to(mount.source).as_posix()
            target = folder / mount.prefix / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            outputs.add(target, media_type(target.name))
