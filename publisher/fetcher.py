"""The only way the renderer reaches files: a URL fetcher confined to the project's mounts.

WeasyPrint's default fetcher reads any local file and any network address. This one serves
``file:`` URLs that lie under the intermediate's base folder and map onto a mount (a folder
of ``content/`` or ``layouts/``); every other URL is refused, and every refusal is recorded
so that the build fails with the URL named instead of logging a warning.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .assemble import Mount
from .media import media_type



class ProjectFetcher(URLFetcher):
    def __init__(self, base: Path, mounts: tuple[Mount, ...], convert=None, assets=None):
        """``assets`` (href → Asset) are the checked images: under the images mount only
        these are served, as checked. ``convert``, when given, rewrites every image before
        the renderer sees it: (media type, bytes) → (media type, bytes); the print-shop
        rendition converts their colours to CMYK."""
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False, timeout=1)
        self.base = base.resolve()
        self.mounts = {m.prefix: m.source.resolve() for m in mounts}
        self.refused: list[tuple[str, str]] = []
        self.convert = convert
        self.assets = {a.href: a for a in assets} if assets is not None else None

    def resolve(self, url: str) -> Path:
        """The project file a URL stands for; raises PermissionError or FileNotFoundError."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise PermissionError("only the project's own files may be loaded")
        path = Path(unquote(parts.path))
        try:
            relative = path.relative_to(self.base)
        except ValueError:
            raise PermissionError("outside the publication's folders") from None
        prefix, _, rest = relative.as_posix().partition("/")
        source = self.mounts.get(prefix)
        if source is None or not rest:
            raise PermissionError("outside the publication's folders")
        target = (source / rest).resolve()
        if not target.is_relative_to(source):
            raise PermissionError("outside the publication's folders")
        if not target.is_file():
            raise FileNotFoundError("file not found")
        return target

    def fetch(self, url, headers=None):
        try:
            target = self.resolve(url)
        except (PermissionError, FileNotFoundError) as exc:
            self.refused.append((self.display(url), str(exc)))
            raise
        kind = media_type(target.name)
        data = target.read_bytes()
        images = self.mounts.get("images")
        if self.assets is not None and images is not None and target.is_relative_to(images):
            relative = "images/" + target.relative_to(images).as_posix()
            if relative not in self.assets:
                self.refused.append((self.display(url), "not an image the manuscripts use"))
                raise PermissionError("not a checked image")
            data, kind = self.assets[relative].data, self.assets[relative].media_type
        if self.convert is not None and kind.startswith("image/"):
            kind, data = self.convert(kind, data)
        return URLFetcherResponse(url, data, {"Content-Type": kind})

    def display(self, url: str) -> str:
        """A URL as shown to the user: relative to the intermediate where it can be."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path))
            if path.is_relative_to(self.base):
                return path.relative_to(self.base).as_posix()
        return url
