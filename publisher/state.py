"""What the last build made from what: the memory that lets a rebuild skip what is current.

Every output (one rendition of one volume) has a fingerprint of everything it is made
from, kept in parts so that a rebuild can say why it rebuilt: the volume's intermediate
(which holds every manuscript and publication.yaml's data), every file of the layout
(templates, stylesheets, fonts, colour profile), the checked images, publication.yaml
itself, the page map an EPUB takes its page numbers from, and the versions of the pipeline
and of WeasyPrint, ebooklib and fontTools. An output whose fingerprint is unchanged and
whose files are still there is not written again; the warnings it was built with are
reported again, so that a skipped output cannot hide one from ``--strict`` or a release.
The state is written with the outputs, only when a build has succeeded.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import __version__
from .errors import Diagnostic, Location
from .outputs import code_digest

STATE = ".state.json"
LIBRARIES = ("weasyprint", "ebooklib", "fonttools")


def _digest(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(hashlib.sha256(chunk).digest())
    return digest.hexdigest()


def layout_digest(layouts: Path) -> str:
    """Every file of layouts/: templates, stylesheets, fonts, colour profile."""
    files = sorted(p for p in layouts.rglob("*") if p.is_file())
    return _digest(*(p.relative_to(layouts).as_posix().encode() + b"\0" + p.read_bytes() for p in files))


def versions() -> str:
    """The pipeline's versions; the publisher's own by the digest of its code as well, so
    that a changed writer rebuilds (an editable install keeps its version number)."""
    found = [f"publisher {__version__} {code_digest()[:16]}"]
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - all are dependencies
            found.append(f"{name} missing")
    return " ".join(found)


def fingerprint(assembled, rendition: str, layout: str, page_map: bytes | None = None) -> dict[str, str]:
    """The parts of one output's fingerprint (see the module's docstring)."""
    project = assembled.publication.project
    parts = {
        "content": _digest(assembled.html.encode("utf-8")),
        "layout": layout,
        "images": _digest(*(a.href.encode() + b"\0" + a.data for a in assembled.structure.assets)),
        "settings": _digest((project.root / "content" / "publication.yaml").read_bytes()),
        "versions": _digest(versions().encode(), os.environ.get("SOURCE_DATE_EPOCH", "").encode()),
        "rendition": rendition,
    }
    if rendition == "epub":
        parts["page map"] = _digest(page_map) if page_map is not None else "none"
        # a release's EPUB claims conformance, another build's does not
        parts["release"] = "yes" if assembled.publication.release else "no"
    return parts


@dataclass
class Entry:
    parts: dict[str, str]
    paths: list[str]  # relative to the output folder
    warnings: list[list] = field(default_factory=list)  # [code, message, path, line, column]

    def diagnostics(self) -> list[Diagnostic]:
        return [Diagnostic(code, message, Location(path, line, column) if path else None) for code, message, path, line, column in self.warnings]


@dataclass
class State:
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> State:
        path = out / STATE
        try:
            raw = json.loads(path.read_text("utf-8"))
            return cls(path, {key: Entry(**value) for key, value in raw["outputs"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path)

    def current(self, key: str, parts: dict[str, str], out: Path) -> Entry | None:
        """The entry of an output that needs no rebuild, if it is one."""
        entry = self.entries.get(key)
        if entry is None or entry.parts != parts or not entry.paths:
            return None
        return entry if all((out / p).exists() for p in entry.paths) else None

    def reasons(self, key: str, parts: dict[str, str]) -> list[str]:
        """Why an output is built: which of its inputs changed (or that it is new)."""
        entry = self.entries.get(key)
        if entry is None:
            return ["not built before"]
        changed = [name for name, value in parts.items() if entry.parts.get(name) != value]
        return changed or ["its files are missing"]

    def record(self, key: str, parts: dict[str, str], paths: list[str], warnings: list[Diagnostic]) -> None:
        rows = [
            [d.code, d.message, d.location.path if d.location else None, d.location.line if d.location else 0, d.location.column if d.location else 0]
            for d in warnings
        ]
        self.entries[key] = Entry(parts, sorted(paths), rows)

    def save(self) -> None:
        data = {"outputs": {key: vars(entry) for key, entry in sorted(self.entries.items())}}
        write_if_changed(self.path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def write_if_changed(path: Path, data: bytes) -> None:
    """Write a file only when its content changes (a no-op build rewrites nothing)."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
