"""EPUB Accessibility 1.1 metadata, stated from what the publication really contains."""

from __future__ import annotations

from .locale import words
from .publication import Entry

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def summary(entries: tuple[Entry, ...], language: str, has_page_list: bool, has_index: bool) -> str:
    vocabulary = words(language)
    images = sum(e.body.figures for e in entries)
    tables = sum(e.body.tables for e in entries)
    notes = sum(e.body.footnotes for e in entries)
    structure = "a11y_structure" if has_index else "a11y_structure_one"
    sentences = [vocabulary[structure].format(texts=len(entries))]
    if images:
        key = "a11y_image" if images == 1 else "a11y_images"
        sentences.append(vocabulary[key].format(images=images))
    if tables:
        sentences.append(vocabulary["a11y_tables"])
    if notes:
        sentences.append(vocabulary["a11y_notes"].format(notes=notes))
    if has_page_list:
        sentences.append(vocabulary["a11y_pages"])
    sentences.append(vocabulary["a11y_layout"])
    sentences.append(vocabulary["a11y_conformance"])
    return " ".join(sentences)


def metadata(entries: tuple[Entry, ...], language: str, documents_have_page_list: bool, has_index: bool) -> list[tuple[str, str]]:
    """(property, value) pairs for the package document's <meta> elements."""
    images = sum(e.body.figures for e in entries)
    modes = ["textual"] + (["visual"] if images else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder"] + (["index"] if has_index else []) + ["ARIA", "displayTransformability"]
    if images:
        features.append("alternativeText")
    if documents_have_page_list:
        features += ["pageBreakMarkers", "pageNavigation"]
    pairs = [("schema:accessMode", mode) for mode in modes]
    pairs.append(("schema:accessModeSufficient", "textual"))
    if images:
        pairs.append(("schema:accessModeSufficient", ",".join(modes)))
    pairs += [("schema:accessibilityFeature", feature) for feature in features]
    pairs += [("schema:accessibilityHazard", hazard) for hazard in ("noFlashingHazard", "noMotionSimulationHazard", "noSoundHazard")]
    pairs.append(("schema:accessibilitySummary", summary(entries, language, documents_have_page_list, has_index)))
    pairs.append(("dcterms:conformsTo", CONFORMS_TO))
    return pairs
