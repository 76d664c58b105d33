"""The series' catalogue for e-reader apps: an OPDS 2.0 feed (JSON), ``catalogus.json``.

One publication per volume (the reader and every offprint) with its title, authors,
publishers, language, dates, summary, subjects, series position, cover image and an
open-access acquisition link per file (media type and size). Addresses are absolute,
under ``web.base_url``, so that an app that subscribes to the feed finds every file.
The JSON is written with sorted keys and no timestamps but the edition's date: the same
sources give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .config import Config

MEDIA_TYPE = "application/opds+json"
ACQUISITION = "http://opds-spec.org/acquisition/open-access"


@dataclass(frozen=True)
class Item:
    """One volume as the catalogue describes it."""

    identifier: str
    title: str
    subtitle: str | None
    summary: str | None
    authors: tuple[str, ...]
    subjects: tuple[str, ...]
    position: int | None  # the case's number in the series
    page: str | None  # its web page, relative to the site
    cover: str  # relative to the site
    files: tuple[tuple[str, str, int], ...]  # (href relative to the site, media type, bytes)


def feed(config: Config, items: list[Item], name: str) -> bytes:
    base = config.web_base_url
    assert base, "the catalogue needs web.base_url (checked by the distribution, D800)"
    publications = []
    for item in items:
        metadata = {
            "@type": "http://schema.org/Book",
            "identifier": item.identifier,
            "title": item.title,
            "language": config.language,
            "published": config.first_date.isoformat(),
            "modified": f"{config.edition_date.isoformat()}T00:00:00Z",
            "publisher": [{"name": p.name} for p in config.publishers],
            "author": [{"name": a} for a in item.authors] or [{"name": c.name} for c in config.contributors],
        }
        if item.subtitle:
            metadata["subtitle"] = item.subtitle
        if item.summary:
            metadata["description"] = item.summary
        if item.subjects:
            metadata["subject"] = [{"name": s} for s in item.subjects]
        if item.position is not None:
            metadata["belongsTo"] = {"series": [{"name": config.title, "position": item.position}]}
        links = [{"rel": ACQUISITION, "href": base + href, "type": media_type, "size": size} for href, media_type, size in item.files]
        if item.page:
            links.append({"rel": "alternate", "href": base + item.page, "type": "text/html"})
        publications.append({"metadata": metadata, "links": links, "images": [{"href": base + item.cover, "type": "image/svg+xml", "width": 1700, "height": 2400}]})
    document = {
        "metadata": {"title": config.title, "subtitle": config.subtitle, "modified": f"{config.edition_date.isoformat()}T00:00:00Z", "numberOfItems": len(items)},
        "links": [
            {"rel": "self", "href": base + name, "type": MEDIA_TYPE},
            {"rel": "alternate", "href": base + "index.html", "type": "text/html"},
            {"rel": "license", "href": config.licence_url or base + "index.html", "type": "text/html", "title": config.licence_name},
        ],
        "publications": publications,
    }
    if not config.subtitle:
        del document["metadata"]["subtitle"]
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
