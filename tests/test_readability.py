"""Readability: Dutch syllables, sentences and the Flesch-Douma score of rendered bodies."""

import pytest

from publisher import markup, readability
from publisher.readability import measure, measure_text, sentences, syllables


@pytest.mark.parametrize(
    "word, expected",
    [
        ("gegevensbeschermingseffectbeoordeling", 12),
        ("materiaal", 4),
        ("geïnteresseerd", 5),
        ("officiële", 5),
        ("ideeën", 3),
        ("nieuwe", 2),
        ("eeuw", 1),
        ("groeit", 1),
        ("bijvoorbeeld", 3),
        ("vrijheid", 2),
        ("situatie", 4),
        ("Yivi", 2),
        ("fietsen", 2),
        ("Flesch-Douma", 3),
        ("app", 1),
    ],
)
def test_dutch_syllables(word, expected):
    assert syllables(word) == expected


def test_abbreviations_and_numbers_do_not_end_sentences():
    text = "Zie art. 22 van de AVG. Dat geldt o.a. voor gemeenten! Wat nu? In 2019 kwam er 4,9 mln. bij"
    assert sentences(text) == [
        "Zie art. 22 van de AVG.",
        "Dat geldt o.a. voor gemeenten!",
        "Wat nu?",
        "In 2019 kwam er 4,9 mln. bij",
    ]


def test_flesch_douma_by_hand():
    # 2 sentences, 8 words, syllables: de(1) kat(1) zit(1) op(1) de(1) mat(1) | ga(1) weg(1) = 8
    result = measure_text(["De kat zit op de mat. Ga weg."])
    assert (result.sentences, result.words, result.syllables) == (2, 8, 8)
    assert result.mean_sentence_length == 4
    assert result.flesch_douma == pytest.approx(206.835 - 0.93 * 4 - 77 * 1)


def test_long_sentences_and_long_words_are_counted():
    long = " ".join(["woord"] * 26) + "."
    result = measure_text([long, "Een gegevensbeschermingseffectbeoordeling is lang."])
    assert result.sentences == 2 and result.long_sentences == 1
    assert result.long_sentence_share == 0.5
    assert result.long_words == 1 and result.long_words_letters == 1


def test_only_running_prose_of_a_rendered_body_is_measured():
    source = "\n".join(
        [
            "## Een kop met veel woorden die niet tellen",
            "",
            "Eerste zin staat hier.[^n] Tweede zin.",
            "",
            "| Kolom | Tabelwoorden |",
            "| --- | --- |",
            "| niet | meten |",
            "",
            "::: dilemma Titel telt niet",
            "Een zin in een dilemma telt wel.",
            ":::",
            "",
            "::: citaat",
            "Een citaat herhaalt de tekst en telt niet.",
            ":::",
            "",
            "- Een lijstpunt",
            "",
            "[^n]: Een voetnoot telt ook niet.",
        ]
    )
    body = markup.render(source, "x", "nl")
    assert readability.prose(body.root) == [
        "Eerste zin staat hier. Tweede zin.",
        "Een zin in een dilemma telt wel.",
        "Een lijstpunt",
    ]
    result = measure(body.root)
    assert result.sentences == 4
    assert result.words == 4 + 2 + 7 + 2
