"""Media types of the files the publisher reads and writes, by file extension."""

MEDIA_TYPES = {
    ".html": "text/html",
    ".txt": "text/plain",
    ".json": "application/json",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
    ".icc": "application/vnd.iccprofile",
}


def media_type(name: str) -> str:
    """The media type for a file name; octet-stream for what the table does not know."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return MEDIA_TYPES.get(suffix, "application/octet-stream")
