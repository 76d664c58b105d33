from publisher.config import Project, isbn_is_valid, load_config
from publisher.errors import Diagnostics


def load(project):
    diagnostics = Diagnostics()
    config = load_config(Project.at(project), diagnostics)
    return config, [str(d) for d in diagnostics.sorted()]


def edit(project, old, new):
    path = project / "content" / "publication.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_the_fixture_loads(project):
    config, problems = load(project)
    assert problems == []
    assert config.title == "Proefreeks"
    assert config.manuscripts[0] == "inleiding.md"
    assert config.identifier == "urn:isbn:978-90-00-00000-5"


def test_unknown_key_wrong_type_and_missing_key_are_all_reported(project):
    edit(project, "language: nl", "langauge: nl")
    edit(project, "  - number: 2", "  - number: twee")
    config, problems = load(project)
    assert config is None
    assert any(p.startswith("content/publication.yaml:3:1: error[P102]: unknown key 'langauge'") for p in problems)
    assert any("error[P104]: required key 'language' is missing" in p for p in problems)
    assert any(":19:13: error[P103]: 'editions[1].number'" in p for p in problems)


def test_isbn_checksum(project):
    edit(project, "978-90-00-00000-5", "978-90-00-00000-4")
    _, problems = load(project)
    assert problems == ["content/publication.yaml:22:13: error[P105]: '978-90-00-00000-4' is not a valid ISBN-13 or ISBN-10 (check digit or length)"]
    assert isbn_is_valid("978-90-00-00000-5")
    assert isbn_is_valid("0-306-40615-2")
    assert not isbn_is_valid("0-306-40615-3")


def test_identifier_without_isbn_is_derived_and_stable(project):
    edit(project, "    identifiers:\n      isbn: 978-90-00-00000-5\n", "")
    first, _ = load(project)
    second, _ = load(project)
    assert first.identifier.startswith("urn:uuid:")
    assert first.identifier == second.identifier
    edit(project, "    changes:", "  - number: 3\n    date: 2021-01-01\n    changes:")
    third, problems = load(project)
    assert problems == []
    assert third.identifier != first.identifier  # a new edition is a new publication


def test_a_manuscript_listed_twice(project):
    edit(project, "  - cases/02-tweede-case.md", "  - cases/02-tweede-case.md\n  - inleiding.md")
    _, problems = load(project)
    assert problems == ["content/publication.yaml:34:5: error[P108]: 'inleiding.md' is already listed as manuscript 1"]


def test_a_bad_date(project):
    edit(project, "date: 2020-03-15", "date: 15-03-2020")
    _, problems = load(project)
    assert problems == ["content/publication.yaml:20:11: error[P103]: 'editions[1].date': '15-03-2020' is not a date written YYYY-MM-DD"]


def test_publication_yaml_that_is_not_utf8_or_repeats_a_key(project):
    path = project / "content" / "publication.yaml"
    original = path.read_bytes()
    path.write_bytes(original.replace(b"Proefreeks", b"Proefreeks caf\xe9"))
    _, problems = load(project)
    assert problems == ["content/publication.yaml:1:1: error[P115]: not UTF-8 text (byte 21): save it as UTF-8"]
    path.write_bytes(original.replace(b"language: nl\n", b"language: nl\nlanguage: en\n"))
    _, problems = load(project)
    assert problems == ["content/publication.yaml:4:1: error[P101]: key 'language' appears twice (first at line 3)"]


def test_the_edition_history(project):
    config, problems = load(project)
    assert problems == []
    assert [e.number for e in config.editions] == [1, 2]
    assert config.edition.number == 2 and str(config.first_date) == "2019-11-01"
    [change] = config.edition.changes
    assert (change.manuscript, change.kind) == ("cases/02-tweede-case.md", "correctie")


def test_editions_out_of_order_and_changes_to_unknown_texts(project):
    edit(project, "  - number: 2\n    date: 2020-03-15", "  - number: 3\n    date: 2019-03-15")
    edit(project, "manuscript: cases/02-tweede-case.md", "manuscript: cases/09-onbekend.md")
    config, problems = load(project)
    assert problems == [
        "content/publication.yaml:19:13: error[P110]: edition 3 is number 2 in the list: editions are numbered 1, 2, 3 … oldest first",
        "content/publication.yaml:24:21: error[P111]: change for 'cases/09-onbekend.md', which is not listed under 'manuscripts'",
    ]
    edit(project, "  - number: 3\n    date: 2019-03-15", "  - number: 2\n    date: 2019-03-15")
    _, problems = load(project)
    assert problems[0] == "content/publication.yaml:20:11: error[P110]: edition 2 is dated 2019-03-15, before edition 1 (2019-11-01)"


def test_volumes_are_declared_or_default(project):
    config, _ = load(project)
    assert [v.kind for v in config.volumes] == ["reader", "offprints"]
    path = project / "content" / "publication.yaml"
    path.write_text(
        path.read_text("utf-8")
        + "volumes:\n  - kind: reader\n  - kind: reader\n    key: cases\n    title: De cases\n    manuscripts: [cases/01-eerste-case.md, cases/07-x.md]\n"
        + "  - kind: reader\n    key: cases\n",
        "utf-8",
    )
    _, problems = load(project)
    assert problems == [
        "content/publication.yaml:39:44: error[P112]: volume lists 'cases/07-x.md', which is not listed under 'manuscripts'",
        "content/publication.yaml:41:10: error[P113]: two volumes have the key 'cases'",
    ]
