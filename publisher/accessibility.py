"""EPUB Accessibility 1.1 metadata, stated from what the publication really contains.

The claim of conformance (``dcterms:conformsTo``) is made only by a release, whose checks
passed, and always with who evaluated the publication (``a11y:certifiedBy``) and where the
report is (``a11y:certifierReport``, written by the EPUB writer as a ``<link>``)."""

from __future__ import annotations

from .locale import words
from .publication import Entry

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
CONFORMANCE_ID = "conformance"


def summary(entries: tuple[Entry, ...], language: str, has_page_list: bool, has_register: bool, claim: tuple[str, str] | None = None) -> str:
    vocabulary = words(language)
    images = sum(e.body.figures for e in entries)
    tables = sum(e.body.tables for e in entries)
    notes = sum(e.body.footnotes for e in entries)
    structure = "a11y_structure" if has_register else "a11y_structure_one"
    sentences = [vocabulary[structure].format(texts=len(entries))]
    if images:
        key = "a11y_image" if images == 1 else "a11y_images"
        sentences.append(vocabulary[key].format(images=images))
    if tables:
        sentences.append(vocabulary["a11y_tables"])
    if notes:
        # markup.shape gives every call of a note, a repeated one too, its own way back
        sentences.append(vocabulary["a11y_notes"].format(notes=notes))
    if has_page_list:
        sentences.append(vocabulary["a11y_pages"])
    sentences.append(vocabulary["a11y_layout"])
    sentences.append(vocabulary["a11y_hazards"])
    if claim:
        sentences.append(vocabulary["a11y_conformance"].format(certifier=claim[0], report=claim[1]))
    return " ".join(sentences)


def metadata(entries: tuple[Entry, ...], language: str, documents_have_page_list: bool, has_index: bool, claim: tuple[str, str] | None = None) -> list[tuple[str, str, dict]]:
    """(property, value, more attributes) for the package document's <meta> elements.
    ``has_index``: the volume has its register of keywords (not claimed as an index: it
    points at whole texts)."""
    images = sum(e.body.figures for e in entries)
    modes = ["textual"] + (["visual"] if images else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "ARIA", "displayTransformability"]
    if images:
        features.append("alternativeText")
    if documents_have_page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    pairs = [("schema:accessMode", mode, {}) for mode in modes]
    pairs.append(("schema:accessModeSufficient", "textual", {}))
    if images:
        pairs.append(("schema:accessModeSufficient", ",".join(modes), {}))
    pairs += [("schema:accessibilityFeature", feature, {}) for feature in features]
    pairs += [("schema:accessibilityHazard", hazard, {}) for hazard in ("noFlashingHazard", "noMotionSimulationHazard", "noSoundHazard")]
    pairs.append(("schema:accessibilitySummary", summary(entries, language, documents_have_page_list, has_index, claim), {}))
    if claim:
        pairs.append(("dcterms:conformsTo", CONFORMS_TO, {"id": CONFORMANCE_ID}))
        pairs.append(("a11y:certifiedBy", claim[0], {"refines": f"#{CONFORMANCE_ID}"}))
    return pairs
