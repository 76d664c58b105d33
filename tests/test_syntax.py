from publisher.syntax import mask_code, scan


def codes(problems):
    return [(p.code, p.at.line, p.at.column) for p in problems]


def test_blocks_are_found_with_positions():
    result = scan("Intro.\n\n::: dilemma Tellen of volgen?\nTekst.\n:::\n\n::: citaat\nZin.\n:::\n", 10)
    assert [(b.name, b.title, b.at.line) for b in result.blocks] == [("dilemma", "Tellen of volgen?", 12), ("citaat", None, 16)]
    assert result.problems == []


def test_unknown_unclosed_nested_and_stray_blocks():
    result = scan("::: dilema\nx\n:::\n\n::: kader\n::: citaat\n:::\n:::\n\n::: handreiking\nnooit dicht\n", 1)
    assert codes(result.problems) == [
        ("B300", 1, 5),
        ("B305", 6, 1),
        ("B302", 6, 1),
        ("B304", 8, 1),
        ("B301", 10, 1),
    ]


def test_citaat_takes_no_title():
    assert codes(scan("::: citaat Titel\nx\n:::\n", 1).problems) == [("B303", 1, 1)]


def test_images_links_and_footnotes():
    body = "Zie [de case](xref:andere-case#kop) en ![Alt](images/a.svg \"Bijschrift\").[^1]\n\n[^1]: Bron, 2019. <https://example.org/>\n"
    result = scan(body, 20)
    assert [(i.alt, i.src, i.title, i.at.line, i.at.column) for i in result.images] == [("Alt", "images/a.svg", "Bijschrift", 20, 40)]
    assert [(link.target, link.scheme) for link in result.links] == [("xref:andere-case#kop", "xref"), ("https://example.org/", "https")]
    assert set(result.footnote_calls) == {"1"} and set(result.footnote_definitions) == {"1"}


def test_links_spanning_lines_are_found():
    result = scan("Een [link over\ntwee regels](xref:ergens) hier.\n", 5)
    assert [(link.target, link.at.line, link.at.column) for link in result.links] == [("xref:ergens", 5, 5)]


def test_code_is_not_scanned():
    body = "```\n::: onbekend\n![](images/x.png)\n```\n\nTekst met `::: ook niet` en `![](y.png)`.\n"
    result = scan(body, 1)
    assert result.problems == [] and result.images == []
    assert mask_code("a `b` c") == "a     c"


def test_level_one_heading_in_the_body():
    assert codes(scan("Tekst.\n\n# Kop\n", 7).problems) == [("B330", 9, 1)]


def test_a_table_caption_needs_a_table_and_heading_ids_are_unique():
    body = "| a | b |\n| - | - |\n| 1 | 2 |\n\nTabel: Goed.\n\nTabel: Zwevend.\n\n## Een {#kop}\n\n## Twee {#kop}\n"
    assert codes(scan(body, 1).problems) == [("B360", 7, 1), ("B352", 11, 1)]
    assert codes(scan("Table: caption\n", 1, "Table").problems) == [("B360", 1, 1)]


def test_what_the_renderer_treats_as_markup_is_checked_too():
    # a block right under a paragraph; an attribute list that sets attributes; a setext
    # level-1 heading; '#' without a space; a caption glued to its table; a note in a caption
    body = (
        "Tekst\n::: dilemma Kies\nx\n:::\n\n"
        "[hier](https://example.org){: onclick=\"x()\" }\n\n"
        "Kop\n===\n\n"
        "#Hashtag aan het begin\n\n"
        "| a |\n| - |\n| 1 |\nTabel: vast\n\n"
        "![Alt](images/a.svg \"Bijschrift[^n]\")\n\n"
        "[^n]: Noot.\n[^n]: Nog eens.\n"
    )
    found = codes(scan(body, 1).problems)
    assert ("B305", 2, 1) in found
    assert ("B370", 6, 28) in found
    assert ("B330", 8, 1) in found and ("B330", 11, 1) in found
    assert ("B360", 16, 1) in found
    assert ("B353", 18, 1) in found
    assert ("B354", 21, 1) in found


def test_code_spans_do_not_run_over_paragraphs_and_blocks_in_lists_are_checked():
    body = "Een backtick (`) hier.\n\n# Kop\n\nEn nog een: `.\n\n- punt\n\n    ::: onbekend\n    x\n    :::\n"
    found = codes(scan(body, 1).problems)
    assert ("B330", 3, 1) in found
    assert any(code == "B300" and line == 9 for code, line, _ in found)


def test_a_footnote_definition_label_is_not_a_call_but_a_mid_line_call_is():
    result = scan("bron[^1]: daar staat het.\n\n[^1]: Bron.\n", 1)
    assert set(result.footnote_calls) == {"1"}
