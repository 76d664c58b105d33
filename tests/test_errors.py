from pathlib import Path

import pytest

from publisher.errors import CATALOGUE, Diagnostic, Diagnostics, Location, PublisherError, catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_codes_have_a_category_prefix_and_three_digits():
    for code in CATALOGUE:
        assert code[0] in "PMBRCLD" and code[1:].isdigit() and len(code) == 4


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


# Every code ever issued: a code may be retired, never removed or given another meaning.
EVER_ISSUED = """
P100 P101 P102 P103 P104 P105 P106 P107 P108 P109 P110 P111 P112 P113 P114 P115
M200 M201 M202 M203 M204 M205 M206 M207 M208 M209 M210 M211 M212 M213 M214 M215
B300 B301 B302 B303 B304 B305 B310 B311 B320 B321 B322 B323 B324 B325 B330 B340 B350 B351 B352 B353 B354 B355
B360 B370 B371 B380 B381 B382 B390 B391 C500 C501 C502 C503 C504 C505 C506 C507 C508 L600 L601 L602
R400 R401 R402 R403 R404 R405 R406 R407 R408 R409 R410 R411 R412 R413 R414 R415 R416 R417 R418 R419 R420 R430 R431
D800 D801 D802 D803 D804 D805 D806
""".split()


def test_no_code_ever_issued_disappears():
    from publisher.errors import CATALOGUE

    assert set(EVER_ISSUED) - set(CATALOGUE) == set(), "a code was removed: mark it retired instead"
    assert set(CATALOGUE) - set(EVER_ISSUED) == set(), "a new code: add it to EVER_ISSUED (and give it a golden test)"


def test_a_retired_code_is_listed_as_retired():
    from publisher.errors import Code, Severity, catalogue_markdown
    import publisher.errors as errors

    table = dict(errors.CATALOGUE)
    table["X999"] = Code("X999", Severity.ERROR, "an old meaning", retired=True)
    original = errors.CATALOGUE
    errors.CATALOGUE = table
    try:
        assert "| X999 | error | retired: an old meaning |" in catalogue_markdown()
    finally:
        errors.CATALOGUE = original
