"""Stage 4a: a Publication → the volumes to build.

A volume is a selection of manuscripts in reading order with an identity of its own
(identifier, title, file stem, edition) and the generated parts around them. The
reader holds every manuscript; an offprint holds one. Volumes are declared under
``volumes`` in publication.yaml; without that section the series has the reader and one
offprint per manuscript (``config.DEFAULT_VOLUMES``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import Change, Config, Edition, VolumeSpec, derived_identifier
from .publication import Entry, Publication
from .text import slugify

READER = "reader"
OFFPRINT = "offprint"

# Generated parts, in the order the layout puts them. A volume lists the ones it has.
READER_PARTS = ("cover", "half-title", "title-page", "colophon", "toc", "changes", "sources", "index")
OFFPRINT_PARTS = ("cover", "title-page", "colophon", "changes", "sources")


@dataclass(frozen=True)
class Identity:
    """What names a volume: in its metadata, on its cover and in its file names."""

    identifier: str  # urn:isbn:… or urn:uuid:…, new for every edition
    title: str
    subtitle: str | None
    stem: str  # file name without extension
    folder: str | None  # sub-folder of build/, or None for build/ itself
    edition: Edition


@dataclass(frozen=True)
class Volume:
    key: str  # "reader", or the offprint's slug, or a declared key
    kind: str  # READER or OFFPRINT
    entries: tuple[Entry, ...]
    identity: Identity
    parts: tuple[str, ...]
    renditions: tuple[str, ...]

    def contains(self, slug: str) -> bool:
        return any(entry.slug == slug for entry in self.entries)

    @property
    def changes(self) -> tuple[Change, ...]:
        """This edition's changes to the manuscripts of the volume."""
        paths = {entry.manuscript.path.removeprefix("content/") for entry in self.entries}
        return tuple(change for change in self.identity.edition.changes if change.manuscript in paths)


def plan(publication: Publication) -> tuple[Volume, ...]:
    """Every volume the configuration declares, in declaration order."""
    config = publication.config
    volumes: list[Volume] = []
    for spec in config.volumes:
        if spec.kind == "reader":
            volumes.append(_reader(config, spec, _select(publication, spec)))
        else:
            volumes.extend(_offprint(config, spec, entry) for entry in _select(publication, spec))
    return tuple(volumes)


def _select(publication: Publication, spec: VolumeSpec) -> tuple[Entry, ...]:
    if spec.manuscripts is None:
        return tuple(publication.entries)
    wanted = set(spec.manuscripts)
    return tuple(e for e in publication.entries if e.manuscript.path.removeprefix("content/") in wanted)


def _with_changes(parts: tuple[str, ...], volume_changes: tuple[Change, ...]) -> tuple[str, ...]:
    return parts if volume_changes else tuple(p for p in parts if p != "changes")


def _reader(config: Config, spec: VolumeSpec, entries: tuple[Entry, ...]) -> Volume:
    key = spec.key or READER
    whole = spec.key is None and spec.manuscripts is None
    identifier = config.identifier if whole else derived_identifier(config, key)
    identity = Identity(
        identifier,
        spec.title or config.title,
        config.subtitle if spec.title is None else None,
        spec.stem or (slugify(config.title) if whole else f"{slugify(config.title)}-{key}"),
        spec.folder,
        config.edition,
    )
    volume = Volume(key, READER, entries, identity, READER_PARTS, spec.renditions)
    return _finish(volume)


def _offprint(config: Config, spec: VolumeSpec, entry: Entry) -> Volume:
    identity = Identity(
        derived_identifier(config, f"offprint {entry.slug}"),
        entry.meta.title,
        entry.meta.subtitle,
        entry.slug,
        spec.folder,
        config.edition,
    )
    return _finish(Volume(entry.slug, OFFPRINT, (entry,), identity, OFFPRINT_PARTS, spec.renditions))


def _finish(volume: Volume) -> Volume:
    parts = _with_changes(volume.parts, volume.changes)
    return Volume(volume.key, volume.kind, volume.entries, volume.identity, parts, volume.renditions)
