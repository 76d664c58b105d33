"""Stage 1: the project and its series metadata (content/publication.yaml)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import schema, yamlsource
from .errors import Diagnostics, Location, PublisherError

PUBLICATION_FILE = "content/publication.yaml"
_CODES = {"unknown": "P102", "type": "P103", "missing": "P104"}


@dataclass(frozen=True)
class Project:
    """Where a project's files are. Every path the publisher reads lies under ``root``."""

    root: Path

    @classmethod
    def at(cls, directory: Path | str) -> Project:
        return cls(Path(directory).resolve())

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def build(self) -> Path:
        return self.root / "build"

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass(frozen=True)
class Party:
    name: str
    short: str | None = None
    role: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Config:
    """The validated series metadata."""

    title: str
    subtitle: str | None
    language: str
    publishers: tuple[Party, ...]
    contributors: tuple[Party, ...]
    licence_name: str
    licence_url: str | None
    edition_number: int
    edition_date: dt.date
    isbn: str | None
    isbn_print: str | None
    trim_width: str
    trim_height: str
    manuscripts: tuple[str, ...]  # paths relative to content/
    manuscript_lines: tuple[int, ...]  # line of each entry in publication.yaml

    @property
    def identifier(self) -> str:
        """The publication's identifier: its ISBN, or a UUID derived from its metadata."""
        if self.isbn:
            return f"urn:isbn:{self.isbn}"
        seed = f"smart-society-publisher|{self.title}|{self.language}|edition {self.edition_number}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def isbn_is_valid(raw: str) -> bool:
    digits = raw.replace("-", "").replace(" ", "").upper()
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
        return total % 10 == 0
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        return total % 11 == 0
    return False


def load_config(project: Project, diagnostics: Diagnostics) -> Config | None:
    """Read and validate content/publication.yaml. Problems go to ``diagnostics``."""
    path = project.root / PUBLICATION_FILE
    if not path.is_file():
        diagnostics.add("P100", f"no {PUBLICATION_FILE} in {project.root.name}/", Location(PUBLICATION_FILE))
        return None
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        diagnostics.add("P101", f"not UTF-8 text (byte {exc.start})", Location(PUBLICATION_FILE, line, 1))
        return None
    try:
        document = yamlsource.load(text)
    except yamlsource.YamlSyntaxError as exc:
        diagnostics.add("P101", exc.message, Location(PUBLICATION_FILE, exc.line, exc.column))
        return None
    if not schema.validate(document, "publication", diagnostics, PUBLICATION_FILE, _CODES):
        return None
    data = document.data
    identifiers = data.get("identifiers") or {}
    for key in ("isbn", "isbn_print"):
        if key in identifiers and not isbn_is_valid(identifiers[key]):
            line, col = document.position(("identifiers", key))
            diagnostics.add(
                "P105",
                f"'{identifiers[key]}' is not a valid ISBN-13 or ISBN-10 (check digit or length)",
                Location(PUBLICATION_FILE, line, col),
            )
    entries = tuple(data["manuscripts"])
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line, col = document.position(("manuscripts", index))
        if entry in seen:
            diagnostics.add(
                "P108",
                f"'{entry}' is already listed as manuscript {seen[entry] + 1}",
                Location(PUBLICATION_FILE, line, col),
            )
        seen.setdefault(entry, index)
    trim = data.get("trim") or {"width": "170mm", "height": "240mm"}
    return Config(
        title=data["title"],
        subtitle=data.get("subtitle"),
        language=data["language"],
        publishers=tuple(Party(**p) for p in data["publishers"]),
        contributors=tuple(Party(**p) for p in data.get("contributors", [])),
        licence_name=data["licence"]["name"],
        licence_url=data["licence"].get("url"),
        edition_number=data["edition"]["number"],
        edition_date=dt.date.fromisoformat(data["edition"]["date"]),
        isbn=_normal_isbn(identifiers.get("isbn")),
        isbn_print=_normal_isbn(identifiers.get("isbn_print")),
        trim_width=trim["width"],
        trim_height=trim["height"],
        manuscripts=entries,
        manuscript_lines=tuple(document.position(("manuscripts", i))[0] for i in range(len(entries))),
    )


def _normal_isbn(raw: str | None) -> str | None:
    return raw.replace(" ", "-") if raw else None


def require_config(project: Project) -> Config:
    diagnostics = Diagnostics()
    config = load_config(project, diagnostics)
    diagnostics.raise_if_errors()
    assert config is not None
    return config


__all__ = ["Config", "Party", "Project", "PublisherError", "load_config", "require_config", "isbn_is_valid"]
