"""The command as a user meets it: arguments in, messages and exit status out."""

import json
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
    assert lines[0].startswith("content/cases/01-eerste-case.md:4:") and "error[M201]" in lines[0]
    assert lines[-1] == f"{len(lines) - 1} error{'s' if len(lines) > 2 else ''}, 0 warnings"
    assert "Traceback" not in out.stderr


def test_a_deleted_image_fails_the_build_naming_the_manuscript_line(project):
    (project / "content" / "images" / "staaf.svg").unlink()
    out = run("--project", str(project), "build")
    assert out.returncode == 1
    assert "content/cases/01-eerste-case.md:34:1: error[B321]: image file 'content/images/staaf.svg' not found" in out.stderr
    assert not (project / "build" / "smart-society-cases.pdf").exists()


def test_build_one_format_and_the_manifest(project):
    out = run("--project", str(project), "build", "--format", "epub", "--format", "html", "--quiet")
    assert out.returncode == 0, out.stderr
    manifest = json.loads((project / "build" / "manifest.json").read_text("utf-8"))
    paths = [o["path"] for o in manifest["outputs"]]
    assert "build/smart-society-cases.epub" in paths and "build/html/index.html" in paths
    assert "build/smart-society-cases.pdf" not in paths
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
    assert "0 errors, 2 warnings" in out.out
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
    assert "error[P103]" in capsys.readouterr().err
    assert not (project / "content" / "cases" / "03-nieuw.md").exists()
    assert config.read_text("utf-8") == flow
