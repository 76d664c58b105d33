import pytest
from lxml import html

from publisher.locale import TYPOGRAPHY
from publisher.typography import smarten, smarten_tree

NL = TYPOGRAPHY["nl"]
EN = TYPOGRAPHY["en"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('Ze zei "ja".', "Ze zei \u201cja\u201d."),
        ("de 'slimme samenleving'", "de \u2018slimme samenleving\u2019"),
        ("dilemma's en auto's", "dilemma\u2019s en auto\u2019s"),
        ("'s avonds en 't huis", "\u2019s avonds en \u2019t huis"),
        ("in de jaren '90", "in de jaren \u201990"),
        ("A -- B --- C...", "A \u2013 B \u2014 C\u2026"),
        ('("haakjes")', "(\u201chaakjes\u201d)"),
    ],
)
def test_dutch(source, expected):
    assert smarten(source, NL) == expected


def test_english_does_not_treat_dutch_elisions_as_apostrophes():
    assert smarten("'s avonds", EN) == "\u2018s avonds"
    assert smarten("'tis the '90s", EN) == "\u2019tis the \u201990s"
    assert smarten("It's \"fine\"", EN) == "It\u2019s \u201cfine\u201d"


def test_quotes_across_inline_elements_and_code_left_alone():
    root = html.fragment_fromstring('<div><p>"<em>slim</em>" en <code>"raw"</code></p></div>')
    smarten_tree(root, "nl")
    assert root.find("p").text_content() == "\u201cslim\u201d en \"raw\""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(zie p. 31)", "(zie\u00a0p.\u00a031)"),
        ("Case 3 en case 4", "Case\u00a03 en case\u00a04"),
        ("CC BY 4.0 en CC BY-SA 4.0", "CC\u00a0BY\u00a04.0 en CC\u00a0BY-SA\u00a04.0"),
        ("zie figuur 2 op p. 48", "zie\u00a0figuur\u00a02 op p.\u00a048"),
        ("zie verder", "zie verder"),
    ],
)
def test_fixed_expressions_are_tied_with_no_break_spaces(source, expected):
    assert smarten(source, NL) == expected


def test_keyword_apostrophes_are_typographic():
    assert smarten("dilemma's", NL) == "dilemma\u2019s"
