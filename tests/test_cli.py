"""The command as a user meets it: arguments in, messages and exit status out."""

import json

import pytest
import subprocess
import sys

from publisher.cli import main


def run(*args):
    return subprocess.run([sys.executable, "-m", "publisher", *args], capture_output=True, text=True)


def test_check_passes_on_the_fixture(project, capsys):
    assert main(["--project", str(project), "check"]) == 0
    assert "3 manuscripts checked: 0 errors, 0 warnings" in capsys.readouterr().out


def test_a_front_matter_error_shows_only_the_errors_and_a_summary(project):
    case = project / "content" / "cases" / "01-eerste-case.md"
    lines = case.read_text("utf-8").split("\n")
    assert lines[3] == "number: 1"
    lines[3] = "number: [1"
    case.write_text("\n".join(lines), "utf-8")
    out = run("--project", str(project), "check")
    assert out.returncode == 1
    assert out.stdout == ""
    lines = out.stderr.splitlines()
    # the project lies elsewhere: its files are named with their full path, so they can be opened
    assert lines[0].startswith(f"{project}/content/cases/01-eerste-case.md:4:") and "error[M201]" in lines[0]
    assert lines[-1] == f"{len(lines) - 1} error{'s' if len(lines) > 2 else ''}, 0 warnings"
    assert "Traceback" not in out.stderr


def test_a_deleted_image_fails_the_build_naming_the_manuscript_line(project):
    (project / "content" / "images" / "staaf.svg").unlink()
    out = run("--project", str(project), "build")
    assert out.returncode == 1
    assert "content/cases/01-eerste-case.md:34:1: error[B321]: image file 'content/images/staaf.svg' not found" in out.stderr
    assert not (project / "build" / "proefreeks.pdf").exists()


def test_build_one_format_and_the_manifest(project):
    out = run("--project", str(project), "build", "--format", "epub", "--format", "html", "--quiet")
    assert out.returncode == 0, out.stderr
    manifest = json.loads((project / "build" / "manifest.json").read_text("utf-8"))
    paths = [o["path"] for o in manifest["outputs"]]
    assert "build/proefreeks.epub" in paths and "build/html/index.html" in paths
    assert "build/proefreeks.pdf" not in paths
    assert all(len(o["sha256"]) == 64 and o["bytes"] > 0 for o in manifest["outputs"])


def test_stats(project, capsys):
    assert main(["--project", str(project), "stats", "--plain"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == ["manuscript", "words", "notes", "figures", "tables", "minutes",
                       "sentences", "ASL", ">25w%", "long≥4syl%", "long≥13chr%", "FD"]
    assert rows[2][0] == "content/cases/01-eerste-case.md" and rows[2][2:5] == ["2", "1", "1"]
    sentences, asl, fd = int(rows[2][6]), float(rows[2][7]), float(rows[2][11])
    assert sentences > 0 and 0 < asl < 40 and 0 < fd < 120


def test_new_starts_a_manuscript_that_passes_check(project, capsys):
    assert main(["--project", str(project), "new", "Wie beheert de slimme lantaarnpaal?"]) == 0
    created = project / "content" / "cases" / "03-wie-beheert-de-slimme-lantaarnpaal.md"
    assert created.exists()
    assert "  - cases/03-wie-beheert-de-slimme-lantaarnpaal.md" in (project / "content" / "publication.yaml").read_text("utf-8")
    assert main(["--project", str(project), "check"]) == 0
    out = capsys.readouterr()
    assert "03-wie-beheert-de-slimme-lantaarnpaal.md:6:10: warning[M210]: 'summary' still holds the placeholder" in out.err
    assert "0 errors, 10 warnings" in out.out  # summary, keywords and the body's eight placeholders
    assert "03-wie-beheert-de-slimme-lantaarnpaal.md:13:1: warning[M212]: 'TODO: de opening." in out.err
    assert main(["--project", str(project), "new", "Wie beheert de slimme lantaarnpaal?"]) == 1


def test_unknown_format_is_refused_by_the_parser(project):
    out = run("--project", str(project), "build", "--format", "docx")
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_codes_lists_the_catalogue(capsys):
    assert main(["codes"]) == 0
    assert "B321" in capsys.readouterr().out


def test_watch_rebuilds_after_each_save_and_survives_errors(project):
    from publisher import watch

    case = project / "content" / "cases" / "02-tweede-case.md"
    good = case.read_text("utf-8")
    lines = []

    def edits():
        case.write_text(good.replace("::: ", "") + "\n::: onbekend\nx\n:::\n", "utf-8")
        yield {(2, str(case))}
        case.write_text(good + "\nNog een zin.\n", "utf-8")
        yield {(2, str(case))}

    passed = watch.run(project, ("html", "epub"), edits(), lines.append)
    assert passed == 2  # the first build and the one after the mistake was mended
    assert "changed: content/cases/02-tweede-case.md" in lines
    assert any("error[B300]: unknown block 'onbekend'" in line for line in lines)
    assert any(line.startswith("1 error: nothing rebuilt") for line in lines)
    assert "Nog een zin." in (project / "build" / "html" / "index.html").read_text("utf-8")


def test_new_refuses_a_list_it_cannot_extend_and_makes_good_slugs(project, capsys):
    from publisher.api import slugify

    assert slugify("Straße, Œuvre & ‘data’") == "strasse-oeuvre-data"
    config = project / "content" / "publication.yaml"
    text = config.read_text("utf-8")
    flow = text[: text.index("manuscripts:")] + "manuscripts: [inleiding.md, cases/01-eerste-case.md, cases/02-tweede-case.md]\n"
    config.write_text(flow, "utf-8")
    assert main(["--project", str(project), "new", "Nieuw"]) == 1
    assert "error[M213]" in capsys.readouterr().err
    assert not (project / "content" / "cases" / "03-nieuw.md").exists()
    assert config.read_text("utf-8") == flow


ACCESSIBILITY = "accessibility:\n  certified_by: Testredactie\n  report: https://proefreeks.example/toegankelijkheid.html\n"


def test_release_refuses_concept_texts_and_warnings(project, capsys):
    assert main(["--project", str(project), "build", "--release", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "content/cases/01-eerste-case.md:8:9: error[M211]: 'Eerste case' is a concept: set 'status: definitief' when the text is final" in err
    assert not (project / "build").exists()  # refused before anything is written
    for path in (project / "content").rglob("*.md"):
        path.write_text(path.read_text("utf-8").replace("status: concept", "status: definitief"), "utf-8")
    # a release claims conformance: it needs who evaluated the publication and the report
    assert main(["--project", str(project), "check", "--release"]) == 1
    assert "error[R420]" in capsys.readouterr().err
    config = project / "content" / "publication.yaml"
    config.write_text(config.read_text("utf-8") + ACCESSIBILITY, "utf-8")
    assert main(["--project", str(project), "check", "--release"]) == 0
    # a warning is enough to refuse a release, and --strict makes it an error in any build
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8") + "\nEen ongebruikte noot.\n\n[^los]: Niet aangeroepen.\n", "utf-8")
    capsys.readouterr()
    assert main(["--project", str(project), "check", "--release"]) == 1
    assert ": error[B351]: footnote '[^los]' is defined but never called" in capsys.readouterr().err
    assert main(["--project", str(project), "build", "--strict", "--format", "html", "--quiet"]) == 1
    assert main(["--project", str(project), "build", "--format", "html", "--quiet"]) == 0
    assert ": warning[B351]" in capsys.readouterr().err


def test_new_inserts_a_case_and_renumbers_the_following_ones(project, capsys):
    assert main(["--project", str(project), "new", "Een case ertussen", "--at", "2"]) == 0
    out = capsys.readouterr().out
    assert "renumbered content/cases/02-tweede-case.md as content/cases/03-tweede-case.md" in out
    listing = (project / "content" / "publication.yaml").read_text("utf-8")
    assert "  - cases/01-eerste-case.md\n  - cases/02-een-case-ertussen.md\n  - cases/03-tweede-case.md" in listing
    assert "manuscript: cases/03-tweede-case.md" in listing  # the edition's changes follow the file
    assert "number: 3" in (project / "content" / "cases" / "03-tweede-case.md").read_text("utf-8")
    created = (project / "content" / "cases" / "02-een-case-ertussen.md").read_text("utf-8")
    assert "## De dilemma's" in created and "::: handreiking" in created and "## Wat betekent dit voor gemeenten?" in created
    assert main(["--project", str(project), "check"]) == 0
    assert main(["--project", str(project), "new", "Te ver", "--at", "9"]) == 1
    assert "error[M213]: --at 9: a new case can be number 1 to 4" in capsys.readouterr().err


def test_volumes_lists_what_each_volume_is_built_into(project, capsys):
    assert main(["--project", str(project), "volumes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["reader", "build/html,", "build/proefreeks-print.pdf,", "build/proefreeks.pdf,", "build/proefreeks-cover.pdf,", "build/proefreeks.epub"]
    assert lines[2].split() == ["eerste-case", "build/offprints/eerste-case.pdf,", "build/offprints/eerste-case.epub"]


def test_one_volume_alone(project, capsys):
    assert main(["--project", str(project), "build", "--volume", "tweede-case", "--format", "epub", "--quiet"]) == 0
    assert (project / "build" / "offprints" / "tweede-case.epub").exists()
    assert not (project / "build" / "proefreeks.epub").exists()
    assert main(["--project", str(project), "build", "--volume", "derde", "--quiet"]) == 1
    assert "error[R412]: no volume 'derde'" in capsys.readouterr().err


def test_the_output_folder_cannot_be_the_sources(project, capsys):
    for out in (project / "content", project / "layouts" / "css", project, project.parent):
        assert main(["--project", str(project), "build", "--format", "html", "--out", str(out), "--quiet"]) == 1
        assert "error[R416]" in capsys.readouterr().err
    assert not (project / "content" / "html").exists()


def test_a_folder_the_publisher_did_not_make_is_not_deleted(project, capsys):
    mine = project / "build" / "html"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("mine", "utf-8")
    assert main(["--project", str(project), "build", "--format", "html", "--quiet"]) == 1
    assert "build/html: error[R417]: build/html exists and was not made by the publisher" in capsys.readouterr().err
    assert (mine / "notes.txt").read_text("utf-8") == "mine"
    (mine / "notes.txt").unlink()
    mine.rmdir()
    assert main(["--project", str(project), "build", "--format", "html", "--quiet"]) == 0
    assert main(["--project", str(project), "build", "--format", "html", "--quiet"]) == 0  # its own folder it remakes


def test_an_internal_error_is_told_apart_from_content_errors(project, capsys, monkeypatch):
    from publisher import api

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(api, "check", broken)
    assert main(["--project", str(project), "check"]) == 70
    err = capsys.readouterr().err
    assert "internal error — this is a bug in the publisher, not in your content" in err and "ZeroDivisionError: a bug" in err


def test_a_closed_pipe_is_quiet():
    out = subprocess.run(f"{sys.executable} -m publisher codes | head -1", shell=True, capture_output=True, text=True)
    assert out.stdout.startswith("P100") and out.stderr == ""


def _tree(folder):
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_that_fails_late_leaves_build_as_it_was(project, capsys):
    assert main(["--project", str(project), "build", "--format", "html", "--format", "epub", "--quiet"]) == 0
    before = _tree(project / "build")
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8") + "\nEen nieuwe zin.\n", "utf-8")
    sheet = project / "layouts" / "css" / "print-x.css"
    sheet.write_text(sheet.read_text("utf-8") + "\n.kicker { color: #ff0000 !important; }\n", "utf-8")
    capsys.readouterr()
    # the HTML and the EPUB are written first, then the print PDF fails (R415)
    assert main(["--project", str(project), "build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "error[R415]" in err and err.rstrip().endswith("— build/ is as it was before this build")
    assert _tree(project / "build") == before


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_an_interrupted_build_leaves_build_as_it_was(project, signame):
    import signal
    import time

    assert main(["--project", str(project), "build", "--format", "html", "--quiet"]) == 0
    before = _tree(project / "build")
    case = project / "content" / "cases" / "02-tweede-case.md"
    case.write_text(case.read_text("utf-8") + "\nEen nieuwe zin.\n", "utf-8")
    interrupted = 0
    for delay in (0.1, 1.5):  # while reading or assembling, and while laying out pages
        # Ctrl-C as a terminal delivers it: SIGINT handled even where the test itself runs in
        # the background (a background job inherits SIGINT ignored, and Python keeps that)
        child = subprocess.Popen(
            [sys.executable, "-m", "publisher", "--project", str(project), "build"],
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        first = child.stderr.readline()  # the build has begun (its first progress line): the handlers are in place
        time.sleep(delay)
        child.send_signal(getattr(signal, signame))
        _, err = child.communicate(timeout=120)
        err = first + err
        if child.returncode == 0:
            continue  # finished before the signal: nothing to check at this moment
        assert child.returncode == 130, err
        assert "publisher: interrupted — build/ is as it was before this build" in err
        assert _tree(project / "build") == before
        interrupted += 1
    assert interrupted, "the build finished before every signal: nothing was tested"


def test_two_builds_at_once_take_turns_and_leave_valid_outputs(project):
    import hashlib
    import zipfile

    command = [sys.executable, "-m", "publisher", "--project", str(project), "build", "--format", "epub", "--format", "html"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    errors = [p.communicate(timeout=300)[1] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, errors
    manifest = json.loads((project / "build" / "manifest.json").read_text("utf-8"))
    for entry in manifest["outputs"]:
        data = (project / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    with zipfile.ZipFile(project / "build" / "proefreeks.epub") as archive:
        assert archive.testzip() is None
    assert not (project / "build" / ".staging").exists()


def test_commands_work_from_a_subfolder_and_take_project_after_the_command(project, monkeypatch, capsys):
    case = project / "content" / "cases" / "01-eerste-case.md"
    case.write_text(case.read_text("utf-8").replace("Tekst over de situatie.", "Tekst over de situatie.[^qq]"), "utf-8")
    monkeypatch.chdir(project / "content" / "cases")
    assert main(["check"]) == 1
    assert capsys.readouterr().err.startswith("01-eerste-case.md:15:24: error[B350]")  # relative to where you are
    monkeypatch.chdir(project.parent)
    assert main(["check", "--project", project.name]) == 1
    assert capsys.readouterr().err.startswith(f"{project.name}/content/cases/01-eerste-case.md:15:24: error[B350]")


def test_a_first_build_that_fails_leaves_no_build_folder(project):
    sheet = project / "layouts" / "css" / "print-x.css"
    sheet.write_text(sheet.read_text("utf-8") + "\n.kicker { color: #ff0000 !important; }\n", "utf-8")
    assert main(["--project", str(project), "build", "--volume", "reader", "--quiet"]) == 1
    assert not (project / "build").exists()
