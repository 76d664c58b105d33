import pytest

from publisher.config import Project
from publisher.errors import PublisherError
from publisher.outputs import RENDITIONS, OutputRegistry, layout_fingerprint
from publisher.publication import load_publication
from publisher.volumes import plan


def test_outputs_are_named_from_volume_and_rendition(project):
    registry = OutputRegistry(project / "build", project)
    reader, inleiding, *_ = plan(load_publication(Project.at(project)))
    staged = [registry.path(reader, RENDITIONS[r]) for r in ("pdf-screen", "pdf-print", "epub", "html")]
    assert [registry.shown(p) for p in staged] == ["build/proefreeks.pdf", "build/proefreeks-print.pdf", "build/proefreeks.epub", "build/html"]
    assert all(p.is_relative_to(project / "build" / ".staging") for p in staged)  # written there, moved at commit
    assert registry.final(registry.path(inleiding, RENDITIONS["epub"])) == project / "build" / "offprints" / "inleiding.epub"


def test_two_outputs_at_one_path_are_refused(project):
    path = project / "content" / "publication.yaml"
    # a selection whose stem is the reader's own: both would write build/proefreeks.pdf
    path.write_text(path.read_text("utf-8") + "volumes:\n  - kind: reader\n  - kind: reader\n    key: ook\n    stem: proefreeks\n", "utf-8")
    registry = OutputRegistry(project / "build", project)
    reader, again = plan(load_publication(Project.at(project)))
    registry.path(reader, RENDITIONS["pdf-screen"])
    with pytest.raises(PublisherError) as raised:
        registry.path(again, RENDITIONS["pdf-screen"])
    [problem] = [str(d) for d in raised.value.diagnostics.items]
    assert problem == (
        "content/publication.yaml: error[R406]: pdf-screen of volume 'ook' would be written to build/proefreeks.pdf, "
        "where the pdf-screen of volume 'reader' goes"
    )


def test_the_layout_fingerprint_follows_stylesheets_and_fonts(project):
    layouts = project / "layouts"
    first = layout_fingerprint("<html></html>", layouts)
    assert layout_fingerprint("<html></html>", layouts) == first
    assert layout_fingerprint("<html> </html>", layouts) != first
    sheet = layouts / "css" / "print.css"
    sheet.write_text(sheet.read_text("utf-8").replace("font-size: 9.5pt", "font-size: 10pt"), "utf-8")
    assert layout_fingerprint("<html></html>", layouts) != first


def test_the_layout_fingerprint_follows_the_images(project):
    from types import SimpleNamespace

    layouts = project / "layouts"
    image = SimpleNamespace(href="images/staaf.svg", data=b"<svg width='300'/>")
    first = layout_fingerprint("<html></html>", layouts, [image])
    assert layout_fingerprint("<html></html>", layouts, [image]) == first
    assert layout_fingerprint("<html></html>", layouts, [SimpleNamespace(href=image.href, data=b"<svg width='600'/>")]) != first
    assert layout_fingerprint("<html></html>", layouts) != first
