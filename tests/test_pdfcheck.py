"""The PDF/UA-1 checker: every condition it claims fails on a PDF broken in exactly that
way and passes on the same PDF unbroken; the real screen PDFs pass.

The passing fixture is a small tagged PDF written by the project's own PDF writer
(WeasyPrint with ``pdf._finish``, which mends the structure tree). Each failing fixture
is that PDF changed with pikepdf to break one rule.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pikepdf
import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from io import BytesIO

from publisher import pdf as pdf_writer
from publisher.config import PrintSpec
from publisher.cli import main
from publisher.pdfcheck import CHECKPOINTS, HUMAN, NOT_PRODUCED, check_pdf, checkpoints_markdown

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "layouts" / "fonts"

HTML = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Proefdocument</title>
<style>
@font-face {{ font-family: Serif; src: url({(FONTS / 'NotoSerif-Regular.ttf').as_uri()}); }}
@page {{ size: A5; margin: 20mm; @bottom-center {{ content: counter(page); }} @top-center {{ content: "Proef"; }} }}
body {{ font-family: Serif; }}
.footnote {{ float: footnote; }}
</style></head>
<body>
<section><h1>Kop één</h1>
<p>Een alinea met een <a href="https://example.org/">koppeling</a> en een noot<span class="footnote" id="n1">Eerste noot.</span>.</p>
<ul><li>Eén</li><li><a href="https://example.org/twee"><span>Twee</span> <span>p. 2</span></a></li></ul>
<h2>Kop twee</h2>
<table><thead><tr><th>Jaar</th><th>Aantal</th></tr></thead><tbody><tr><td>2024</td><td>3</td></tr></tbody></table>
<p>Tweede alinea<span class="footnote" id="n2">Tweede noot.</span>.</p>
<img alt="Een blauw vlak" src="data:image/svg+xml;utf8,&lt;svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'&gt;&lt;rect width='40' height='20' fill='blue'/&gt;&lt;/svg&gt;">
</section>
</body></html>
"""


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    from weasyprint import HTML as Page

    path = tmp_path_factory.mktemp("pdfua") / "good.pdf"
    document = Page(string=HTML).render()
    finish = partial(pdf_writer._finish, pdf_writer.SCREEN, "fixture", ("n1", "n2"), [], [], PrintSpec())
    path.write_bytes(document.write_pdf(pdf_variant="pdf/ua-1", finisher=finish))
    return path


# -- how to break each rule ----------------------------------------------------------


def _elements(pdf):
    def walk(node):
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                yield from walk(kid)

    return list(walk(pdf.Root.StructTreeRoot))


def _first(pdf, kind):
    return next(e for e in _elements(pdf) if e.S == kind)


def _all(pdf, kind):
    return [e for e in _elements(pdf) if e.S == kind]


def _page_content(pdf, change):
    page = pdf.pages[0]
    data = page.obj.Contents.read_bytes() if not isinstance(page.obj.Contents, pikepdf.Array) else b"\n".join(c.read_bytes() for c in page.obj.Contents)
    page.obj.Contents = pdf.make_stream(change(data))


def _first_font(pdf):
    return next(iter(pdf.pages[0].Resources.Font.values()))


def _used_codes(pdf):
    codes = set()
    for operands, operator in pikepdf.parse_content_stream(pdf.pages[0]):
        if str(operator) == "TJ":
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    codes |= {int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)}
    return codes


def _set_to_unicode(pdf, font, mapping: dict[int, str]):
    entries = "\n".join(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>" for code, text in sorted(mapping.items()))
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def\n"
        f"1 begincodespacerange <0000> <ffff> endcodespacerange\n{len(mapping)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font.ToUnicode = pdf.make_stream(cmap.encode())


def _xmp(pdf, change):
    pdf.Root.Metadata = pdf.make_stream(change(pdf.Root.Metadata.read_bytes()))


def _add_annotation(pdf, subtype, **extra):
    annotation = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype), Rect=[10, 10, 20, 20], **extra))
    page = pdf.pages[0].obj
    if "/Annots" not in page:
        page.Annots = pdf.make_indirect(pikepdf.Array())
    page.Annots.append(annotation)
    return annotation


def _form(pdf, content: bytes, **extra):
    return pdf.make_stream(content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10], **extra)


def _draw(pdf, name, xobject, times=1):
    pdf.pages[0].Resources.XObject[name] = xobject
    _page_content(pdf, lambda data: data + (b"\n/Artifact BMC " + name.encode() + b" Do EMC") * times)


def _broken_font_program(pdf):
    descriptor = _first_font(pdf).DescendantFonts[0].FontDescriptor
    font = TTFont(BytesIO(descriptor.FontFile2.read_bytes()))
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=[0, 1])
    subsetter.subset(font)
    out = BytesIO()
    font.save(out)
    descriptor.FontFile2 = pdf.make_stream(out.getvalue())


def _notdef(pdf):
    def change(data):
        return re.sub(rb"<([0-9a-f]{4})>", b"<0000>", data, count=1)

    _page_content(pdf, change)


def _form_twice(pdf):
    tree = pdf.Root.StructTreeRoot
    element = _first(pdf, "/P")
    tree.ParentTree.Nums.extend([99, pikepdf.Array([element])])
    form = _form(pdf, b"/Span <</MCID 0>> BDC EMC", StructParents=99)
    pdf.pages[0].Resources.XObject["/Fm"] = form
    _page_content(pdf, lambda data: data + b"\n/Fm Do /Fm Do")


def _untag_table(pdf):
    for cell in _all(pdf, "/TD"):
        del cell.A["/Headers"]
    for cell in _all(pdf, "/TH"):
        del cell.A["/Scope"]


def _encrypt(path: Path, target: Path):
    with pikepdf.open(path) as pdf:
        # RC4 (R 3): the handler in which bit 10 of P still means something
        pdf.save(target, encryption=pikepdf.Encryption(owner="eigenaar", user="", R=3, aes=False, metadata=False, allow=pikepdf.Permissions(accessibility=False, extract=False)))


BREAKS = {
    # condition: (how to break it, the conditions the broken file fails: that one, and
    # only where one change necessarily breaks several, those too)
    "01-003": (lambda pdf: _page_content(pdf, lambda d: d.replace(b"BDC", b"BDC /Artifact BMC EMC", 1)), {"01-003"}),
    "01-004": (lambda pdf: _page_content(pdf, lambda d: d + b"\n/Artifact BMC /P <</MCID 90>> BDC EMC EMC"), {"01-004"}),
    "01-005": (lambda pdf: _page_content(pdf, lambda d: d + b"\n0 0 m 10 10 l S"), {"01-005"}),
    "01-007": (lambda pdf: setattr(pdf.Root.MarkInfo, "Suspects", True), {"01-007"}),
    "02-001": (lambda pdf: setattr(_first(pdf, "/P"), "S", pikepdf.Name("/Alinea")), {"02-001"}),
    "02-003": (lambda pdf: (setattr(pdf.Root.StructTreeRoot, "RoleMap", pikepdf.Dictionary({"/Alinea": pikepdf.Name("/Tekst"), "/Tekst": pikepdf.Name("/Alinea")})), setattr(_first(pdf, "/P"), "S", pikepdf.Name("/Alinea"))), {"02-003"}),
    "02-004": (lambda pdf: setattr(pdf.Root.StructTreeRoot, "RoleMap", pikepdf.Dictionary({"/P": pikepdf.Name("/Span")})), {"02-004"}),
    "06-001": (lambda pdf: delattr(pdf.Root, "Metadata"), {"06-001"}),
    "06-002": (lambda pdf: _xmp(pdf, lambda x: x.replace(b"pdfuaid:part", b"pdfuaid:deel")), {"06-002"}),
    "06-003": (lambda pdf: _xmp(pdf, lambda x: re.sub(rb"<dc:title>.*?</dc:title>", b"", x, flags=re.S)), {"06-003"}),
    "07-001": (lambda pdf: delattr(pdf.Root.ViewerPreferences, "DisplayDocTitle"), {"07-001"}),
    "07-002": (lambda pdf: setattr(pdf.Root.ViewerPreferences, "DisplayDocTitle", False), {"07-002"}),
    "09-004": (lambda pdf: setattr(_first(pdf, "/TR"), "S", pikepdf.Name("/Div")), {"09-004"}),
    "09-005": (lambda pdf: setattr(_first(pdf, "/LI"), "S", pikepdf.Name("/Div")), {"09-005"}),
    "09-006": (lambda pdf: setattr(_first(pdf, "/P"), "S", pikepdf.Name("/TOCI")), {"09-006"}),
    "10-001": (lambda pdf: _set_to_unicode(pdf, _first_font(pdf), {}), {"10-001"}),
    "11-001": (lambda pdf: setattr(_first(pdf, "/P"), "Lang", pikepdf.String("nl_NL")), {"11-001"}),
    "11-002": (lambda pdf: delattr(pdf.Root, "Lang"), {"11-001", "11-002", "11-003", "11-004", "11-006"}),
    "11-003": (lambda pdf: setattr(pdf.Root, "Lang", pikepdf.String("")), {"11-001", "11-002", "11-003", "11-004", "11-006"}),
    "11-004": (lambda pdf: setattr(pdf.Root, "Lang", pikepdf.String("Nederlands")), {"11-001", "11-002", "11-003", "11-004", "11-006"}),
    "11-006": (lambda pdf: delattr(pdf.Root, "Lang"), {"11-001", "11-002", "11-003", "11-004", "11-006"}),
    "13-004": (lambda pdf: delattr(_first(pdf, "/Figure"), "Alt"), {"13-004"}),
    "14-002": (lambda pdf: setattr(_first(pdf, "/H1"), "S", pikepdf.Name("/H2")), {"14-002"}),
    "14-003": (lambda pdf: setattr(_first(pdf, "/H2"), "S", pikepdf.Name("/H3")), {"14-003"}),
    "14-006": (lambda pdf: [setattr(e, "S", pikepdf.Name("/H")) for e in _all(pdf, "/H1") + _all(pdf, "/H2")], {"14-006"}),
    "14-007": (lambda pdf: setattr(_first(pdf, "/Caption") if _all(pdf, "/Caption") else _all(pdf, "/P")[-1], "S", pikepdf.Name("/H")), {"14-007"}),
    "15-003": (_untag_table, {"15-003"}),
    "17-002": (lambda pdf: setattr(_first(pdf, "/P"), "S", pikepdf.Name("/Formula")), {"17-002"}),
    "19-003": (lambda pdf: delattr(_first(pdf, "/Note"), "ID"), {"19-003"}),
    "19-004": (lambda pdf: setattr(_all(pdf, "/Note")[1], "ID", _all(pdf, "/Note")[0].ID), {"19-004"}),
    "26-002": (None, {"26-002"}),  # see _encrypt
    "28-002": (lambda pdf: _add_annotation(pdf, "/Text", Contents=pikepdf.String("Opmerking")), {"28-002"}),
    "28-004": (lambda pdf: _add_annotation(pdf, "/Text"), {"28-002", "28-004"}),
    "28-007": (lambda pdf: _add_annotation(pdf, "/TrapNet", Contents=pikepdf.String("Overvulling")), {"28-002", "28-007"}),
    "28-008": (lambda pdf: delattr(pdf.pages[0].obj, "Tabs"), {"28-008"}),
    "28-009": (lambda pdf: setattr(pdf.pages[0].obj, "Tabs", pikepdf.Name.R), {"28-009"}),
    "28-010": (lambda pdf: _add_annotation(pdf, "/Widget"), {"28-010"}),
    "28-011": (lambda pdf: setattr(_first(pdf, "/Link"), "S", pikepdf.Name("/Span")), {"28-011"}),
    "28-012": (lambda pdf: delattr(pdf.pages[0].obj.Annots[0], "Contents"), {"28-012"}),
    "30-001": (lambda pdf: _draw(pdf, "/Ref", _form(pdf, b"", Ref=pikepdf.Dictionary(F=pikepdf.String("elders.pdf"), Page=0))), {"30-001"}),
    "30-002": (_form_twice, {"30-002"}),
    "31-009": (lambda pdf: delattr(_first_font(pdf).DescendantFonts[0].FontDescriptor, "FontFile2"), {"31-009"}),
    "31-011": (_broken_font_program, {"31-011"}),
    "31-027": (lambda pdf: delattr(_first_font(pdf), "ToUnicode"), {"31-027"}),
    "31-028": (lambda pdf: _set_to_unicode(pdf, _first_font(pdf), {c: ("\x00" if i == 0 else "a") for i, c in enumerate(sorted(_used_codes(pdf)))}), {"31-028"}),
    "31-029": (lambda pdf: _set_to_unicode(pdf, _first_font(pdf), {c: ("\ufeff" if i == 0 else "a") for i, c in enumerate(sorted(_used_codes(pdf)))}), {"31-029"}),
    "31-030": (_notdef, {"31-030", "10-001"}),
}


def test_every_claimed_condition_has_a_way_to_break_it():
    assert set(BREAKS) == set(CHECKPOINTS)


def test_the_unbroken_fixture_passes(good):
    report = check_pdf(good)
    assert report.passed, [str(f) for f in report.findings]
    with pikepdf.open(good) as pdf:  # and it holds what the breaks need
        kinds = {str(e.S) for e in _elements(pdf)}
        assert {"/H1", "/H2", "/Table", "/TH", "/L", "/LI", "/Figure", "/Link", "/Note"} <= kinds
        assert len(_all(pdf, "/Note")) == 2 and pdf.pages[0].obj.get("/Annots")
        assert [str(th.A.Scope) for th in _all(pdf, "/TH")] == ["/Column", "/Column"]


@pytest.mark.filterwarnings("ignore::pikepdf.PageCopyWarning")  # the widget of 28-010 has no form
@pytest.mark.parametrize("condition", sorted(BREAKS))
def test_a_pdf_broken_in_one_way_fails_that_condition(condition, good, tmp_path):
    change, expected = BREAKS[condition]
    broken = tmp_path / f"{condition}.pdf"
    if change is None:
        _encrypt(good, broken)
    else:
        with pikepdf.open(good) as pdf:
            change(pdf)
            pdf.save(broken)
    report = check_pdf(broken)
    assert {f.checkpoint for f in report.findings} == expected, [str(f) for f in report.findings]
    assert all(f.where for f in report.findings)


def test_findings_name_the_page_and_the_structure_path(good, tmp_path):
    broken = tmp_path / "alt.pdf"
    with pikepdf.open(good) as pdf:
        delattr(_first(pdf, "/Figure"), "Alt")
        pdf.save(broken)
    (finding,) = check_pdf(broken).findings
    assert finding.page == 1
    # the figure stands in an anonymous block of the section, which WeasyPrint tags Sect too
    assert re.fullmatch(r"Document/Sect(/Sect)?/Figure", finding.where), finding.where
    assert str(finding).startswith("Matterhorn 13-004: a figure without alternative text")


def test_the_protocol_is_accounted_for_condition_by_condition():
    # Matterhorn Protocol 1.1: how many failure conditions each checkpoint has (137)
    sizes = {1: 7, 2: 4, 3: 3, 4: 1, 5: 3, 6: 4, 7: 2, 8: 2, 9: 8, 10: 1, 11: 7, 12: 1, 13: 8, 14: 7, 15: 5, 16: 3,
             17: 3, 18: 2, 19: 4, 20: 3, 21: 1, 22: 1, 23: 1, 24: 1, 25: 1, 26: 2, 27: 1, 28: 18, 29: 1, 30: 2, 31: 30}
    every = {f"{cp:02d}-{n:03d}" for cp, size in sizes.items() for n in range(1, size + 1)}
    listed = list(CHECKPOINTS) + HUMAN + NOT_PRODUCED
    assert len(listed) == len(set(listed)) == 137
    assert set(listed) == every


def test_the_readme_table_matches_the_checker():
    readme = (ROOT / "README.md").read_text("utf-8")
    table = re.search(r"<!-- pdfcheck-table[^>]*-->\n(.*?)<!-- /pdfcheck-table -->", readme, re.S)
    assert table, "README.md has no pdfcheck table"
    assert table.group(1) == checkpoints_markdown()


def test_the_command_reports_and_exits_by_result(good, tmp_path, capsys):
    assert main(["pdfcheck", str(good)]) == 0
    assert "0 failures of" in capsys.readouterr().out
    broken = tmp_path / "tabs.pdf"
    with pikepdf.open(good) as pdf:
        pdf.pages[0].obj.Tabs = pikepdf.Name.R
        pdf.save(broken)
    assert main(["pdfcheck", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{broken}: Matterhorn 28-009: a page with annotations has Tabs /R" in out
    (tmp_path / "no.pdf").write_text("geen pdf")
    assert main(["pdfcheck", str(tmp_path / "no.pdf")]) == 2


@pytest.mark.slow
def test_every_screen_pdf_of_the_series_passes(series_build):
    root, _ = series_build
    pdfs = [root / "build" / "smart-society-cases.pdf", *sorted((root / "build" / "offprints").glob("*.pdf"))]
    assert len(pdfs) >= 10
    for path in pdfs:
        report = check_pdf(path)
        assert report.passed, (path.name, [str(f) for f in report.findings[:5]])


@pytest.mark.slow
def test_the_series_notes_and_header_cells_are_tagged(series_build):
    root, _ = series_build
    with pikepdf.open(root / "build" / "smart-society-cases.pdf") as pdf:
        elements = _elements(pdf)
        notes = [e for e in elements if e.S == "/Note"]
        ids = [str(e.ID) for e in notes]
        assert len(notes) >= 60 and len(set(ids)) == len(ids) and all("--fn-" in i for i in ids)
        headers = [e for e in elements if e.S == "/TH"]
        assert headers and all(e.A.Scope in ("/Column", "/Row", "/Both") for e in headers)


def test_the_build_checks_every_screen_pdf_and_strict_makes_a_failure_an_error(project, capsys):
    template = project / "layouts" / "book.html.j2"
    text = template.read_text("utf-8")
    template.write_text(text.replace("{% endif %}>", '{% endif %}>\n<h4 class="proef">Proef</h4>', 1), "utf-8")
    assert main(["build", "--project", str(project), "--format", "pdf", "--volume", "eerste-case", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "warning[R418]: Matterhorn 14-002: the first heading is H4, not H1" in err
    assert "build/offprints/eerste-case.pdf" in err
    assert main(["build", "--project", str(project), "--format", "pdf", "--volume", "eerste-case", "--quiet", "--strict"]) == 1
    assert "error[R418]: Matterhorn 14-002" in capsys.readouterr().err
