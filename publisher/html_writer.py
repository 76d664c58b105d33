"""Writer: a volume's HTML intermediate as a folder a browser can open (build/html/)."""

from __future__ import annotations

import shutil

from .assemble import AssembledVolume
from .errors import Diagnostics
from .outputs import OutputRegistry, Rendition, VolumeRun
from .media import media_type

INDEX = "index.html"


def write(assembled: AssembledVolume, rendition: Rendition, outputs: OutputRegistry, run: VolumeRun, diagnostics: Diagnostics) -> None:
    """Write index.html and the files it refers to, each recorded in ``outputs``."""
    folder = outputs.path(assembled.volume, rendition)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    index = folder / INDEX
    index.write_text(assembled.html, encoding="utf-8")
    outputs.add(index, "text/html")
    used_images = {asset.href for asset in assembled.structure.assets}
    for mount in assembled.mounts:
        for source in sorted(mount.source.rglob("*")):
            if not source.is_file() or source.is_symlink():
                continue  # only the project's own files (publication.py refuses symlinks)
            relative = source.relative_to(mount.source).as_posix()
            if mount.prefix == "images" and f"images/{relative}" not in used_images:
                continue
            target = folder / mount.prefix / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            outputs.add(target, media_type(target.name))
