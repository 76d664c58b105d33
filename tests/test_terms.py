"""The house style's terms list: avoided forms and foreign terms, with their places."""

from publisher import api
from publisher.errors import PublisherError
from publisher.terms import TermsList, Term, check_text

from .conftest import ROOT

TERMS = TermsList(
    terms=[Term("wifitracking", ("wifi-tracking",)), Term("black box", ("zwarte doos",)), Term("functionaris gegevensbescherming", ("privacyfunctionaris",))],
    foreign=["black box", "commons"],
)


def test_avoided_forms_are_found_at_their_place():
    text = "---\ntitle: Over wifi-tracking\n---\nDe zwarte doos van de\nPrivacyfunctionaris.\n"
    found = check_text(text, TERMS, body_line=4)
    assert [(c, s.line, s.column) for c, _, s in found] == [("L600", 2, 13), ("L600", 4, 4), ("L600", 5, 1)]
    assert "'wifitracking'" in found[0][1]


def test_quoted_titles_urls_and_italic_titles_in_notes_are_excepted():
    text = "\n".join(
        [
            'Het artikel "Wifi-tracking rond winkels" is bekend.[^a] Zie <https://x.nl/wifi-tracking>.',
            "",
            "[^a]: RTV Oost, *Zes ton boete vanwege wifi-tracking*, 2021.",
            "    Vervolg zonder wifi-tracking-titel: wifi-tracking.",
        ]
    )
    found = check_text(text, TermsList(terms=[Term("wifitracking", ("wifi-tracking",))]), body_line=1)
    # only the last, unquoted use in the note's own words is reported
    assert [(c, s.line) for c, _, s in found] == [("L600", 4)]


def test_foreign_terms_must_be_italic_at_first_use_only():
    good = "Een *black box* is dicht. Een black box blijft dicht. De *commons* zijn van ons."
    assert check_text(good, TERMS) == []
    bad = "## Over commons\n\nDe commons zijn van ons. Later *commons*. De Creative Commons-licentie."
    found = check_text(bad, TERMS)
    assert [(c, s.line, s.column) for c, _, s in found] == [("L602", 3, 4)]


def test_terms_yaml_is_applied_by_check(project):
    (project / "content" / "terms.yaml").write_text(
        "terms:\n  - preferred: MAC-adres\n    avoid: [macadres]\nforeign: []\n", "utf-8"
    )
    case = project / "content" / "cases" / "01-eerste-case.md"
    case.write_text(case.read_text("utf-8") + "\nHet macadres.\n", "utf-8")
    publication = api.check(project)
    found = [(d.code, str(d.location)) for d in publication.diagnostics.items]
    line = len(case.read_text("utf-8").split("\n")) - 1
    assert found == [("L600", f"content/cases/01-eerste-case.md:{line}:5")]


def test_a_malformed_terms_yaml_is_an_error(project):
    (project / "content" / "terms.yaml").write_text("terms:\n  - preferred: x\n    avoid: y\n", "utf-8")
    try:
        api.check(project)
    except PublisherError as error:
        assert [(d.code, str(d.location)) for d in error.diagnostics.items] == [("L601", "content/terms.yaml:3:12")]
    else:
        raise AssertionError("no error")


def test_the_series_is_clean_under_its_terms_list():
    publication = api.check(ROOT)
    assert not [str(d) for d in publication.diagnostics.items if d.code.startswith("L")]


# --- The house rule for quotation marks (B391) ----------------------------------------


def test_double_quotes_around_an_unattributed_phrase_are_a_warning_at_their_place():
    from publisher.terms import check_quotes

    text = (
        "---\ntitle: x\n---\n"
        'Een laadpaal heet "slim". Volgens Logius komt het "op termijn".\n'
        'Het decreet regelt het "intensieve gebruik\nvan de wegen". Zij noemt het "de lus".[^a]\n'
        '\n![Alt](images/a.svg "Een bijschrift staat tussen dubbele aanhalingstekens.")\n'
        "\n`\"code\"` en 'enkel' zijn vrij; \u201cgetypt\u201d telt ook.\n"
    )
    found = [(code, at.line, at.column, message.split(" is ")[0]) for code, message, at in check_quotes(text, 4)]
    assert found == [("B391", 4, 19, "\u201cslim\u201d"), ("B391", 10, 32, "\u201cgetypt\u201d")], found


def test_the_series_follows_the_house_rule_for_quotation_marks():
    from publisher.config import Project
    from publisher.publication import load_publication

    publication = load_publication(Project.at(ROOT))
    assert [d for d in publication.diagnostics.items if d.code == "B391"] == []
