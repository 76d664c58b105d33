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
