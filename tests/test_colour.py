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
    assert root.find(f"{SVG}text").get("fill") == "device-cmyk(0 0 0 0.889)"  # a neutral grey: black ink only
    assert rects[1].get("fill") == rects[2].get("fill")  # 'red' and rgb() are the same colour
    assert rects[3].get("fill") == rects[1].get("fill") and rects[3].get("fill-opacity") == "0.533"  # #rgba keeps its alpha
    assert rects[4].get("stroke").startswith("device-cmyk(")
    assert (rects[5].get("fill"), rects[5].get("stroke")) == ("none", "url(#g)")
    assert "device-cmyk(" in root.find(f"{SVG}style").text
    assert b"#" not in out.replace(b"url(#g)", b"")
    assert b"rgb" not in out and b"red" not in out
