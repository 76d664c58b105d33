import pytest

from publisher.config import Project
from publisher.errors import PublisherError
from publisher.publication import load_publication


def problems(project):
    with pytest.raises(PublisherError) as raised:
        load_publication(Project.at(project))
    return [str(d) for d in raised.value.diagnostics.sorted()]


def edit(project, name, old, new):
    path = project / "content" / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_the_fixture_publication_loads(project):
    publication = load_publication(Project.at(project))
    assert [e.slug for e in publication.entries] == ["inleiding", "eerste-case", "tweede-case"]
    assert publication.diagnostics.items == []
    assert set(publication.assets) == {"images/staaf.svg"}


def test_a_deleted_image_is_reported_at_the_line_that_uses_it(project):
    (project / "content" / "images" / "staaf.svg").unlink()
    assert problems(project) == ["content/cases/01-eerste-case.md:34:1: error[B321]: image file 'content/images/staaf.svg' not found"]


def test_an_image_without_alt_text_and_outside_images(project):
    edit(project, "cases/01-eerste-case.md", "![Staafdiagram met drie staven: 2017 laag, 2018 midden, 2019 hoog.](images/staaf.svg", "![](../../etc/passwd")
    found = problems(project)
    assert found[0].startswith("content/cases/01-eerste-case.md:34:1: error[B320]: image '../../etc/passwd' has no alt text")
    assert found[1].startswith("content/cases/01-eerste-case.md:34:1: error[B322]")


def test_an_image_that_is_not_an_image(project):
    (project / "content" / "images" / "staaf.svg").write_text("geen svg", "utf-8")
    assert problems(project) == ["content/cases/01-eerste-case.md:34:1: error[B323]: 'content/images/staaf.svg' is not a readable PNG, JPEG or SVG image"]


def test_unresolved_cross_references(project):
    edit(project, "inleiding.md", "(xref:eerste-case)", "(xref:derde-case)")
    edit(project, "inleiding.md", "(xref:tweede-case#naschrift)", "(xref:tweede-case#epiloog)")
    found = problems(project)
    assert found[0].startswith("content/inleiding.md:9:30: error[B310]: cross-reference to 'derde-case'")
    assert found[1] == "content/inleiding.md:10:1: error[B311]: 'tweede-case' has no heading, figure or table with the id 'epiloog'"


def test_listed_files_must_exist_and_files_must_be_listed(project):
    (project / "content" / "cases" / "02-tweede-case.md").rename(project / "content" / "cases" / "03-tweede-case.md")
    found = problems(project)
    assert "content/cases/03-tweede-case.md:1:1: error[P107]: 'content/cases/03-tweede-case.md' is not listed under 'manuscripts' in content/publication.yaml" in found
    assert "content/publication.yaml:33:5: error[P106]: listed manuscript 'content/cases/02-tweede-case.md' does not exist" in found


def test_duplicate_slugs(project):
    (project / "content" / "eerste-case.md").write_text((project / "content" / "inleiding.md").read_text("utf-8"), "utf-8")
    edit(project, "publication.yaml", "  - inleiding.md\n", "  - inleiding.md\n  - eerste-case.md\n")
    assert any("error[M205]: slug 'eerste-case' is also the slug of" in p for p in problems(project))


def test_links_with_other_schemes_and_file_links_are_errors(project):
    edit(project, "cases/02-tweede-case.md", "Zie [de eerste case](xref:eerste-case).", "Zie [dit](file:///etc/passwd) en [dat](../geheim.md).")
    assert [p.split(": error")[1][:7] for p in problems(project)] == ["[B340]:", "[B340]:"]


def test_footnotes_without_definition_and_unused_definitions(project):
    edit(project, "cases/02-tweede-case.md", "Later gebeurde er nog iets.", "Later gebeurde er nog iets.[^x]\n\n[^y]: Ongebruikt.")
    found = problems(project)
    assert found == [
        "content/cases/02-tweede-case.md:14:28: error[B350]: footnote '[^x]' has no definition",
        "content/cases/02-tweede-case.md:16:1: warning[B351]: footnote '[^y]' is defined but never called",
    ]


def test_all_errors_are_collected_before_stopping(project):
    edit(project, "inleiding.md", "(xref:eerste-case)", "(xref:derde-case)")
    edit(project, "cases/01-eerste-case.md", "::: kader", "::: kaderr")
    (project / "content" / "images" / "staaf.svg").unlink()
    assert len(problems(project)) == 3


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg">'


@pytest.mark.parametrize(
    ("drawing", "reason"),
    [
        ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>', "declares a document type"),
        (SVG_OPEN + "<script>alert(1)</script></svg>", "contains <script>"),
        ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="file:///etc/passwd"/></svg>', "contains <image>"),
        ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://example.org/a.svg#x"/></svg>', "refers to 'https://example.org/a.svg#x'"),
        (SVG_OPEN + '<rect onclick="x()"/></svg>', "sets the attribute 'onclick' on <rect>"),
        (SVG_OPEN + "<style>@import url(https://example.org/t.css);</style></svg>", "has a style rule '@import'"),
        (SVG_OPEN + "<style>@IMPORT 'https://example.org/t.css';</style></svg>", "has a style rule '@IMPORT'"),
        (SVG_OPEN + '<rect style="fill:url(https://example.org/p.svg)"/></svg>', "loads 'url(https://example.org/p.svg)' from outside the file"),
        (SVG_OPEN + '<rect style="fill:URL(https://example.org/p.svg)"/></svg>', "from outside the file"),
        (SVG_OPEN + '<rect style="fill:u\\72l(https://example.org/p.svg)"/></svg>', "from outside the file"),
        (SVG_OPEN + '<rect fill="url(https://example.org/p.svg)"/></svg>', "from outside the file"),
        ('<?xml-stylesheet href="https://example.org/s.css"?>' + SVG_OPEN + "<rect/></svg>", "processing instruction"),
        (SVG_OPEN + '<animate attributeName="href" values="https://example.org/"/></svg>', "contains <animate>"),
        (SVG_OPEN + "<foreignObject><p>x</p></foreignObject></svg>", "contains <foreignObject>"),
        ("<html><body>no svg</body></html>", "not a readable PNG, JPEG or SVG"),
    ],
)
def test_svg_figures_must_be_self_contained(project, drawing, reason):
    (project / "content" / "images" / "staaf.svg").write_text(drawing, "utf-8")
    found = problems(project)
    assert len(found) == 1 and ("error[B325]" in found[0] or "error[B323]" in found[0]) and reason in found[0], found


def test_fragment_links_must_exist_and_editor_lock_files_are_ignored(project):
    (project / "content" / ".#inleiding.md").write_text("lock", "utf-8")
    edit(project, "cases/02-tweede-case.md", "Zie [de eerste case](xref:eerste-case).", "Zie [hieronder](#nergens).")
    assert problems(project) == ["content/cases/02-tweede-case.md:10:5: error[B311]: '#nergens' is not the id of a heading, figure or table in this manuscript"]


def test_an_svg_in_utf16_with_a_document_type_is_refused(project):
    drawing = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    (project / "content" / "images" / "staaf.svg").write_bytes(drawing.encode("utf-16"))
    [found] = problems(project)
    assert "error[B325]" in found and "declares a document type" in found


def test_outputs_carry_the_checked_svg_not_the_file(project):
    from publisher import api

    image = project / "content" / "images" / "staaf.svg"
    image.write_text(image.read_text("utf-8").replace("<title", "<!-- een opmerking van de tekenaar --><title", 1), "utf-8")
    api.build(project, formats=("html",))
    shipped = (project / "build" / "html" / "images" / "staaf.svg").read_bytes()
    assert b"opmerking van de tekenaar" not in shipped and shipped.startswith(b"<?xml")


def test_links_and_images_are_checked_as_the_renderer_produced_them(project):
    edit(project, "cases/02-tweede-case.md", "Zie [de eerste case](xref:eerste-case).", "Zie [de eerste case](xref:eerste-case).\n\n![](<images/geen bestand.png>)\n\n[vragen](<../../etc/passwd x>) en ![Staven][fig]\n\n[fig]: images/staaf.svg")
    found = problems(project)
    assert any("error[B320]: image 'images/geen bestand.png' has no alt text" in p for p in found), found
    assert any("error[B321]: image file 'content/images/geen bestand.png' not found" in p for p in found), found
    assert any("error[B340]: link '../../etc/passwd x' points at a file" in p for p in found), found
    assert not any("images/staaf.svg" in p for p in found)  # a reference-style image is an image


def test_the_pipeline_s_own_classes_are_out_of_authors_reach(project):
    edit(project, "inleiding.md", "(xref:eerste-case)", "(#waarom-deze-reeks){.xref}")
    [problem] = problems(project)
    assert "error[B371]: class '.xref' is not one a manuscript may set" in problem
    path = project / "content" / "publication.yaml"
    path.write_text(path.read_text("utf-8") + "classes: [xref]\n", "utf-8")
    from publisher import api

    api.build(project, formats=("epub", "html"))  # allowed, it is only a class: no writer trips over it


def test_a_symlinked_image_from_outside_the_project_is_refused(project, tmp_path):
    import shutil

    outside = tmp_path / "elders.svg"
    shutil.copy(project / "content" / "images" / "staaf.svg", outside)
    (project / "content" / "images" / "staaf.svg").unlink()
    (project / "content" / "images" / "staaf.svg").symlink_to(outside)
    found = problems(project)
    assert "content/images/staaf.svg: error[R414]: 'content/images/staaf.svg' is a symlink: put the file itself in content/images/" in found
    assert any("error[B322]: image 'content/images/staaf.svg' is a link to a file elsewhere" in p for p in found)


def test_five_thousand_nested_quotes_are_an_error_not_a_traceback(project):
    edit(project, "cases/02-tweede-case.md", "Zie [de eerste case](xref:eerste-case).", "> " * 5000 + "diep")
    [problem] = problems(project)
    assert "error[B381]: quotes or lists nested 5000 levels deep (at most 12)" in problem
