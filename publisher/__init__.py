"""Smart society cases publisher: Markdown manuscripts → HTML intermediate → PDF and EPUB.

The library API; the ``publisher`` command is a thin layer over it::

    from publisher import build, check, stats
    result = build("path/to/project", formats=("pdf", "epub"))

Stages, each handing one object to the next:
``config.load_config`` → ``manuscript.read_manuscript`` → ``publication.load_publication``
→ ``assemble.assemble`` (the HTML intermediate) → writers (``html_writer``, ``pdf``, ``epub``).
"""

__version__ = "0.1.0"

from .api import BuildResult, Stats, build, check, new_manuscript, stats  # noqa: E402

__all__ = ["BuildResult", "Stats", "build", "check", "new_manuscript", "stats", "__version__"]
