import pytest
from lxml import html

from publisher.assemble import assemble
from publisher.config import Project
from publisher.errors import PublisherError
from publisher.publication import load_publication


def book(project):
    return assemble(load_publication(Project.at(project)))


def test_the_intermediate_has_every_part_in_order(project):
    tree = book(project).tree()
    classes = [s.get("class").split()[0] for s in tree.xpath("/html/body/*[@class] | /html/body/main/*")]
    assert classes[:5] == ["cover", "half-title", "title-page", "colophon", "toc"]
    ids = [s.get("id") for s in tree.xpath("//section[contains(@class, 'manuscript')]")]
    assert ids == ["inleiding", "eerste-case", "tweede-case"]
    assert tree.getroot().get("lang") == "nl"
    assert tree.xpath("//nav[@class='toc']//a/@href") == ["#inleiding", "#eerste-case", "#tweede-case", "#register"]
    assert "Case 1" in tree.xpath("string(//section[@id='eerste-case']//p[@class='kicker'])")
    assert tree.xpath("string(//meta[@name='dcterms.created']/@content)") == "2020-03-15"


def test_generated_words_follow_the_language(project):
    path = project / "content" / "publication.yaml"
    path.write_text(path.read_text("utf-8").replace("language: nl", "language: en"), "utf-8")
    tree = book(project).tree()
    assert tree.xpath("string(//nav[@class='toc']/h2)") == "Contents"
    assert tree.xpath("string(//section[@class='colophon']/h2)") == "Colophon"


def test_text_is_escaped(project):
    path = project / "content" / "inleiding.md"
    path.write_text(path.read_text("utf-8").replace("title: Inleiding", "title: Inleiding <script>alert(1)</script>"), "utf-8")
    tree = html.document_fromstring(book(project).html)
    assert not tree.xpath("//script")
    assert "<script>" in tree.xpath("string(//section[@id='inleiding']//h1)")


def test_an_undefined_variable_in_a_template_names_the_template_and_line(project):
    template = project / "layouts" / "partials" / "cover.html.j2"
    template.write_text(template.read_text("utf-8").replace("{{ book.title }}", "{{ book.titel }}"), "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    assert [str(d) for d in raised.value.diagnostics.items] == [
        "layouts/partials/cover.html.j2:3:1: error[R404]: 'dict object' has no attribute 'titel'"
    ]


def test_a_template_syntax_error(project):
    template = project / "layouts" / "partials" / "back-matter.html.j2"
    template.write_text("{% for x in %}\n", "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    assert str(raised.value.diagnostics.items[0]).startswith("layouts/partials/back-matter.html.j2:1:1: error[R403]")


def test_a_template_expression_that_fails_names_the_template_and_line(project):
    template = project / "layouts" / "partials" / "manuscript.html.j2"
    template.write_text(template.read_text("utf-8").replace("{{ m.title }}</h1>", "{{ m.number + 1 }}</h1>"), "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    [problem] = [str(d) for d in raised.value.diagnostics.items]
    assert problem.startswith("layouts/partials/manuscript.html.j2:6:1: error[R403]: TypeError")


def test_the_index_files_accented_keywords_with_their_letter():
    from publisher.assemble import collation_key

    words = ["zorg", "Éénmalig", "algoritme", "Übersicht"]
    assert sorted(words, key=collation_key) == ["algoritme", "Éénmalig", "Übersicht", "zorg"]
