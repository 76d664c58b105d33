from lxml import html

from publisher.pagebreaks import insert
from publisher.pagination import PageMap, PageStart


def test_no_marker_goes_into_a_part_the_epub_does_not_carry():
    root = html.fromstring(
        '<html><body><section id="omslag" data-part="cover" data-renditions="pdf"><p data-tc="0">Omslag</p></section>'
        '<section id="case" data-part="manuscript"><p data-tc="1">Eerste woorden van de tekst.</p></section></body></html>'
    )
    starts = (PageStart(1, "0", "omslag", "Omslag"), PageStart(2, "1", "case", "Eerste woorden van de tekst."))
    markers = insert(root, PageMap("x", starts), "Pagina")
    assert [m.page for m in markers] == [2]
    assert not root.xpath("//section[@id='omslag']//*[@role='doc-pagebreak']")
    assert root.xpath("//section[@id='case']//*[@role='doc-pagebreak']/@id") == ["page-2"]


def test_a_page_that_begins_at_a_heading_caption_or_block_title_is_marked_before_it():
    root = html.fromstring(
        '<html><body><section id="case">'
        '<h2 data-tc="1">De dilemma’s</h2>'
        '<aside class="block dilemma"><h3 data-tc="2"><span class="block-label">Dilemma</span> <span>Proeftuin of praktijk?</span></h3><p>Tekst.</p></aside>'
        '<table><caption data-tc="3">Niveaus van DigiD</caption><tr><td>x</td></tr></table>'
        '<p data-tc="4">Eerste zin van de pagina. En de volgende zin.</p>'
        "</section></body></html>"
    )
    starts = (
        PageStart(10, "1", "case", "De dilemma’s"),
        PageStart(11, "2", "case", "DILEMMA Proeftuin of"),
        PageStart(12, "3", "case", "Niveaus van DigiD"),
        PageStart(13, "4", "case", "En de volgende"),
    )
    markers = insert(root, PageMap("x", starts), "Pagina")
    assert [(m.page, m.exact) for m in markers] == [(10, True), (11, True), (12, True), (13, True)]
    section = root.xpath("//section")[0]
    # none inside a heading or caption: before the heading, the block and the table
    assert not root.xpath("//h2//*[@role='doc-pagebreak'] | //h3//*[@role='doc-pagebreak'] | //caption//*[@role='doc-pagebreak']")
    order = [(e.tag, e.get("id")) for e in section]
    assert order == [("span", "page-10"), ("h2", None), ("span", "page-11"), ("aside", None), ("span", "page-12"), ("table", None), ("p", None)]
    assert section.xpath("string(h2)") == "De dilemma’s" and section.xpath("string(aside/h3)") == "Dilemma Proeftuin of praktijk?"
    # a page that begins in the middle of a paragraph keeps its marker there
    paragraph = section.find("p")
    assert paragraph.text == "Eerste zin van de pagina. " and paragraph[0].get("id") == "page-13"
