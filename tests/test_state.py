"""Rebuilds skip what is current, and say why they rebuild the rest."""

from publisher import api


def _files(folder):
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_no_op_rebuild_rewrites_nothing(project):
    first = api.build(project)
    assert len(first.rebuilt) == 11 and first.skipped == []
    before = _files(project / "build")
    again = api.build(project)
    assert again.rebuilt == [] and len(again.skipped) == 11
    assert _files(project / "build") == before  # not one byte, not one timestamp
    # the warnings the outputs were built with are reported again
    assert [d.code for d in again.warnings] == [d.code for d in first.warnings]


def test_an_edit_to_one_case_rebuilds_the_outputs_that_hold_it(project):
    api.build(project)
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8") + "\nEen nieuwe zin.\n", "utf-8")
    result = api.build(project)
    assert sorted(path for path, _ in result.rebuilt) == [
        "build/html",
        "build/offprints/tweede-case.epub",
        "build/offprints/tweede-case.pdf",
        "build/proefreeks-cover.pdf",  # the spine follows the book block's page count
        "build/proefreeks-print.pdf",
        "build/proefreeks.epub",
        "build/proefreeks.pdf",
    ]
    assert dict(result.rebuilt)["build/proefreeks.pdf"] == ["content"]
    assert sorted(result.skipped) == ["build/offprints/eerste-case.epub", "build/offprints/eerste-case.pdf", "build/offprints/inleiding.epub", "build/offprints/inleiding.pdf"]


def test_a_stylesheet_change_rebuilds_every_pdf_and_says_why(project):
    api.build(project, formats=("pdf",))
    sheet = project / "layouts" / "css" / "print.css"
    sheet.write_text(sheet.read_text("utf-8") + "\n/* a designer's note */\n", "utf-8")
    result = api.build(project, formats=("pdf",))
    assert len(result.rebuilt) == 6 and all(reasons == ["layout"] for _, reasons in result.rebuilt)


def test_a_deleted_output_is_built_again(project):
    api.build(project, formats=("epub",))
    (project / "build" / "offprints" / "inleiding.epub").unlink()
    result = api.build(project, formats=("epub",))
    assert result.rebuilt == [("build/offprints/inleiding.epub", ["its files are missing"])]


def test_volumes_are_built_side_by_side_on_a_machine_with_cores(project, monkeypatch):
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    result = api.build(project, formats=("epub",))
    assert len(result.processes) == 2 and os.getpid() not in result.processes
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    (project / "content" / "cases" / "02-tweede-case.md").write_text(
        (project / "content" / "cases" / "02-tweede-case.md").read_text("utf-8") + "\nNog een zin.\n", "utf-8"
    )
    result = api.build(project, formats=("epub",))
    assert result.processes == {os.getpid()}  # one core: built here, in this process
