"""`publisher watch`: rebuild on every save, for editors at work.

Each change under content/ or layouts/ is checked at once (well under a second); when the
check passes, the chosen formats are rebuilt. Problems are printed like any other and the
watch goes on. The source of change notifications is passed in, so that the loop can be
driven by watchfiles in use and by a list of changes in tests.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from . import api
from .config import Project
from .errors import PublisherError
from .serve import _relevant


def run(
    project_dir: Path | str,
    formats: tuple[str, ...],
    changes: Iterable[set],
    report: Callable[[str], None],
) -> int:
    """Build once, then once per batch of changes. Returns the number of builds that passed."""
    project = Project.at(project_dir)
    passed = 0
    for batch in itertools.chain([None], changes):  # None: the first build, before any change
        if batch is not None:
            names = _relevant(batch, project.root)
            if not names:
                continue  # an editor's temporary or swap file: nothing of the project changed
            report(f"changed: {', '.join(names)}")
        started = time.perf_counter()
        try:
            result = api.build(project.root, formats=formats)
        except PublisherError as error:
            for diagnostic in error.diagnostics.sorted():
                report(str(diagnostic))
            count = len(error.diagnostics.errors)
            report(f"{count} error{'s' if count != 1 else ''}: nothing rebuilt; watching for the next save")
            continue
        for diagnostic in result.diagnostics.sorted():
            report(str(diagnostic))
        passed += 1
        report(f"rebuilt {', '.join(formats)} in {time.perf_counter() - started:.1f} s; watching for the next save")
    return passed


def file_changes(project_dir: Path | str) -> Iterable[set]:
    """Batches of changed files under content/ and layouts/ (watchfiles, debounced)."""
    from watchfiles import watch

    project = Project.at(project_dir)
    return watch(project.content, project.layouts, debounce=300, raise_interrupt=False)
