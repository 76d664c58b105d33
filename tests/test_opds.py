"""The OPDS 2.0 catalogue (web/catalogus.json), validated against the Readium Web
Publication Manifest schemas that OPDS 2.0 builds on (tests/schemas/, BSD licence) and
against the feed rules of OPDS 2.0."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, ValidationError, validators
from referencing import Registry, Resource

from publisher import opds

pytestmark = pytest.mark.slow

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "readium-webpub-manifest" / "schema"
BASE = "https://readium.org/webpub-manifest/schema/"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.rglob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        resources.append((BASE + path.relative_to(SCHEMAS).as_posix(), Resource.from_contents(document)))
    return Registry().with_resources(resources)


def _pattern(validator, pattern, instance, schema):
    """'pattern' with the schemas' ECMA-262 named groups ``(?<name>`` read as Python's."""
    if isinstance(instance, str) and not re.search(re.sub(r"\(\?<(?![=!])", "(?P<", pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = validators.extend(Draft7Validator, {"pattern": _pattern})


def _validator(name: str):
    registry = _registry()
    schema = registry.contents(BASE + name)
    return Validator(schema, registry=registry)


def problems(feed: dict) -> list[str]:
    """Everything wrong with ``feed`` as an OPDS 2.0 feed of publications."""
    found = []
    metadata, link = _validator("metadata.schema.json"), _validator("link.schema.json")
    if not feed.get("metadata", {}).get("title"):
        found.append("feed: no metadata.title")
    links = feed.get("links") or []
    if not any(l.get("rel") == "self" and l.get("type") == opds.MEDIA_TYPE for l in links):
        found.append("feed: no self link of type application/opds+json")
    for item in links:
        found += [f"feed link: {e.message}" for e in link.iter_errors(item)]
    publications = feed.get("publications") or []
    if not publications:
        found.append("feed: no publications")
    for number, publication in enumerate(publications):
        where = f"publication {number}"
        found += [f"{where} metadata: {e.message}" for e in metadata.iter_errors(publication.get("metadata", {}))]
        for item in publication.get("links", []) + publication.get("images", []):
            found += [f"{where} link: {e.message}" for e in link.iter_errors(item)]
        if not any(str(l.get("rel", "")).startswith("http://opds-spec.org/acquisition") for l in publication.get("links", [])):
            found.append(f"{where}: no acquisition link")
        if not publication.get("images"):
            found.append(f"{where}: no image")
    return found


def test_the_catalogue_is_valid_opds_2(mini_dist):
    project, _ = mini_dist
    feed = json.loads((project / "build" / "web" / "catalogus.json").read_text("utf-8"))
    assert problems(feed) == []


def test_the_validation_can_fail(mini_dist):
    project, _ = mini_dist
    feed = json.loads((project / "build" / "web" / "catalogus.json").read_text("utf-8"))
    broken = copy.deepcopy(feed)
    broken["publications"][0]["metadata"]["language"] = 12
    broken["publications"][1]["links"][0]["size"] = "groot"
    del broken["publications"][2]["images"]
    found = problems(broken)
    assert len(found) == 3, found


def test_the_catalogue_lists_every_volume_with_its_files(mini_dist):
    project, result = mini_dist
    site = project / "build" / "web"
    feed = json.loads((site / "catalogus.json").read_text("utf-8"))
    base = "https://example.org/proefreeks/"
    assert len(feed["publications"]) == len(result.build.volumes) == 4
    identifiers = [p["metadata"]["identifier"] for p in feed["publications"]]
    assert identifiers == [v.identity.identifier for v in result.build.volumes]
    for publication in feed["publications"]:
        metadata = publication["metadata"]
        assert metadata["language"] == "nl" and metadata["author"] and metadata["published"] == "2019-11-01"
        assert metadata["modified"].startswith("2020-03-15")
        acquisitions = [l for l in publication["links"] if l["rel"] == opds.ACQUISITION]
        assert [l["type"] for l in acquisitions] == ["application/pdf", "application/epub+zip"]
        for link in acquisitions + publication["images"]:
            assert link["href"].startswith(base)
            path = site / link["href"].removeprefix(base)
            assert path.is_file()
            if "size" in link:
                assert link["size"] == path.stat().st_size
    offprints = feed["publications"][1:]
    assert all(p["metadata"].get("description") for p in offprints)
    assert [p["metadata"]["belongsTo"]["series"][0]["position"] for p in offprints if "belongsTo" in p["metadata"]] == [1, 2]
