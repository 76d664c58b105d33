"""Colours for the print shop: sRGB colours of SVG figures converted to CMYK.

WeasyPrint never converts RGB to CMYK, so an SVG drawn in sRGB would put DeviceRGB into
the PDF/X-4 edition. Before the renderer sees an SVG, its colours are converted with the
edition's output profile (littleCMS through Pillow, relative colorimetric with black point
compensation) and written as ``device-cmyk()``, which WeasyPrint's SVG renderer paints as
DeviceCMYK. Neutral greys and black become black ink only, as text should be.
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


class CmykConverter:
    def __init__(self, profile: Path):
        self.profile = profile
        self.srgb = ImageCms.createProfile("sRGB")
        self.cmyk_profile = ImageCms.getOpenProfile(str(profile))
        self._transform = ImageCms.buildTransform(
            self.srgb, self.cmyk_profile, "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION
        )

    @lru_cache(maxsize=256)
    def cmyk(self, rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
        if max(rgb) - min(rgb) < NEUTRAL:
            grey = sum(rgb) / 3 / 255
            return (0.0, 0.0, 0.0, round(1 - grey, 3))
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
