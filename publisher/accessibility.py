"""EPUB Accessibility 1.1 metadata, stated from what the publication really contains."""

from __future__ import annotations

from .locale import words
from .publication import Publication

CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def summary(publication: Publication, has_page_list: bool) -> str:
    vocabulary = words(publication.language)
    images = sum(e.body.figures for e in publication.entries)
    tables = sum(e.body.tables for e in publication.entries)
    notes = sum(e.body.footnotes for e in publication.entries)
    sentences = [vocabulary["a11y_structure"].format(texts=len(publication.entries))]
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


def metadata(publication: Publication, documents_have_page_list: bool) -> list[tuple[str, str]]:
    """(property, value) pairs for the package document's <meta> elements."""
    images = sum(e.body.figures for e in publication.entries)
    modes = ["textual"] + (["visual"] if images else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "index", "ARIA", "displayTransformability"]
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
    pairs.append(("schema:accessibilitySummary", summary(publication, documents_have_page_list)))
    pairs.append(("dcterms:conformsTo", CONFORMS_TO))
    return pairs
