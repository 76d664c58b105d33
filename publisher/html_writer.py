"""Writer: the HTML intermediate as a folder a browser can open (build/html/)."""

from __future__ import annotations

import shutil
from pathlib import Path

from .assemble import Book

INDEX = "index.html"


def write(book: Book, folder: Path) -> list[Path]:
    """Write index.html and the files it refers to; return every file written."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    written = []
    index = folder / INDEX
    index.write_text(book.html, encoding="utf-8")
    written.append(index)
    used_images = set(book.publication.assets)
    for mount in book.mounts:
        for source in sorted(mount.source.rglob("*")):
            if not source.is_file():
                continue
            relative = source.relative_to(mount.source).as_posix()
            if mount.prefix == "images" and f"images/{relative}" not in used_images:
                continue
            target = folder / mount.prefix / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            written.append(target)
    return written
