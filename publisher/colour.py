"""Colours for the print shop: sRGB colours of SVG figures converted to CMYK.

WeasyPrint never converts RGB to CMYK, so an SVG drawn in sRGB would put DeviceRGB into
the PDF/X-4 edition. Before the renderer sees an SVG, its colours are converted with the
edition's output profile (littleCMS through Pillow, relative colorimetric with black point
compensation) and written as ``device-cmyk()``, which WeasyPrint's SVG renderer paints as
DeviceCMYK. Neutral greys and black become black ink only, as text should be.

A figure drawn in the layout's palette prints in the palette's own inks: the colours the
stylesheets name (``--blue: #1f4e79`` in book.css, ``--blue: device-cmyk(…)`` in the print
shop's stylesheet) are taken as they are, not converted, and a colour within a small
distance of one of them (ΔE*ab below ``SNAP``) is taken as that colour, so that a figure's
blue is the blue of the headings beside it and its black is 100 % K. A neutral darker
than ``NEAR_BLACK`` is black ink, solid.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import tinycss2
import tinycss2.color3
from lxml import etree
from PIL import Image, ImageCms

NEUTRAL = 12  # a colour whose channels differ by less than this (of 255) is grey: black ink only
# properties that paint with a colour, and the opacity that carries a colour's alpha
PAINT = {"fill": "fill-opacity", "stroke": "stroke-opacity", "stop-color": "stop-opacity", "color": None, "flood-color": "flood-opacity", "lighting-color": None}
SVG_NS = "http://www.w3.org/2000/svg"


SNAP = 8.0  # ΔE*ab (CIE 1976): a colour this close to a palette colour prints as that colour
NEAR_BLACK = 0.85  # a neutral needing more black ink than this is solid black


def palette(screen: list[Path], printed: Path) -> dict[tuple[int, int, int], tuple[float, float, float, float]]:
    """The layout's palette: each custom property of ``:root`` that the screen stylesheets
    give as an sRGB colour and the print shop's stylesheet as ``device-cmyk()``, as
    sRGB → CMYK (in 0…1)."""
    rgb = {name: value for sheet in screen for name, value in _custom_properties(sheet).items()}
    found = {}
    for name, value in _custom_properties(printed).items():
        if name not in rgb:
            continue
        colour = tinycss2.color3.parse_color(rgb[name])
        inks = _device_cmyk(value)
        if colour is None or isinstance(colour, str) or inks is None:
            continue
        found[tuple(round(channel * 255) for channel in colour[:3])] = inks
    return found


def _custom_properties(sheet: Path) -> dict[str, str]:
    found = {}
    for rule in tinycss2.parse_stylesheet(sheet.read_text("utf-8"), skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.name.startswith("--"):
                    found[declaration.name] = tinycss2.serialize(declaration.value).strip()
    return found


def _device_cmyk(value: str) -> tuple[float, float, float, float] | None:
    tokens = tinycss2.parse_component_value_list(value)
    function = next((t for t in tokens if t.type == "function"), None)
    if function is None or function.lower_name != "device-cmyk":
        return None
    numbers = [t for t in function.arguments if t.type in ("number", "percentage")]
    if len(numbers) != 4:
        return None
    return tuple(float(n.value) / (100 if n.type == "percentage" else 1) for n in numbers)


class CmykConverter:
    def __init__(self, profile: Path, colours: dict[tuple[int, int, int], tuple[float, float, float, float]] | None = None):
        self.profile = profile
        self.srgb = ImageCms.createProfile("sRGB")
        self.cmyk_profile = ImageCms.getOpenProfile(str(profile))
        self._transform = ImageCms.buildTransform(
            self.srgb, self.cmyk_profile, "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION
        )
        self._lab = ImageCms.buildTransform(self.srgb, ImageCms.createProfile("LAB"), "RGB", "LAB")
        self.palette = dict(colours or {})
        self._palette_lab = [(self.lab(rgb), inks) for rgb, inks in self.palette.items()]

    def lab(self, rgb: tuple[int, int, int]) -> tuple[float, float, float]:
        light, a, b = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self._lab).getpixel((0, 0))
        return light * 100 / 255, a - 128, b - 128  # Pillow's LAB: L in 0…255, a and b offset by 128

    @lru_cache(maxsize=256)
    def cmyk(self, rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
        if rgb in self.palette:
            return self.palette[rgb]
        if self._palette_lab:
            here = self.lab(rgb)
            distance, inks = min((sum((p - q) ** 2 for p, q in zip(here, lab)) ** 0.5, inks) for lab, inks in self._palette_lab)
            if distance < SNAP:
                return inks
        if max(rgb) - min(rgb) < NEUTRAL:
            grey = round(1 - sum(rgb) / 3 / 255, 3)
            return (0.0, 0.0, 0.0, 1.0 if grey > NEAR_BLACK else grey)
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self._transform).getpixel((0, 0))
        return tuple(round(v / 255, 3) for v in pixel)

    def device_cmyk(self, value: str) -> tuple[str, float] | None:
        """A CSS colour (any syntax: names, #rgb, #rrggbbaa, rgb(), hsl()) as device-cmyk()
        and its alpha; None for what is not a colour (none, currentColor, url(#g))."""
        parsed = tinycss2.color3.parse_color(value.strip())
        if parsed is None or isinstance(parsed, str):
            return None
        rgb = tuple(round(channel * 255) for channel in parsed[:3])
        c, m, y, k = self.cmyk(rgb)
        return f"device-cmyk({c:g} {m:g} {y:g} {k:g})", parsed.alpha

    def svg(self, data: bytes) -> bytes:
        """The (checked) SVG with every colour that paints in CMYK, its alpha kept as an
        opacity; what is painted in the default black is painted in black ink."""
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for prop, opacity in PAINT.items():
                value = element.get(prop)
                converted = self.device_cmyk(value) if value else None
                if converted:
                    element.set(prop, converted[0])
                    if converted[1] < 1 and opacity:
                        element.set(opacity, f"{converted[1]:.3g}")
            style = element.get("style")
            if style:
                element.set("style", self._style(style))
            if etree.QName(element).localname == "style" and element.text:
                element.text = self._stylesheet(element.text)
        if root.get("fill") is None:
            root.set("fill", "device-cmyk(0 0 0 1)")
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")

    def _style(self, text: str) -> str:
        parts = []
        for declaration in tinycss2.parse_declaration_list(text, skip_comments=True, skip_whitespace=True):
            if declaration.type != "declaration":
                continue
            value = tinycss2.serialize(declaration.value).strip()
            converted = self.device_cmyk(value) if declaration.lower_name in PAINT else None
            if converted:
                parts.append(f"{declaration.name}: {converted[0]}")
                opacity = PAINT[declaration.lower_name]
                if converted[1] < 1 and opacity:
                    parts.append(f"{opacity}: {converted[1]:.3g}")
            else:
                parts.append(f"{declaration.name}: {value}")
        return "; ".join(parts)

    def _stylesheet(self, text: str) -> str:
        out = []
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule":
                out.append(f"{tinycss2.serialize(rule.prelude).strip()} {{ {self._style(tinycss2.serialize(rule.content))} }}")
        return "\n".join(out)

    def raster(self, data: bytes) -> bytes:
        """A PNG or JPEG figure converted to CMYK with the output profile (a JPEG, which the
        renderer embeds as DeviceCMYK)."""
        import io

        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            if picture.mode in ("RGBA", "LA", "P", "PA"):
                flat = Image.new("RGB", picture.size, "white")
                rgba = picture.convert("RGBA")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                picture = flat
            elif picture.mode != "RGB":
                picture = picture.convert("RGB")
            converted = ImageCms.applyTransform(picture, self._transform)
            out = io.BytesIO()
            converted.save(out, "JPEG", quality=95, dpi=picture.info.get("dpi", (300, 300)))
            return out.getvalue()
