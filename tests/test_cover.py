"""The print shop's cover sheet (publisher/cover.py), measured on the real PDFs: the
fixture's (an ISBN, so a barcode; a thin book, so no spine text) and the series' (no
ISBN; a spine wide enough for its title)."""

from __future__ import annotations

import subprocess

import pikepdf
import pytest
from lxml import etree

from publisher.cover import ean13

MM = 72 / 25.4
PX = 0.75  # WeasyPrint draws in CSS pixels, scaled to points

# EAN-13, as GS1 General Specifications §5.2 tabulates it: the left-hand digits in set
# A (odd parity) or B (even), chosen by the first digit; the right-hand digits in set C.
SET_A = {"0001101": 0, "0011001": 1, "0010011": 2, "0111101": 3, "0100011": 4, "0110001": 5, "0101111": 6, "0111011": 7, "0110111": 8, "0001011": 9}
SET_B = {code.translate(str.maketrans("01", "10"))[::-1]: digit for code, digit in SET_A.items()}
SET_C = {code.translate(str.maketrans("01", "10")): digit for code, digit in SET_A.items()}
FIRST = {"AAAAAA": 0, "AABABB": 1, "AABBAB": 2, "AABBBA": 3, "ABAABB": 4, "ABBAAB": 5, "ABBBAA": 6, "ABABAB": 7, "ABABBA": 8, "ABBABA": 9}


def decode(pattern: str) -> str:
    """The 13 digits an EAN-13 module pattern (95 modules, 1 = bar) encodes."""
    assert len(pattern) == 95 and pattern[:3] == "101" and pattern[45:50] == "01010" and pattern[92:] == "101", pattern
    left, parities = [], ""
    for index in range(6):
        code = pattern[3 + 7 * index : 10 + 7 * index]
        parities += "A" if code in SET_A else "B"
        left.append(SET_A.get(code, SET_B.get(code)))
    right = [SET_C[pattern[50 + 7 * index : 57 + 7 * index]] for index in range(6)]
    return str(FIRST[parities]) + "".join(map(str, left + right))


def bars(page) -> list[tuple[float, float, float]]:
    """(x, width, height) in CSS px of every rectangle filled in solid black ink that is
    drawn as tall as a bar of the symbol."""
    found, colour = [], None
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) == "k" or (str(op) == "scn" and len(operands) == 4):
            colour = tuple(float(v) for v in operands)
        elif str(op) == "re" and colour == (0, 0, 0, 1):
            x, y, width, height = (float(v) for v in operands)
            if 20 * MM / PX < height < 26 * MM / PX and width < 2 * MM / PX:
                found.append((x, width, height))
    return sorted(set(found))


@pytest.fixture(scope="module")
def mini_cover(mini_build):
    project, result = mini_build
    return project, project / "build" / "proefreeks-cover.pdf", project / "build" / "proefreeks-print.pdf"


@pytest.fixture(scope="module")
def series_cover(series_build):
    project, result = series_build
    return project, project / "build" / "smart-society-cases-cover.pdf", project / "build" / "smart-society-cases-print.pdf", result.publication


def boxes(path):
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        return len(pdf.pages), {name: [float(v) for v in page[name]] for name in ("/MediaBox", "/TrimBox", "/BleedBox")}


def test_the_barcode_is_the_isbn_in_vectors(mini_cover):
    project, cover, _ = mini_cover
    with pikepdf.open(cover) as pdf:
        page = pdf.pages[0]
        assert not any(x.get("/Subtype") == "/Image" for x in (page.Resources.get("/XObject") or {}).values())
        found = bars(page)
    assert len(found) == 30  # 3 guards of 2 bars, 12 digits of 2 bars
    module = 0.33 * MM / PX
    start = found[0][0]
    pattern = ["0"] * 95
    for x, width, height in found:
        first = round((x - start) / module)
        for offset in range(round(width / module)):
            pattern[first + offset] = "1"
    assert decode("".join(pattern)) == "9789000000005"  # the fixture's isbn, 978-90-00-00000-5
    guards = {round(h, 1) for x, w, h in found if round((x - start) / module) in (0, 2, 46, 48, 92, 94)}
    others = {round(h, 1) for x, w, h in found} - guards
    assert len(guards) == 1 and len(others) == 1 and guards.pop() > others.pop()  # guard bars run longer
    text = subprocess.run(["pdftotext", str(cover), "-"], capture_output=True, text=True, check=True).stdout
    assert "ISBN 978-90-00-00000-5" in text and "9 789000 000005" in " ".join(text.split())


def test_ean13_refuses_a_wrong_check_digit_rather_than_print_another_number():
    assert ean13("978-90-00-00000-5").digits == "9789000000005"
    with pytest.raises(ValueError, match="check digit would be 5"):
        ean13("978-90-00-00000-4")


def test_sheet_geometry_is_back_spine_and_front_with_bleed(series_cover):
    project, cover, printed, publication = series_cover
    printing = publication.config.printing
    with pikepdf.open(printed) as pdf:
        pages = len(pdf.pages)
    spine = (pages + 1) // 2 * printing.paper_thickness + 2 * printing.cover_thickness
    count, found = boxes(cover)
    assert count == 1
    trim, bleed, media = found["/TrimBox"], found["/BleedBox"], found["/MediaBox"]
    assert trim[2] - trim[0] == pytest.approx((2 * 170 + spine) * MM, abs=0.05)
    assert trim[3] - trim[1] == pytest.approx(240 * MM, abs=0.05)
    assert bleed[2] - bleed[0] == pytest.approx((2 * 170 + spine + 2 * 3) * MM, abs=0.05)
    assert bleed[3] - bleed[1] == pytest.approx((240 + 2 * 3) * MM, abs=0.05)
    assert media[0] < bleed[0] and media[2] > bleed[2]  # room for the marks outside the bleed
    with pikepdf.open(cover) as pdf:
        marks = [op for op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op[1]) == "l"]
    assert len(marks) == 8 + 4  # crop marks at the corners, fold marks at both edges of the spine


def _words(path) -> list[tuple[str, float, float]]:
    """(word, left, right) in pt from the trimmed sheet's left edge (pdftotext measures
    from the media box's)."""
    count, found = boxes(path)
    shift = found["/TrimBox"][0] - found["/MediaBox"][0]
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    root = etree.fromstring(out.encode())
    return [(w.text, float(w.get("xMin")) - shift, float(w.get("xMax")) - shift) for w in root.iter("{http://www.w3.org/1999/xhtml}word")]


def test_the_spine_carries_the_title_when_it_is_wide_enough(series_cover, mini_cover):
    project, cover, printed, publication = series_cover
    count, found = boxes(cover)
    spine = found["/TrimBox"][2] - found["/TrimBox"][0] - 2 * 170 * MM
    assert spine >= 5 * MM
    on_spine = [w for w, x0, x1 in _words(cover) if x0 >= 170 * MM - 0.5 and x1 <= 170 * MM + spine + 0.5]
    assert on_spine[:3] == ["Smart", "society", "cases"] and "VNG" in on_spine
    project, cover, printed = mini_cover
    count, found = boxes(cover)
    spine = found["/TrimBox"][2] - found["/TrimBox"][0] - 2 * 170 * MM
    assert spine < 5 * MM
    assert not [w for w, x0, x1 in _words(cover) if x0 >= 170 * MM - 0.5 and x1 <= 170 * MM + spine + 0.5]


def test_the_back_has_the_blurb_publishers_and_licence(series_cover):
    project, cover, printed, publication = series_cover
    back = " ".join(w for w, x0, x1 in _words(cover) if x1 < 170 * MM)
    config = publication.config
    assert " ".join(config.blurb.split()[:8]) in back
    assert all(p.name in back for p in config.publishers)
    assert config.licence_name in back
    assert "ISBN" not in back  # the series has no ISBN: no barcode


def test_no_marks_when_the_print_shop_asks_for_none(project, tmp_path):
    from .conftest import print_shop_files

    for path in print_shop_files(project, tmp_path / "out", "  marks: false\n"):
        name = path.name
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                media, bleed = [float(v) for v in page.MediaBox], [float(v) for v in page.BleedBox]
                assert media == pytest.approx(bleed, abs=0.01)
                assert not [op for op in pikepdf.parse_content_stream(page) if str(op[1]) == "K" and [float(v) for v in op[0]] == [1, 1, 1, 1]]
            if name == "proefreeks-print.pdf":
                assert len(pdf.pages) % 4 == 0
