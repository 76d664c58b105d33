"""Stage 1: the project and its series metadata (content/publication.yaml)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import schema, yamlsource
from .errors import Diagnostics, Location, PublisherError
from .text import control_characters

PUBLICATION_FILE = "content/publication.yaml"
_CODES = {"unknown": "P102", "type": "P103", "missing": "P104"}


@dataclass(frozen=True)
class Project:
    """Where a project's files are. Every path the publisher reads lies under ``root``."""

    root: Path

    @classmethod
    def at(cls, directory: Path | str) -> Project:
        return cls(Path(directory).resolve())

    @classmethod
    def find(cls, start: Path | str) -> Project:
        """The project that holds ``start``: the nearest folder upwards with a
        content/publication.yaml, as git finds its repository (``start`` itself when none
        has one, so that the usual P100 names it)."""
        here = Path(start).resolve()
        for folder in (here, *here.parents):
            if (folder / PUBLICATION_FILE).is_file():
                return cls(folder)
        return cls(here)

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
    file_as: str | None = None  # the name as a catalogue sorts it
    relator: str | None = None  # MARC relator code of the role (aut, edt …)


@dataclass(frozen=True)
class Contact:
    """Who answers questions about the publication's accessibility (the statement)."""

    name: str
    email: str
    url: str | None = None
    response_days: int | None = None


@dataclass(frozen=True)
class Trade:
    """Trade metadata for ONIX: the NUR code, Thema subjects and the price (free)."""

    nur: str
    thema: tuple[str, ...]
    price: str = "free"


def millimetres(length: str) -> float:
    """A length as publication.yaml writes it ("3mm", checked by the schema) in mm."""
    return float(length.removesuffix("mm"))


@dataclass(frozen=True)
class PrintSpec:
    """What the print shop needs: the signature the book block is gathered in, the
    paper (for the spine), the bleed, whether crop marks are wanted and whether 100 % K
    overprints."""

    signature: int = 1  # pages per signature; 1: the page count is left as it is
    paper: str | None = None
    paper_thickness: float = 0.1  # mm per leaf
    cover_thickness: float = 0.0  # mm, counted twice
    bleed: float = 3.0  # mm
    marks: bool = True
    overprint_black: bool = True  # 100 % K text and rules print over what lies beneath (publisher/overprint.py)

    def spine(self, pages: int) -> float:
        """The spine width in mm for a book block of ``pages`` pages."""
        return (pages + 1) // 2 * self.paper_thickness + 2 * self.cover_thickness


@dataclass(frozen=True)
class Change:
    """One entry of an edition's list of changes."""

    manuscript: str  # path relative to content/, as listed under 'manuscripts'
    kind: str  # correctie, aanvulling, naschrift, taal, nieuw
    note: str


@dataclass(frozen=True)
class Colophon:
    """What the colophon says besides the series' metadata (publication.yaml, colophon:);
    None where nobody has confirmed the fact."""

    design: str | None = None
    fonts: str | None = None
    printer: str | None = None
    address: str | None = None
    disclaimer: str | None = None


@dataclass(frozen=True)
class Edition:
    """A version of the series: what was published when, and what changed since the last."""

    number: int
    date: dt.date
    label: str | None
    isbn: str | None
    isbn_print: str | None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class VolumeSpec:
    """A declaration under 'volumes': the reader, a selection, or one offprint per manuscript."""

    kind: str  # 'reader' or 'offprints'
    key: str | None
    title: str | None
    stem: str | None
    folder: str | None
    manuscripts: tuple[str, ...] | None  # None: every listed manuscript
    renditions: tuple[str, ...]
    line: int  # where it is declared in publication.yaml (0: the default)


ACCESSIBILITY_REPORT = "toegankelijkheid.html"  # the web edition's page with the report
RENDITIONS = ("pdf-screen", "pdf-print", "pdf-cover", "epub", "html")
DEFAULT_VOLUMES = (
    VolumeSpec("reader", None, None, None, None, None, RENDITIONS, 0),
    VolumeSpec("offprints", None, None, None, "offprints", None, ("pdf-screen", "epub"), 0),
)


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
    editions: tuple[Edition, ...]  # oldest first; the last is the one being built
    trim_width: str
    trim_height: str
    manuscripts: tuple[str, ...]  # paths relative to content/
    manuscript_lines: tuple[int, ...]  # line of each entry in publication.yaml
    volumes: tuple[VolumeSpec, ...] = DEFAULT_VOLUMES
    web_base_url: str | None = None  # where the web edition lives, for links between volumes
    classes: tuple[str, ...] = ()  # classes the layout offers authors for attribute lists
    contact: Contact | None = None  # accessibility contact, for the accessibility statement
    trade: Trade | None = None  # NUR, Thema and price, for the ONIX records
    blurb: str | None = None  # the description for shops and libraries
    certified_by: str | None = None  # who evaluated the accessibility
    accessibility_report: str | None = None  # as configured: an address or a path under web.base_url
    printing: PrintSpec = PrintSpec()  # the print shop's settings ('print' in publication.yaml)
    colophon: Colophon = Colophon()

    @property
    def certifier_report(self) -> str | None:
        """Where the accessibility report is: the configured address, or the web edition's
        page (toegankelijkheid.html unless another path is configured) under web.base_url."""
        report = self.accessibility_report
        if report and report.startswith(("http://", "https://")):
            return report
        if self.web_base_url is None:
            return None
        return self.web_base_url + (report or ACCESSIBILITY_REPORT).lstrip("/")

    @property
    def edition(self) -> Edition:
        return self.editions[-1]

    @property
    def first_date(self) -> dt.date:
        """The date the series was first published."""
        return self.editions[0].date

    @property
    def edition_number(self) -> int:
        return self.edition.number

    @property
    def edition_date(self) -> dt.date:
        return self.edition.date

    @property
    def isbn(self) -> str | None:
        return self.edition.isbn

    @property
    def isbn_print(self) -> str | None:
        return self.edition.isbn_print

    @property
    def identifier(self) -> str:
        """The series' identifier in this edition: its ISBN, or a UUID derived from its
        metadata and the edition number (a new edition is a new publication)."""
        if self.isbn:
            return f"urn:isbn:{self.isbn}"
        return derived_identifier(self, "series")


def derived_identifier(config: Config, part: str) -> str:
    """A stable UUID URN for one volume of one edition of the series."""
    seed = f"smart-society-publisher|{config.title}|{config.language}|edition {config.edition_number}"
    if part != "series":
        seed += f"|{part}"
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
        diagnostics.add("P115", f"not UTF-8 text (byte {exc.start}): save it as UTF-8", Location(PUBLICATION_FILE, line, 1))
        return None
    controls = control_characters(text)
    for line, column, char in controls:
        diagnostics.add("P114", f"control character U+{ord(char):04X} in the text: delete it", Location(PUBLICATION_FILE, line, column))
    if controls:
        return None
    try:
        document = yamlsource.load(text)
    except yamlsource.YamlSyntaxError as exc:
        diagnostics.add("P101", exc.message, Location(PUBLICATION_FILE, exc.line, exc.column))
        return None
    if not schema.validate(document, "publication", diagnostics, PUBLICATION_FILE, _CODES):
        return None
    data = document.data
    entries = tuple(data["manuscripts"])
    editions = _editions(document, set(entries), diagnostics)
    volumes = _volumes(document, set(entries), diagnostics)
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
        editions=editions,
        trim_width=trim["width"],
        trim_height=trim["height"],
        manuscripts=entries,
        manuscript_lines=tuple(document.position(("manuscripts", i))[0] for i in range(len(entries))),
        volumes=volumes,
        web_base_url=(data.get("web") or {}).get("base_url"),
        classes=tuple(data.get("classes") or ()),
        contact=Contact(**data["accessibility"]["contact"]) if "contact" in (data.get("accessibility") or {}) else None,
        trade=Trade(data["trade"]["nur"], tuple(data["trade"]["thema"]), data["trade"].get("price", "free")) if "trade" in data else None,
        blurb=data.get("blurb"),
        certified_by=(data.get("accessibility") or {}).get("certified_by"),
        accessibility_report=(data.get("accessibility") or {}).get("report"),
        printing=_printing(data.get("print")),
        colophon=Colophon(**(data.get("colophon") or {})),
    )


def _printing(raw: dict | None) -> PrintSpec:
    if raw is None:
        return PrintSpec()
    return PrintSpec(
        signature=raw["signature"],
        paper=raw.get("paper"),
        paper_thickness=millimetres(raw["paper_thickness"]),
        cover_thickness=millimetres(raw.get("cover_thickness", "0mm")),
        bleed=millimetres(raw.get("bleed", "3mm")),
        marks=raw.get("marks", True),
        overprint_black=raw.get("overprint_black", True),
    )


def _editions(document, listed: set[str], diagnostics: Diagnostics) -> tuple[Edition, ...]:
    """The edition history: numbered 1, 2, 3 … without gaps, dates never going back, and
    every change naming a listed manuscript."""
    editions = []
    for index, raw in enumerate(document.data["editions"]):
        date = dt.date.fromisoformat(raw["date"])
        if raw["number"] != index + 1:
            diagnostics.add(
                "P110",
                f"edition {raw['number']} is number {index + 1} in the list: editions are numbered 1, 2, 3 … oldest first",
                Location(PUBLICATION_FILE, *document.position(("editions", index, "number"))),
            )
        elif editions and date < editions[-1].date:
            diagnostics.add(
                "P110",
                f"edition {raw['number']} is dated {date.isoformat()}, before edition {editions[-1].number} ({editions[-1].date.isoformat()})",
                Location(PUBLICATION_FILE, *document.position(("editions", index, "date"))),
            )
        identifiers = raw.get("identifiers") or {}
        for key in ("isbn", "isbn_print"):
            if key in identifiers and not isbn_is_valid(identifiers[key]):
                diagnostics.add(
                    "P105",
                    f"'{identifiers[key]}' is not a valid ISBN-13 or ISBN-10 (check digit or length)",
                    Location(PUBLICATION_FILE, *document.position(("editions", index, "identifiers", key))),
                )
        changes = []
        for number, change in enumerate(raw.get("changes") or []):
            if change["manuscript"] not in listed:
                diagnostics.add(
                    "P111",
                    f"change for '{change['manuscript']}', which is not listed under 'manuscripts'",
                    Location(PUBLICATION_FILE, *document.position(("editions", index, "changes", number, "manuscript"))),
                )
            changes.append(Change(change["manuscript"], change["kind"], change["note"]))
        editions.append(
            Edition(
                raw["number"],
                date,
                raw.get("label"),
                _normal_isbn(identifiers.get("isbn")),
                _normal_isbn(identifiers.get("isbn_print")),
                tuple(changes),
            )
        )
    return tuple(editions)


def _volumes(document, listed: set[str], diagnostics: Diagnostics) -> tuple[VolumeSpec, ...]:
    raw_volumes = document.data.get("volumes")
    if raw_volumes is None:
        return DEFAULT_VOLUMES
    volumes = []
    keys: dict[str, int] = {}
    for index, raw in enumerate(raw_volumes):
        line, _ = document.position(("volumes", index))
        for number, entry in enumerate(raw.get("manuscripts") or []):
            if entry not in listed:
                diagnostics.add(
                    "P112",
                    f"volume lists '{entry}', which is not listed under 'manuscripts'",
                    Location(PUBLICATION_FILE, *document.position(("volumes", index, "manuscripts", number))),
                )
        key = raw.get("key")
        if raw["kind"] == "offprints" and (key or raw.get("title") or raw.get("stem")):
            diagnostics.add(
                "P103",
                "'offprints' makes one volume per manuscript, named after it: it takes no key, title or stem",
                Location(PUBLICATION_FILE, line, 1),
            )
        if key in keys or (key is None and raw["kind"] == "reader" and "reader" in keys):
            where = document.position(("volumes", index, "key")) if key else (line, 1)
            diagnostics.add("P113", f"two volumes have the key '{key or 'reader'}'", Location(PUBLICATION_FILE, *where))
        keys.setdefault(key or raw["kind"].removesuffix("s"), index)
        volumes.append(
            VolumeSpec(
                raw["kind"],
                key,
                raw.get("title"),
                raw.get("stem"),
                raw.get("folder", "offprints" if raw["kind"] == "offprints" else None),
                tuple(raw["manuscripts"]) if raw.get("manuscripts") else None,
                tuple(raw.get("renditions") or (RENDITIONS if raw["kind"] == "reader" else ("pdf-screen", "epub"))),
                line,
            )
        )
    return tuple(volumes)


def _normal_isbn(raw: str | None) -> str | None:
    return raw.replace(" ", "-") if raw else None


def require_config(project: Project) -> Config:
    diagnostics = Diagnostics()
    config = load_config(project, diagnostics)
    diagnostics.raise_if_errors()
    assert config is not None
    return config


__all__ = ["Config", "Party", "Project", "PublisherError", "load_config", "require_config", "isbn_is_valid"]
