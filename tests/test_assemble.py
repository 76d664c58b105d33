import pytest
from lxml import html

from publisher.assemble import assemble
from publisher.config import Project
from publisher.errors import PublisherError
from publisher.publication import load_publication
from publisher.volumes import plan


def book(project, key="reader"):
    publication = load_publication(Project.at(project))
    [volume] = [v for v in plan(publication) if v.key == key]
    return assemble(publication, volume)


def test_the_intermediate_has_every_part_in_order(project):
    tree = book(project).tree()
    classes = [s.get("class").split()[0] for s in tree.xpath("/html/body/*[@class] | /html/body/main/*")]
    assert classes[:6] == ["cover", "half-title", "title-page", "colophon", "toc", "changes"]
    ids = [s.get("id") for s in tree.xpath("//section[contains(@class, 'manuscript')]")]
    assert ids == ["inleiding", "eerste-case", "tweede-case"]
    assert tree.getroot().get("lang") == "nl"
    assert tree.xpath("//nav[@class='toc']//a/@href") == ["#wijzigingen", "#inleiding", "#eerste-case", "#tweede-case", "#register"]
    assert "Case 1" in tree.xpath("string(//section[@id='eerste-case']//p[@class='kicker'])")
    # first published in edition 1; this is edition 2
    assert tree.xpath("string(//meta[@name='dcterms.created']/@content)") == "2019-11-01"
    assert tree.xpath("string(//meta[@name='dcterms.modified']/@content)") == "2020-03-15"


def test_generated_words_follow_the_language(project):
    path = project / "content" / "publication.yaml"
    path.write_text(path.read_text("utf-8").replace("language: nl", "language: en"), "utf-8")
    tree = book(project).tree()
    assert tree.xpath("string(//nav[@class='toc']/h2)") == "Contents"
    assert tree.xpath("string(//section[@class='colophon']//h2)") == "Colophon"


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
        "layouts/partials/cover.html.j2:9:1: error[R404]: 'dict object' has no attribute 'titel'"
    ]


def test_a_template_syntax_error(project):
    template = project / "layouts" / "partials" / "back-matter.html.j2"
    template.write_text("{% for x in %}\n", "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    assert str(raised.value.diagnostics.items[0]).startswith("layouts/partials/back-matter.html.j2:1:1: error[R403]")


def test_a_template_expression_that_fails_names_the_template_and_line(project):
    template = project / "layouts" / "partials" / "manuscript.html.j2"
    template.write_text(template.read_text("utf-8").replace("{{ m.title_marked }}</h1>", "{{ m.number + 1 }}</h1>"), "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    [problem] = [str(d) for d in raised.value.diagnostics.items]
    assert problem.startswith("layouts/partials/manuscript.html.j2:6:1: error[R403]: TypeError")


def test_the_index_files_accented_keywords_with_their_letter():
    from publisher.assemble import collation_key

    words = ["zorg", "Éénmalig", "algoritme", "Übersicht"]
    assert sorted(words, key=collation_key) == ["algoritme", "Éénmalig", "Übersicht", "zorg"]


def test_the_structure_describes_the_parts_for_the_writers(project):
    assembled = book(project)
    structure = assembled.structure
    parts = [(s.part, s.id, s.document) for s in structure.sections]
    assert parts == [
        ("cover", "omslag", None),
        ("half-title", "franse-titel", None),
        ("title-page", "titelpagina", "titelpagina"),
        ("colophon", "colofon", "colofon"),
        ("toc", "inhoud", None),
        ("changes", "wijzigingen", "wijzigingen"),
        ("manuscript", "inleiding", "inleiding"),
        ("manuscript", "eerste-case", "eerste-case"),
        ("manuscript", "tweede-case", "tweede-case"),
        ("index", "register", "register"),
    ]
    assert [s.id for s in structure.documents("epub")] == ["titelpagina", "colofon", "wijzigingen", "inleiding", "eerste-case", "tweede-case", "register"]
    assert "eerste-case" in structure.page_refs and "tweede-case--naschrift" in structure.page_refs
    assert [n.id for n in structure.notes][:1] == ["inleiding--fn-1"]
    assert all(n.calls for n in structure.notes)
    assert [e.label for e in structure.toc if e.label] == ["Case 1", "Case 2"]


def test_a_cross_reference_inside_the_volume_is_a_link_with_a_page_reference(project):
    tree = book(project).tree()
    [link] = tree.xpath("//section[@id='inleiding']//a[@href='#eerste-case']")
    assert link.get("data-page-ref") == "see" and link.get("class") == "xref"
    assert tree.xpath("//section[@id='inleiding']//a[@href='#tweede-case--naschrift']")
    assert not tree.xpath("//*[@data-xref]")


def test_a_cross_reference_outside_the_offprint_names_the_text_in_the_series(project):
    tree = book(project, "inleiding").tree()
    section = tree.xpath("//section[@id='inleiding']")[0]
    assert not section.xpath(".//a[@href='#eerste-case']")
    text = " ".join(section.xpath("string(.)").split())
    assert "de eerste case (zie case 1, ‘Eerste case’, in de reeks Proefreeks)" in text
    assert "(zie case 2, ‘Tweede case’, in de reeks Proefreeks)" in text


def test_with_a_web_edition_the_outside_reference_links_to_it(project):
    path = project / "content" / "publication.yaml"
    path.write_text(path.read_text("utf-8") + "web:\n  base_url: https://example.org/reeks/\n", "utf-8")
    tree = book(project, "inleiding").tree()
    assert tree.xpath("//a[@href='https://example.org/reeks/eerste-case.html']")
    assert tree.xpath("//a[@href='https://example.org/reeks/tweede-case.html#tweede-case--naschrift']")


def test_a_layout_that_drops_a_convention_is_an_error_at_build_time(project):
    template = project / "layouts" / "partials" / "manuscript.html.j2"
    template.write_text(template.read_text("utf-8").replace(' data-part="manuscript"', ""), "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    problems = [str(d) for d in raised.value.diagnostics.items]
    assert "layouts/partials/manuscript.html.j2: error[R410]: manuscript 'inleiding' is not in the document as a part" in problems[0]


def test_a_link_to_an_id_missing_from_the_volume_is_an_error_not_a_crash(project):
    template = project / "layouts" / "partials" / "front-matter.html.j2"
    template.write_text(template.read_text("utf-8").replace('href="#{{ m.slug }}"', 'href="#{{ m.slug }}-x"'), "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    assert all(d.code == "R409" for d in raised.value.diagnostics.items)
    assert "points at '#inleiding-x', which is not in volume 'reader'" in str(raised.value.diagnostics.items[0])


def test_two_parts_with_the_same_id_are_an_error(project):
    template = project / "layouts" / "partials" / "back-matter.html.j2"
    template.write_text(template.read_text("utf-8").replace('id="{{ ids.index }}"', 'id="colofon"'), "utf-8")
    with pytest.raises(PublisherError) as raised:
        book(project)
    assert "the id 'colofon' is used 2 times in volume 'reader'" in " ".join(str(d) for d in raised.value.diagnostics.items)
