"""Black overprint in the print shop's PDFs (publisher/overprint.py), read back from the
real files: each painting operator with the colour and the overprint it is drawn with,
as a RIP sees them (the graphics states are read for their /op, /OP and /OPM, not by
their names)."""

from __future__ import annotations

import io

import pikepdf
import pytest

from publisher.overprint import overprint_black

BLACK = (0.0, 0.0, 0.0, 1.0)
WHITE = (0.0, 0.0, 0.0, 0.0)
_TEXT = {"Tj", "TJ", "'", '"'}
_FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
_STROKES = {"S", "s", "B", "B*", "b", "b*"}


def _colour(operands) -> tuple[float, ...] | None:
    try:
        return tuple(round(float(v), 4) for v in operands)
    except (TypeError, ValueError):
        return None


def painted(pdf: pikepdf.Pdf) -> list[tuple[str, tuple | None, bool, int]]:
    """(what, colour, overprint, overprint mode) for every text, fill, stroke, image and
    shading painted on every page, forms followed into."""
    found: list = []

    def walk(holder, state: dict) -> None:
        resources = holder.get("/Resources") or pikepdf.Dictionary()
        stack = []
        for operands, operator in pikepdf.parse_content_stream(holder):
            op = str(operator)
            if op == "q":
                stack.append(dict(state))
            elif op == "Q":
                state = stack.pop()
            elif op == "cs":
                state["fill"] = BLACK if str(operands[0]) == "/DeviceCMYK" else None
            elif op == "CS":
                state["stroke"] = BLACK if str(operands[0]) == "/DeviceCMYK" else None
            elif op in ("k", "sc", "scn"):
                state["fill"] = _colour(operands)
            elif op in ("K", "SC", "SCN"):
                state["stroke"] = _colour(operands)
            elif op == "gs":
                graphics = resources.ExtGState[operands[0]]
                if "/OP" in graphics:
                    state["OP"] = bool(graphics.OP)
                    state["op"] = bool(graphics.OP)
                if "/op" in graphics:
                    state["op"] = bool(graphics.op)
                if "/OPM" in graphics:
                    state["OPM"] = int(graphics.OPM)
            elif op in _TEXT:
                found.append(("text", state["fill"], state["op"], state["OPM"]))
            elif op == "sh":
                found.append(("shading", None, state["op"], state["OPM"]))
            elif op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.Subtype == "/Form":
                    walk(xobject, dict(state))
                else:
                    found.append(("image", None, state["op"], state["OPM"]))
            if op in _FILLS:
                found.append(("fill", state["fill"], state["op"], state["OPM"]))
            if op in _STROKES:
                found.append(("stroke", state["stroke"], state["OP"], state["OPM"]))

    for page in pdf.pages:
        walk(page.obj, {"fill": None, "stroke": None, "op": False, "OP": False, "OPM": 0})
    return found


@pytest.fixture(scope="module")
def print_shop_files(series_build):
    project, _ = series_build
    build = project / "build"
    return build / "smart-society-cases-print.pdf", build / "smart-society-cases-cover.pdf"


def test_black_text_and_rules_overprint_and_every_other_colour_knocks_out(print_shop_files):
    book, cover = print_shop_files
    with pikepdf.open(book) as pdf:
        paint = painted(pdf)
    black_text = [p for p in paint if p[0] == "text" and p[1] == BLACK]
    assert len(black_text) > 5000  # the body, notes, headings and the figures' labels
    assert all(overprint and mode == 1 for _, _, overprint, mode in black_text)
    black_rules = [p for p in paint if p[0] in ("stroke", "fill") and p[1] == BLACK]
    assert black_rules and all(overprint and mode == 1 for _, _, overprint, mode in black_rules)
    others = [p for p in paint if p[1] != BLACK]
    assert {p[1] for p in others} >= {(0.0, 0.0, 0.0, 0.7), (0.9, 0.5, 0.0, 0.45), (1.0, 1.0, 1.0, 1.0)}  # grey, blue, the marks
    assert not [p for p in others if p[2]], "a colour other than 100 % K overprints"


def test_reversed_type_on_the_cover_knocks_out(print_shop_files):
    _, cover = print_shop_files
    with pikepdf.open(cover) as pdf:
        paint = painted(pdf)
    white = [p for p in paint if p[0] == "text" and p[1] == WHITE]
    assert len(white) > 10  # the lines of the title, subtitle, publishers and spine on the blue
    assert not [p for p in white if p[2]]


def _page_with(content: bytes) -> bytes:
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, b"\x00\xff\x00\xff")
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 1, 1, 8
    image.ColorSpace = pikepdf.Name.DeviceCMYK
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 100, 100],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im1=image), Font=pikepdf.Dictionary(F1=font)),
        Contents=pikepdf.Stream(pdf, content),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_an_image_drawn_while_the_colour_is_black_knocks_out():
    content = b"/DeviceCMYK cs 0 0 0 1 scn BT /F1 9 Tf (a) Tj ET q 10 0 0 10 0 0 cm /Im1 Do Q BT (b) Tj ET"
    with pikepdf.open(io.BytesIO(overprint_black(_page_with(content)))) as pdf:
        paint = painted(pdf)
    assert [(what, overprint) for what, _, overprint, _ in paint] == [("text", True), ("image", False), ("text", True)]


def test_a_colour_set_inside_a_saved_state_ends_with_it():
    content = b"/DeviceCMYK cs 0 0 0 1 scn q 0.9 0.5 0 0.45 scn 0 0 5 5 re f Q 0 0 5 5 re f 0 0 0 0 scn BT /F1 9 Tf (c) Tj ET"
    with pikepdf.open(io.BytesIO(overprint_black(_page_with(content)))) as pdf:
        paint = painted(pdf)
    assert [(colour, overprint) for _, colour, overprint, _ in paint] == [((0.9, 0.5, 0.0, 0.45), False), (BLACK, True), (WHITE, False)]


def test_everything_knocks_out_when_the_print_shop_asks(project, tmp_path):
    from .conftest import print_shop_files

    for path in print_shop_files(project, tmp_path / "out", "  overprint_black: false\n"):
        with pikepdf.open(path) as pdf:
            paint = painted(pdf)
        assert paint and not [p for p in paint if p[2]], path.name
