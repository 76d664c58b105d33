from lxml import etree

from publisher.markup import render


def html(body):
    return etree.tostring(body.root, encoding="unicode")


def test_figure_with_caption_and_alt():
    body = render('![Een staafdiagram](images/a.svg "Het bijschrift.")\n', "case", "nl")
    figure = body.root.find("figure")
    assert figure.find("img").get("alt") == "Een staafdiagram"
    assert figure.find("figcaption").text == "Het bijschrift."
    assert body.figures == 1


def test_table_caption_in_the_language_of_the_publication():
    source = "| a | b |\n| - | - |\n| 1 | 2 |\n\nTabel: Getallen.\n"
    table = render(source, "case", "nl").root.find("table")
    assert table.find("caption").text == "Getallen."
    assert [th.get("scope") for th in table.iter("th")] == ["col", "col"]
    english = render(source.replace("Tabel:", "Table:"), "case", "en").root.find("table")
    assert english.find("caption").text == "Getallen."


def test_blocks_get_roles_and_labelled_headings():
    source = "## Kop\n\n::: dilemma Tellen of volgen?\nTekst.\n:::\n\n::: handreiking\n- een\n:::\n\n::: kader\nAchtergrond.\n:::\n\n::: citaat\nZin.\n:::\n"
    root = render(source, "case", "nl").root
    asides = root.findall("aside")
    assert [(a.get("class"), a.get("role")) for a in asides] == [
        ("block dilemma", "note"),
        ("block handreiking", "doc-tip"),
        ("block kader", "note"),
        ("block citaat", "doc-pullquote"),
    ]
    assert asides[0].find("h3").xpath("string()") == "Dilemma Tellen of volgen?"
    assert asides[1].find("h3").xpath("string()") == "Handreiking"
    assert asides[2].get("aria-label") == "Kader"


def test_footnotes_are_numbered_linked_and_prefixed():
    source = "Een[^a] twee[^b] drie[^a].\n\n[^a]: Bron A.\n[^b]: Bron B.\n"
    body = render(source, "case", "nl")
    refs = body.root.xpath("//a[@role='doc-noteref']")
    assert [(r.get("id"), r.get("href"), r.text) for r in refs] == [
        ("case--fnref-1", "#case--fn-1", "1"),
        ("case--fnref-2", "#case--fn-2", "2"),
        ("case--fnref-1-2", "#case--fn-1", "1"),
    ]
    notes = body.root.find("section[@role='doc-endnotes']")
    assert [li.get("id") for li in notes.iter("li")] == ["case--fn-1", "case--fn-2"]
    # a way back from every call, the repeated one included
    backlinks = notes.xpath(".//a[@role='doc-backlink']")
    assert [(a.get("href"), a.text, a.get("aria-label")) for a in backlinks] == [
        ("#case--fnref-1", "terug", "Terug naar verwijzing 1 van 2 in de tekst"),
        ("#case--fnref-1-2", "terug (2)", "Terug naar verwijzing 2 van 2 in de tekst"),
        ("#case--fnref-2", "terug", "Terug naar de tekst"),
    ]
    assert body.footnotes == 2
    assert len(body.ids) == len(list(body.root.xpath("//*[@id]")))  # ids are unique


def test_cross_references_stay_symbolic_until_a_volume_is_assembled():
    root = render("[zie](xref:andere#naschrift) en [hier](xref:andere)\n", "case", "nl").root
    links = root.findall(".//a")
    assert [(a.get("href"), a.get("class"), a.get("data-xref")) for a in links] == [
        (None, None, "andere#andere--naschrift"),
        (None, None, "andere"),
    ]


def test_raw_html_is_shown_as_text_not_interpreted():
    root = render('<link rel="attachment" href="file:///etc/passwd">\n\nTekst <img src="/etc/passwd">.\n', "case", "nl").root
    assert root.find(".//link") is None and root.find(".//img") is None
    assert "file:///etc/passwd" in root.text_content()


def test_headings_get_prefixed_ids_and_words_are_counted():
    body = render("## Eerste kop\n\nVier woorden staan hier.[^1]\n\n[^1]: Niet geteld.\n", "case", "nl")
    assert [(h.level, h.id, h.text) for h in body.headings] == [(2, "case--eerste-kop", "Eerste kop")]
    assert body.words == 6


def test_notes_are_numbered_in_the_order_they_are_called():
    source = "Eerst[^b] en dan[^a].\n\n[^a]: Bron A.\n[^b]: Bron B.\n"
    body = render(source, "case", "nl")
    refs = body.root.xpath("//a[@role='doc-noteref']")
    assert [(r.text, r.get("href")) for r in refs] == [("1", "#case--fn-1"), ("2", "#case--fn-2")]
    notes = body.root.xpath("//section[@role='doc-endnotes']//li")
    assert [n.get("id") for n in notes] == ["case--fn-1", "case--fn-2"]
    assert notes[0].xpath("string()").strip().startswith("Bron B.")
