"""Property: whatever Markdown and front matter an author writes, `check` and assembly end
in success or in catalogued diagnostics with a place — never a traceback, never a hang."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.assemble import assemble
from publisher.config import Project
from publisher.errors import CATALOGUE, PublisherError
from publisher.publication import load_publication
from publisher.volumes import plan

from .conftest import FIXTURE, copy_project

# pieces an author types, put together at random (and random text in between)
PIECES = [
    "## Kop\n", "## Title\n", "# Kop\n", "::: dilemma Titel\n", "::: kader\n", ":::\n", "::: onbekend\n",
    "[tekst](xref:eerste-case)", "[tekst](xref:nergens#kop)", "[x](https://example.org/)", "[x](ftp://x)",
    "[x](<../../etc/passwd x>)", "![alt](images/staaf.svg)", "![](images/staaf.svg)", "![a](<images/x y.png>)",
    "![a][fig]\n\n[fig]: images/staaf.svg\n", "[^n]", "[^n]: Een noot.\n", "{#id}", "{.klasse}", "{: style=x}",
    "<b>vet</b>", "`<code>`", "```\n<b>\n```\n", "> ", "- ", "1. ", "| a | b |\n| - | - |\n| 1 | 2 |\n",
    "Tabel: bijschrift\n", "\n\n", "\t", "\u0000", "\u00e9", "\U0001F6A6", "***", "[@key]", "TODO",
]
body = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=string.printable, max_size=20)), max_size=25).map("".join)
front = st.fixed_dictionaries(
    {
        "title": st.one_of(st.just("Eerste case"), st.text(max_size=15)),
        "status": st.sampled_from(["concept", "definitief", "klaar", "[x", "&a *a"]),
        "extra": st.sampled_from(["", "number: 1\n", "number: 08\n", "auteur: x\n", "date: 2020-13-01\n", "keywords: [a, [b]]\n"]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=body, front=front)
def test_check_and_assembly_end_in_success_or_catalogued_diagnostics(tmp_path_factory, body, front):
    project = copy_project(FIXTURE, tmp_path_factory.mktemp("prop"))
    text = (
        f"---\ntitle: {front['title']!r}\nnumber: 1\nauthors: [Testredactie]\nsummary: Iets.\nkeywords: [tellen]\n"
        f"status: {front['status']}\n{front['extra']}date: 2020-03-01\n---\n{body}\n"
    ).replace("number: 1\nnumber: 1\n", "number: 1\n")
    (project / "content" / "cases" / "01-eerste-case.md").write_text(text, "utf-8")
    try:
        publication = load_publication(Project.at(project))
        for volume in plan(publication):
            assemble(publication, volume)
    except PublisherError as error:
        assert error.diagnostics.errors
        for diagnostic in error.diagnostics.items:
            assert diagnostic.code in CATALOGUE
            assert diagnostic.location is None or diagnostic.location.path
