"""build/manifest.json: every output of a build with its size, checksum and page count."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Output:
    path: str  # relative to the project
    sha256: str
    bytes: int
    media_type: str
    pages: int | None = None

    @classmethod
    def of(cls, path: Path, root: Path, media_type: str, pages: int | None = None) -> Output:
        data = path.read_bytes()
        return cls(
            path=path.relative_to(root).as_posix(),
            sha256=hashlib.sha256(data).hexdigest(),
            bytes=len(data),
            media_type=media_type,
            pages=pages,
        )


def write(outputs: list[Output], target: Path, identifier: str) -> None:
    entries = []
    for output in sorted(outputs, key=lambda o: o.path):
        entry = asdict(output)
        if entry["pages"] is None:
            del entry["pages"]
        entries.append(entry)
    document = {"publication": identifier, "outputs": entries}
    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        if target.read_bytes() == data:
            return  # a no-op build rewrites nothing
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def read(path: Path) -> list[Output]:
    """The outputs listed in an earlier manifest; none if there is none or it is unreadable."""
    try:
        document = json.loads(path.read_text("utf-8"))
        return [Output(**entry) for entry in document["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
