"""The words the pipeline itself puts on the page, per publication language.

Templates and writers take every generated word from here (``words(language)``), so that an
English edition needs nothing but a different ``language`` in publication.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

_WORDS = {
    "nl": {
        "contents": "Inhoud",
        "see_in_series": "zie {label}, {title}, in de reeks {series}",
        "see_in_series_text": "zie {title} in de reeks {series}",
        "in_series": "{label} uit de reeks {series}",
        "in_series_text": "Uit de reeks {series}",
        "first_published": "Eerste editie: {date}",
        "edition_ordinal": "{number}e editie",
        "and": " en ",
        "cite_as": "Verwijzen naar deze uitgave",
        "cite_reader": "{authors} ({year}). {title}, {edition}. {publishers}.",
        "cite_offprint": "{authors} ({year}). {title}. {place}in de reeks {series}, {edition}. {publishers}.",
        "identifier": "Identificatie",
        "changes": "Wijzigingen in deze editie",
        "changes_intro": "Wat er in deze {edition} is veranderd ten opzichte van de vorige editie:",
        "change_correctie": "correctie",
        "change_aanvulling": "aanvulling",
        "change_naschrift": "naschrift",
        "change_taal": "taal en leesbaarheid",
        "change_nieuw": "nieuwe tekst",
        "concept_mark": "CONCEPT",
        "concept_notice": "Concept: deze tekst is nog niet definitief en kan nog veranderen.",
        "colophon": "Colofon",
        "notes": "Noten",
        "cover": "Omslag",
        "title_page": "Titelpagina",
        "half_title": "Franse titel",
        "start": "Begin van de tekst",
        "case": "Case",
        "essay": "Essay",
        "introduction": "Inleiding",
        "dilemma": "Dilemma",
        "handreiking": "Handreiking",
        "kader": "Kader",
        "citaat": "Citaat",
        "see_page": "zie p.",
        "page": "Pagina",
        "page_list": "Paginanummers van de gedrukte uitgave",
        "print_edition": "{title}, gedrukte uitgave, {edition}",
        "pdf_edition": "{title}, PDF-uitgave, {edition}",
        "figure": "Figuur",
        "table": "Tabel",
        "back_to_text": "Terug naar de tekst",
        "back": "terug",
        "back_to_call": "Terug naar verwijzing {call} van {calls} in de tekst",
        "footnote": "Voetnoot",
        "by": "door",
        "edition": "editie",
        "edition_date": "Datum van deze editie",
        "commissioned_by": "In opdracht van",
        "produced_by": "Uitgevoerd door",
        "publishers": "Uitgevers",
        "contributors": "Medewerkers",
        "licence": "Licentie",
        "isbn": "ISBN",
        "status": "Status van de teksten",
        "status_one": "Status van de tekst",
        "status_concept": "concept",
        "status_definitief": "definitief",
        "keywords": "Trefwoorden",
        "summary": "Samenvatting",
        "words": "woorden",
        "reading_time": "leestijd",
        "minutes": "min.",
        "landmarks": "Oriëntatiepunten",
        "generated_with": "Gemaakt met de publicatiepijplijn van Smart society cases",
        "index": "Trefwoordenregister",
        "sources": "Bronnen",
        "sources_note": "De bronnen staan in de voetnoten bij elke tekst.",
        "sources_note_list": "De bronnen staan in de voetnoten bij elke tekst en, samen, in de lijst Bronnen achterin.",
        "months": "januari februari maart april mei juni juli augustus september oktober november december",
        "a11y_structure": "Deze publicatie bevat {texts} teksten met een inhoudsopgave, koppen voor navigatie en een trefwoordenregister.",
        "a11y_structure_one": "Deze publicatie bevat één tekst met een inhoudsopgave en koppen voor navigatie.",
        "a11y_images": "Alle {images} afbeeldingen hebben een tekstalternatief dat de inhoud beschrijft.",
        "a11y_image": "De afbeelding heeft een tekstalternatief dat de inhoud beschrijft.",
        "a11y_tables": "Tabellen hebben een bijschrift en kolomkoppen.",
        "a11y_notes": "De {notes} voetnoten zijn in beide richtingen gelinkt met de plaats in de tekst, ook als een noot meer dan eens wordt aangeroepen.",
        "a11y_pages": "De paginanummers van de gedrukte uitgave zijn opgenomen.",
        "a11y_layout": "De tekst past zich aan de instellingen van de lezer aan; er is geen vaste paginaopmaak.",
        "a11y_hazards": "De publicatie bevat geen flitsende beelden, geluid of bewegingssimulatie.",
        "a11y_conformance": "{certifier} heeft deze uitgave beoordeeld volgens EPUB Accessibility 1.1 en WCAG 2.1 niveau AA; het rapport staat op {report}.",
    },
    "en": {
        "contents": "Contents",
        "see_in_series": "see {label}, {title}, in the series {series}",
        "see_in_series_text": "see {title} in the series {series}",
        "in_series": "{label} of the series {series}",
        "in_series_text": "From the series {series}",
        "first_published": "First edition: {date}",
        "edition_ordinal": "{number} edition",
        "and": " and ",
        "cite_as": "How to cite",
        "cite_reader": "{authors} ({year}). {title}, {edition}. {publishers}.",
        "cite_offprint": "{authors} ({year}). {title}. {place}in the series {series}, {edition}. {publishers}.",
        "identifier": "Identifier",
        "changes": "Changes in this edition",
        "changes_intro": "What changed in this {edition} since the previous edition:",
        "change_correctie": "correction",
        "change_aanvulling": "addition",
        "change_naschrift": "postscript",
        "change_taal": "language and readability",
        "change_nieuw": "new text",
        "concept_mark": "DRAFT",
        "concept_notice": "Draft: this text is not final and may still change.",
        "colophon": "Colophon",
        "notes": "Notes",
        "cover": "Cover",
        "title_page": "Title page",
        "half_title": "Half title",
        "start": "Start of content",
        "case": "Case",
        "essay": "Essay",
        "introduction": "Introduction",
        "dilemma": "Dilemma",
        "handreiking": "Recommendation",
        "kader": "Box",
        "citaat": "Pull quote",
        "see_page": "see p.",
        "page": "Page",
        "page_list": "Page numbers of the print edition",
        "print_edition": "{title}, print edition, {edition}",
        "pdf_edition": "{title}, PDF edition, {edition}",
        "figure": "Figure",
        "table": "Table",
        "back_to_text": "Back to the text",
        "back": "back",
        "back_to_call": "Back to reference {call} of {calls} in the text",
        "footnote": "Footnote",
        "by": "by",
        "edition": "edition",
        "edition_date": "Date of this edition",
        "commissioned_by": "Commissioned by",
        "produced_by": "Produced by",
        "publishers": "Publishers",
        "contributors": "Contributors",
        "licence": "Licence",
        "isbn": "ISBN",
        "status": "Status of the texts",
        "status_one": "Status of the text",
        "status_concept": "draft",
        "status_definitief": "final",
        "keywords": "Keywords",
        "summary": "Summary",
        "words": "words",
        "reading_time": "reading time",
        "minutes": "min.",
        "landmarks": "Landmarks",
        "generated_with": "Made with the Smart society cases publishing pipeline",
        "index": "Index of keywords",
        "sources": "Sources",
        "sources_note": "Sources are given in the notes to each text.",
        "sources_note_list": "Sources are given in the notes to each text and, together, in the list of sources at the end.",
        "months": "January February March April May June July August September October November December",
        "a11y_structure": "This publication holds {texts} texts with a table of contents, headings for navigation and an index of keywords.",
        "a11y_structure_one": "This publication holds one text with a table of contents and headings for navigation.",
        "a11y_images": "All {images} images have a text alternative that describes their content.",
        "a11y_image": "The image has a text alternative that describes its content.",
        "a11y_tables": "Tables have a caption and column headers.",
        "a11y_notes": "The {notes} notes are linked both ways with their place in the text, also when a note is called more than once.",
        "a11y_pages": "The page numbers of the print edition are included.",
        "a11y_layout": "The text adapts to the reader's settings; there is no fixed page layout.",
        "a11y_hazards": "The publication has no flashing images, sound or motion simulation.",
        "a11y_conformance": "{certifier} evaluated this edition against EPUB Accessibility 1.1 and WCAG 2.1 level AA; the report is at {report}.",
    },
}


@dataclass(frozen=True)
class Typography:
    """Quotation marks and the words that open with an apostrophe, per language."""

    double: tuple[str, str]
    single: tuple[str, str]
    apostrophe: str
    # words that start with an elided letter: an apostrophe, never an opening quote
    elisions: tuple[str, ...]
    table_caption: str  # the keyword of a table caption line in manuscripts


TYPOGRAPHY = {
    "nl": Typography(
        double=("\u201c", "\u201d"),
        single=("\u2018", "\u2019"),
        apostrophe="\u2019",
        elisions=("s", "t", "n", "k", "m", "r"),
        table_caption="Tabel",
    ),
    "en": Typography(
        double=("\u201c", "\u201d"),
        single=("\u2018", "\u2019"),
        apostrophe="\u2019",
        elisions=("tis", "twas", "em", "n"),
        table_caption="Table",
    ),
}

LANGUAGES = tuple(_WORDS)


def words(language: str) -> MappingProxyType:
    """The generated words for ``language`` (read-only)."""
    return MappingProxyType(_WORDS[language])


def long_date(date, language: str) -> str:
    """A date written out, as both languages of the table write it: 1 november 2019."""
    month = _WORDS[language]["months"].split()[date.month - 1]
    return f"{date.day} {month} {date.year}"


def reading_minutes(word_count: int) -> int:
    """Reading time at 200 words a minute, the usual figure for informative Dutch prose."""
    return max(1, round(word_count / 200))
