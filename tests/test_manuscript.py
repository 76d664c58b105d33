from publisher.errors import Diagnostics
from publisher.manuscript import read_manuscript, slug_for, split_front_matter

GOOD = """---
title: Een case
number: 3
authors: [Redactie]
summary: Kort.
keywords: [a]
status: concept
date: 2019-11-01
---
Tekst.
"""


def read(tmp_path, text, name="cases/03-een-case.md"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    diagnostics = Diagnostics()
    manuscript = read_manuscript(path, f"content/{name}", name, diagnostics)
    return manuscript, [str(d) for d in diagnostics.sorted()]


def test_slugs_come_from_file_names():
    assert slug_for("cases/01-volg-jij-nog-waar-je-gevolgd-wordt.md") == ("case", "volg-jij-nog-waar-je-gevolgd-wordt")
    assert slug_for("open-de-black-box.md") == ("text", "open-de-black-box")
    assert slug_for("cases/1-kort.md") == (None, "")
    assert slug_for("cases/01-Hoofdletters.md") == (None, "")


def test_front_matter_and_body_line(tmp_path):
    manuscript, problems = read(tmp_path, GOOD)
    assert problems == []
    assert manuscript.meta.number == 3 and manuscript.meta.date.isoformat() == "2019-11-01"
    assert manuscript.body_line == 10 and manuscript.body.startswith("Tekst.")


def test_front_matter_syntax_error_is_reported_at_its_line_in_the_file(tmp_path):
    broken = GOOD.replace("authors: [Redactie]", "authors: [Redactie")
    _, problems = read(tmp_path, broken)
    assert len(problems) == 1
    assert problems[0].startswith("content/cases/03-een-case.md:4:10: error[M201]: while parsing a flow sequence")
    assert problems[0].endswith("(line 5, column 8)")
    assert "error[M201]" in problems[0]


def test_schema_problems_point_into_the_front_matter(tmp_path):
    text = GOOD.replace("status: concept", "status: klaar").replace("summary: Kort.\n", "samenvatting: Kort.\n")
    _, problems = read(tmp_path, text)
    assert any(p.startswith("content/cases/03-een-case.md:5:1: error[M202]: unknown key 'samenvatting'") for p in problems)
    assert any("error[M204]: required key 'summary' is missing" in p for p in problems)
    assert any(p.startswith("content/cases/03-een-case.md:7:9: error[M203]: 'status': 'klaar' is not one of") for p in problems)


def test_case_number_must_match_the_file_name(tmp_path):
    _, problems = read(tmp_path, GOOD.replace("number: 3", "number: 4"))
    assert problems == ["content/cases/03-een-case.md:3:9: error[M206]: number 4 does not match the file name's 03"]


def test_texts_outside_cases_have_no_number(tmp_path):
    _, problems = read(tmp_path, GOOD, name="essay.md")
    assert problems == ["content/essay.md:3:1: error[M206]: only cases (content/cases/) have a number"]


def test_missing_and_unclosed_front_matter(tmp_path):
    assert read(tmp_path, "Tekst zonder kop.\n")[1] == ["content/cases/03-een-case.md:1:1: error[M200]: a manuscript starts with front matter between two '---' lines"]
    assert "error[M208]" in read(tmp_path, "---\ntitle: x\n")[1][0]
    assert split_front_matter("---\na: 1\n---\nbody") == ("a: 1", 2, "body", 4)


def test_case_numbers_written_like_the_file_name_and_not_as_fractions(tmp_path):
    manuscript, problems = read(tmp_path, GOOD.replace("number: 3", "number: 03"))
    assert problems == [] and manuscript.meta.number == 3
    _, problems = read(tmp_path, GOOD.replace("number: 3", "number: 3.0"))
    assert problems == ["content/cases/03-een-case.md:3:9: error[M203]: 'number': 3.0 is not a whole number"]
