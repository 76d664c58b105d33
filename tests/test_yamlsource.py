import pytest

from publisher import yamlsource


def test_positions_of_keys_and_values():
    doc = yamlsource.load("title: A\nlist:\n  - one\n  - two\nmap:\n  key: 3\n")
    assert doc.position(("title",)) == (1, 8)
    assert doc.position(("list", 1)) == (4, 5)
    assert doc.position(("map", "key"), key=True) == (6, 3)


def test_dates_stay_text_for_the_schema():
    assert yamlsource.load("date: 2019-11-01").data == {"date": "2019-11-01"}


def test_syntax_error_has_a_position():
    with pytest.raises(yamlsource.YamlSyntaxError) as raised:
        yamlsource.load("title: A\nkeywords: [a, b\nstatus: concept\n")
    assert raised.value.line >= 2


def test_unsafe_tags_are_refused():
    with pytest.raises(yamlsource.YamlSyntaxError):
        yamlsource.load("x: !!python/object/apply:os.system ['true']")


def test_integers_are_read_as_yaml_1_2_decimals():
    assert yamlsource.load("number: 08\nother: 010\nplain: 1_000").data == {"number": 8, "other": 10, "plain": "1_000"}
