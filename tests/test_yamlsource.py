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
    assert (raised.value.line, raised.value.column) == (2, 11)  # where the '[' opens


def test_unsafe_tags_are_refused():
    with pytest.raises(yamlsource.YamlSyntaxError):
        yamlsource.load("x: !!python/object/apply:os.system ['true']")


def test_integers_are_read_as_yaml_1_2_decimals():
    assert yamlsource.load("number: 08\nother: 010\nplain: 1_000").data == {"number": 8, "other": 10, "plain": "1_000"}


def test_anchors_and_aliases_are_refused_before_anything_is_built():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdef", "bcdefg"))
    with pytest.raises(yamlsource.YamlSyntaxError) as raised:
        yamlsource.load(bomb)
    assert "anchors and aliases" in raised.value.message and (raised.value.line, raised.value.column) == (1, 4)
    with pytest.raises(yamlsource.YamlSyntaxError) as raised:
        yamlsource.load("a: 1\nb: *x\n")
    assert "anchors and aliases" in raised.value.message or "undefined alias" in raised.value.message


def test_deep_nesting_is_an_error_not_a_recursion():
    with pytest.raises(yamlsource.YamlSyntaxError) as raised:
        yamlsource.load("x: " + "[" * 3000 + "]" * 3000)
    assert "nested more than 20 levels deep" in raised.value.message
