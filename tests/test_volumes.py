from publisher.config import Project
from publisher.publication import load_publication
from publisher.volumes import OFFPRINT, READER, plan


def volumes(project):
    return plan(load_publication(Project.at(project)))


def test_the_default_is_the_reader_and_one_offprint_per_manuscript(project):
    found = volumes(project)
    assert [(v.key, v.kind) for v in found] == [
        ("reader", READER),
        ("inleiding", OFFPRINT),
        ("eerste-case", OFFPRINT),
        ("tweede-case", OFFPRINT),
    ]
    reader, inleiding, eerste, tweede = found
    assert [e.slug for e in reader.entries] == ["inleiding", "eerste-case", "tweede-case"]
    assert reader.identity.identifier == "urn:isbn:978-90-00-00000-5" and reader.identity.stem == "proefreeks"
    assert eerste.identity.stem == "eerste-case" and eerste.identity.folder == "offprints"
    assert eerste.identity.title == "Eerste case"
    assert len({v.identity.identifier for v in found}) == 4
    assert reader.renditions == ("pdf-screen", "pdf-print", "pdf-cover", "epub", "html")
    assert eerste.renditions == ("pdf-screen", "epub")


def test_the_changes_part_only_where_the_edition_changed_a_text(project):
    reader, inleiding, eerste, tweede = volumes(project)
    assert "changes" in reader.parts and "changes" in tweede.parts
    assert "changes" not in eerste.parts and "changes" not in inleiding.parts
    assert [c.manuscript for c in tweede.changes] == ["cases/02-tweede-case.md"]
    assert "index" in reader.parts and "index" not in eerste.parts


def test_declared_volumes_select_manuscripts_and_renditions(project):
    path = project / "content" / "publication.yaml"
    path.write_text(
        path.read_text("utf-8")
        + "volumes:\n"
        + "  - kind: reader\n    renditions: [pdf-screen]\n"
        + "  - kind: reader\n    key: cases\n    title: Alleen de cases\n    manuscripts: [cases/01-eerste-case.md, cases/02-tweede-case.md]\n"
        + "  - kind: offprints\n    manuscripts: [cases/02-tweede-case.md]\n    renditions: [pdf-screen, pdf-print, epub]\n",
        "utf-8",
    )
    reader, cases, tweede = volumes(project)
    assert reader.renditions == ("pdf-screen",)
    assert [e.slug for e in cases.entries] == ["eerste-case", "tweede-case"]
    assert cases.identity.title == "Alleen de cases" and cases.identity.stem == "proefreeks-cases"
    assert cases.identity.identifier.startswith("urn:uuid:")
    assert tweede.key == "tweede-case" and "pdf-print" in tweede.renditions
