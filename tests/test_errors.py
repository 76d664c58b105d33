from pathlib import Path

import pytest

from publisher.errors import CATALOGUE, Diagnostic, Diagnostics, Location, PublisherError, catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_codes_have_a_category_prefix_and_three_digits():
    for code in CATALOGUE:
        assert code[0] in "PMBRCL" and code[1:].isdigit() and len(code) == 4


def test_docs_catalogue_is_generated_from_the_code():
    assert (ROOT / "docs" / "errors.md").read_text("utf-8") == catalogue_markdown()


def test_a_diagnostic_prints_path_line_column_severity_and_code():
    d = Diagnostic("B300", "unknown block 'x'", Location("content/a.md", 4, 2))
    assert str(d) == "content/a.md:4:2: error[B300]: unknown block 'x'"


def test_unknown_codes_are_refused():
    with pytest.raises(KeyError):
        Diagnostic("X999", "nope")


def test_errors_are_collected_and_sorted_by_place():
    diagnostics = Diagnostics()
    diagnostics.add("B300", "second", Location("b.md", 1, 1))
    diagnostics.add("B351", "a warning", Location("a.md", 9, 1))
    diagnostics.add("B300", "first", Location("a.md", 2, 1))
    assert [d.message for d in diagnostics.sorted()] == ["first", "a warning", "second"]
    with pytest.raises(PublisherError) as raised:
        diagnostics.raise_if_errors()
    assert len(raised.value.diagnostics.errors) == 2


def test_warnings_alone_do_not_stop():
    diagnostics = Diagnostics()
    diagnostics.add("B351", "unused note")
    diagnostics.raise_if_errors()
