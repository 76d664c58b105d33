import subprocess

import pytest

from publisher import diff
from publisher.errors import PublisherError


def git(project, *args):
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(project), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def history(project):
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "first")
    case = project / "content" / "cases" / "02-tweede-case.md"
    text = case.read_text("utf-8")
    text = text.replace("Zie [de eerste case](xref:eerste-case).", "Zie [de eerste case](xref:eerste-case). Een nieuwe zin met vijf woorden.")
    text += "\nEen nieuwe alinea met een noot.[^nieuw]\n\n[^nieuw]: Een bron.\n"
    case.write_text(text, "utf-8")
    git(project, "commit", "-qam", "second")
    return project


def test_diff_reports_changed_manuscripts_with_words_and_notes(history):
    [change] = diff.compare(history, "HEAD~1", "HEAD")
    assert (change.path, change.status) == ("cases/02-tweede-case.md", "changed")
    assert change.paragraphs_changed == 2
    assert (change.words_added, change.words_removed) == (12, 0)
    assert change.notes_added == ("nieuw",) and change.notes_removed == ()
    assert diff.report([change]).splitlines() == [
        "content/cases/02-tweede-case.md: changed",
        "  paragraphs changed: 2; words added: 12, removed: 0",
        "  notes added: nieuw; removed: none",
    ]


def test_no_change_and_an_unknown_revision(history):
    assert diff.compare(history, "HEAD", "HEAD") == []
    with pytest.raises(PublisherError) as raised:
        diff.compare(history, "v9", "HEAD")
    assert raised.value.diagnostics.items[0].code == "R413"
