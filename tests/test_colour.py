from lxml import etree

from publisher.colour import CmykConverter

from .conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def converter():
    return CmykConverter(ROOT / "layouts" / "color" / "coated-fogra39-argyll.icc")


def test_every_colour_syntax_becomes_cmyk():
    out = converter().svg(
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#1f4e79" style="stroke:#fff"/><text fill="#1d1d1b">x</text>'
        b'<rect fill="red"/><rect fill="rgb(255, 0, 0)"/><rect fill="#f008"/><rect stroke="hsl(120, 100%, 50%)"/>'
        b'<rect fill="none" stroke="url(#g)"/><style>rect { fill: blue }</style></svg>'
    )
    root = etree.fromstring(out)
    assert root.get("fill") == "device-cmyk(0 0 0 1)"  # the default black is black ink
    rects = root.findall(f"{SVG}rect")
    assert rects[0].get("fill").startswith("device-cmyk(") and rects[0].get("style") == "stroke: device-cmyk(0 0 0 0)"
    assert root.find(f"{SVG}text").get("fill") == "device-cmyk(0 0 0 1)"  # a near-black neutral: solid black ink
    assert rects[1].get("fill") == rects[2].get("fill")  # 'red' and rgb() are the same colour
    assert rects[3].get("fill") == rects[1].get("fill") and rects[3].get("fill-opacity") == "0.533"  # #rgba keeps its alpha
    assert rects[4].get("stroke").startswith("device-cmyk(")
    assert (rects[5].get("fill"), rects[5].get("stroke")) == ("none", "url(#g)")
    assert "device-cmyk(" in root.find(f"{SVG}style").text
    assert b"#" not in out.replace(b"url(#g)", b"")
    assert b"rgb" not in out and b"red" not in out


def test_a_mid_grey_is_black_ink_only():
    out = converter().svg(b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#6b6b6b"/></svg>')
    assert etree.fromstring(out).find(f"{SVG}rect").get("fill") == "device-cmyk(0 0 0 0.58)"


def test_the_palette_prints_in_its_own_inks_and_near_colours_snap_to_it():
    from publisher.colour import CmykConverter, palette

    layouts = ROOT / "layouts"
    inks = palette([layouts / "css" / "book.css"], layouts / "css" / "print-x.css")
    assert inks[(0x1F, 0x4E, 0x79)] == (0.9, 0.5, 0.0, 0.45)  # --blue, as print-x.css gives it
    assert inks[(0x1D, 0x1D, 0x1B)] == (0.0, 0.0, 0.0, 1.0)  # --ink
    with_palette = CmykConverter(layouts / "color" / "coated-fogra39-argyll.icc", inks)
    assert with_palette.cmyk((0x1F, 0x4E, 0x79)) == (0.9, 0.5, 0.0, 0.45)
    assert converter().cmyk((0x1F, 0x4E, 0x79)) != (0.9, 0.5, 0.0, 0.45)  # what the profile alone makes of it
    assert with_palette.cmyk((0x6B, 0x6B, 0x6B)) == (0.0, 0.0, 0.0, 0.7)  # within ΔE 8 of --grey (#5f5f5a)
    assert with_palette.cmyk((0xFF, 0x00, 0x00)) == converter().cmyk((0xFF, 0x00, 0x00))  # far from all: the profile
