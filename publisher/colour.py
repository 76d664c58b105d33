"""Colours for the print shop: sRGB colours of SVG figures converted to CMYK.

WeasyPrint never converts RGB to CMYK, so an SVG drawn in sRGB would put DeviceRGB into
the PDF/X-4 edition. Before the renderer sees an SVG, its colours are converted with the
edition's output profile (littleCMS through Pillow, relative colorimetric with black point
compensation) and written as ``device-cmyk()``, which WeasyPrint's SVG renderer paints as
DeviceCMYK. Neutral greys and black become black ink only, as text should be.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

_HEX = re.compile(rb"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
_COLOURED = re.compile(rb"""((?:fill|stroke|stop-color|color|flood-color|lighting-color)\s*[=:]\s*["']?)(#[0-9a-fA-F]{3,6}\b)""")
_ROOT = re.compile(rb"<(?P<name>svg)\b[^>]*>")
NEUTRAL = 12  # a colour whose channels differ by less than this is grey: black ink only


class CmykConverter:
    def __init__(self, profile: Path):
        self.profile = profile
        srgb = ImageCms.createProfile("sRGB")
        cmyk = ImageCms.getOpenProfile(str(profile))
        self._transform = ImageCms.buildTransform(
            srgb, cmyk, "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION
        )

    @lru_cache(maxsize=256)
    def cmyk(self, hex_colour: str) -> tuple[float, float, float, float]:
        digits = hex_colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        rgb = tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
        if max(rgb) - min(rgb) < NEUTRAL:
            grey = sum(rgb) / 3 / 255
            return (0.0, 0.0, 0.0, round(1 - grey, 3))
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), self._transform).getpixel((0, 0))
        return tuple(round(v / 255, 3) for v in pixel)

    def device_cmyk(self, hex_colour: str) -> str:
        c, m, y, k = self.cmyk(hex_colour)
        return f"device-cmyk({c:g} {m:g} {y:g} {k:g})"

    def svg(self, data: bytes) -> bytes:
        """The SVG with every colour of fill, stroke and the like in CMYK; what is painted
        in the default black is painted in black ink."""
        data = _COLOURED.sub(lambda m: m.group(1) + self.device_cmyk(m.group(2).decode()).encode(), data)
        root = _ROOT.search(data)
        if root and b"fill=" not in root.group(0):
            data = data[: root.end("name")] + b' fill="device-cmyk(0 0 0 1)"' + data[root.end("name") :]
        return data
