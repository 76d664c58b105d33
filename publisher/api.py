"""The library API: check, build, stats and new, each acting on one project folder."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest, readability
from .assemble import assemble
from .config import Project, require_config
from .errors import Diagnostics, Location, PublisherError
from .locale import reading_minutes
from .manuscript import CASES_DIR, PLACEHOLDER
from .outputs import FORMATS, ORDER, RENDITIONS, OutputRegistry, VolumeRun, writer
from .publication import Publication, load_publication
from .state import State, fingerprint, layout_digest
from .text import slugify
from .volumes import Volume, plan

MANIFEST = "manifest.json"


@dataclass
class BuildResult:
    publication: Publication
    volumes: tuple[Volume, ...] = ()
    outputs: list[manifest.Output] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    rebuilt: list[tuple[str, list[str]]] = field(default_factory=list)  # (output, why)
    skipped: list[str] = field(default_factory=list)  # outputs whose inputs did not change
    processes: set[int] = field(default_factory=set)  # the processes the volumes were built in

    @property
    def warnings(self):
        return self.diagnostics.warnings


def check(project_dir: Path | str = ".", release: bool = False) -> Publication:
    """Validate the content without rendering anything. Raises PublisherError.

    With ``release``, what may not go to print is an error too: concept texts (M211),
    and every warning (placeholders of 'publisher new' among them)."""
    publication = load_publication(Project.at(project_dir))
    if release:
        release_gate(publication, publication.diagnostics).raise_if_errors()
    return publication


def release_gate(publication: Publication, diagnostics: Diagnostics) -> Diagnostics:
    """The diagnostics of a release: warnings made errors, concept texts refused."""
    gated = diagnostics.strict()
    for entry in publication.entries:
        if entry.meta.status == "concept":
            gated.add(
                "M211",
                f"'{entry.meta.title}' is a concept: set 'status: definitief' when the text is final",
                entry.manuscript.status_at,
            )
    config = publication.config
    # a release's EPUB claims conformance (dcterms:conformsTo): only with who evaluated it
    # and where the report is
    if not config.certified_by:
        gated.add(
            "R420",
            "a release claims accessibility conformance, which needs its evaluator: set accessibility: certified_by "
            "(who checked the publication) in publication.yaml",
            Location("content/publication.yaml"),
        )
    if config.certifier_report is None:
        gated.add(
            "R420",
            "a release claims accessibility conformance, which needs the accessibility report: set web: base_url "
            "(the report is then its toegankelijkheid.html) or accessibility: report (an address) in publication.yaml",
            Location("content/publication.yaml"),
        )
    return gated


def build(
    project_dir: Path | str = ".",
    formats: tuple[str, ...] = tuple(FORMATS),
    out_dir: Path | str | None = None,
    progress=None,
    volumes: tuple[str, ...] | None = None,
    strict: bool = False,
    release: bool = False,
) -> BuildResult:
    """Build every volume (or those whose keys are in ``volumes``) in the renditions it
    declares that ``formats`` asks for, into ``out_dir`` (default: build/).

    ``strict`` makes every warning an error; ``release`` also refuses concept texts, and
    checks all of it before anything is written. ``progress``, when given, is called
    with a short description before each step.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        diagnostics = Diagnostics()
        for name in unknown:
            diagnostics.add("R405", f"unknown format '{name}' (formats: {', '.join(FORMATS)})")
        raise PublisherError(diagnostics)
    step = progress or (lambda message: None)
    project = Project.at(project_dir)
    out = Path(out_dir).resolve() if out_dir else project.build
    _check_out(project, out)
    step("reading manuscripts")
    publication = load_publication(project)
    publication.release = release
    result = BuildResult(publication)
    result.diagnostics.extend(publication.diagnostics)
    if release:
        release_gate(publication, publication.diagnostics).raise_if_errors()
    elif strict:
        publication.diagnostics.strict().raise_if_errors()
    chosen = plan(publication)
    if volumes:
        known = {v.key for v in chosen}
        missing = [key for key in volumes if key not in known]
        if missing:
            diagnostics = Diagnostics()
            for key in missing:
                diagnostics.add("R412", f"no volume '{key}' (volumes: {', '.join(sorted(known))})")
            raise PublisherError(diagnostics)
        chosen = tuple(v for v in chosen if v.key in volumes)
    result.volumes = chosen
    with _locked(project.root, step):
        return _build(project, publication, chosen, formats, out, result, step, strict, release)


@contextlib.contextmanager
def _locked(root: Path, step):
    """One build at a time per project: a second waits for the first. The lock is held
    on the project folder itself, so that taking it writes nothing anywhere."""
    handle = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            step("waiting for another build of this project to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _build(project, publication, chosen, formats, out, result, step, strict, release) -> BuildResult:
    wanted = tuple(name for name in ORDER if name in {n for f in formats for n in FORMATS[f]})
    registry = OutputRegistry(out, project.root if out.is_relative_to(project.root) else out)
    memory = State.load(out)
    layout = layout_digest(project.layouts)
    registry.begin()
    try:
        # every path is claimed first, so that two outputs at one place (R406) stop the
        # build before anything is written; then the volumes that are current are skipped
        # here, and the others are built side by side
        jobs = []
        for volume in chosen:
            names = [n for n in wanted if n in volume.renditions]
            for name in names:
                registry.path(volume, RENDITIONS[name])
                if RENDITIONS[name].family == "pdf":
                    registry.page_map_path(volume)
            assembled = assemble(publication, volume)
            if names and not _current(assembled, names, registry, memory, layout, result, step):
                jobs.append(volume.key)
        for done in _run_jobs(project, publication, jobs, wanted, out, memory, layout):
            registry.outputs.extend(done.outputs)
            memory.entries.update(done.entries)
            result.diagnostics.extend(done.diagnostics)
            result.rebuilt.extend(done.rebuilt)
            result.skipped.extend(done.skipped)
            result.processes.add(done.process)
            for message in done.messages:
                step(message)
        result.diagnostics = Diagnostics(list(dict.fromkeys(result.diagnostics.items)))  # one per place, not per volume
        if strict or release:
            late = Diagnostics([d for d in result.diagnostics.items if d not in publication.diagnostics.items])
            late.strict().raise_if_errors()
    except BaseException:
        registry.abandon()  # a failed or interrupted build changes nothing in the output folder
        raise
    registry.commit()
    memory.save()
    result.outputs = registry.outputs
    manifest.write(_merged(out / MANIFEST, registry), out / MANIFEST, publication.config.identifier)  # last
    return result


def _current(assembled, names, registry, memory, layout, result, step) -> bool:
    """True, and reported as unchanged, when every requested rendition of the volume is
    current (an EPUB judged with the page map the last build left)."""
    volume = assembled.volume
    found = []
    for name in names:
        page_map = _read(registry.page_map_path(volume, claim=False)) if name == "epub" else None
        parts = fingerprint(assembled, name, layout, page_map)
        entry = memory.current(f"{volume.key}:{name}", parts, registry.out)
        if entry is None:
            return False
        found.append((name, parts, entry))
    for name, parts, entry in found:
        shown = registry.shown(registry.out / registry.relative(volume, RENDITIONS[name]))
        result.diagnostics.extend(Diagnostics(entry.diagnostics()))
        memory.record(f"{volume.key}:{name}", parts, entry.paths, entry.diagnostics())
        result.skipped.append(shown)
        step(f"unchanged: {shown}")
    return True


@dataclass
class _Done:
    """What building one volume produced, handed back from a worker."""

    outputs: list = field(default_factory=list)
    entries: dict = field(default_factory=dict)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    rebuilt: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    process: int = field(default_factory=os.getpid)


def _run_jobs(project, publication, jobs, wanted, out, memory, layout):
    """Build the volumes in ``jobs``: side by side in a pool sized to the machine's cores,
    or here when there is one job or one core. Yields each volume's _Done."""
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        for key in jobs:
            yield _volume_job(project.root, key, wanted, out, memory.entries, layout, publication.release, publication)
        return
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # a clean interpreter: no state shared with this one
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_volume_job, project.root, key, wanted, out, memory.entries, layout, publication.release) for key in jobs]
        try:
            for future in futures:
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _volume_job(root, key, wanted, out, entries, layout, release, publication=None) -> _Done:
    """Assemble one volume and write its renditions into the staging folder."""
    if publication is None:
        publication = load_publication(Project.at(root))
        publication.release = release
    volume = next(v for v in plan(publication) if v.key == key)
    project = publication.project
    registry = OutputRegistry(out, project.root if out.is_relative_to(project.root) else out)
    memory = State(out, dict(entries))
    done = _Done()
    assembled = assemble(publication, volume)
    run = VolumeRun()
    for name in wanted:
        if name in volume.renditions:
            _write(assembled, RENDITIONS[name], registry, run, memory, layout, done, done.messages.append)
    done.outputs = registry.outputs
    done.entries = {k: v for k, v in memory.entries.items() if k.startswith(f"{volume.key}:")}
    return done


def _write(assembled, rendition, registry, run, memory, layout, result, step) -> None:
    """Write one rendition of a volume, unless what the last build made of the same inputs
    is still in place; either way say so, with the reason for a rebuild."""
    volume = assembled.volume
    key = f"{volume.key}:{rendition.name}"
    page_map = None
    if rendition.name == "epub":
        page_map = run.page_map.to_bytes() if run.page_map is not None else _read(registry.page_map_path(volume, claim=False))
    parts = fingerprint(assembled, rendition.name, layout, page_map)
    shown = registry.shown(registry.out / registry.relative(volume, rendition))
    current = memory.current(key, parts, registry.out)
    if current is not None:
        result.diagnostics.extend(Diagnostics(current.diagnostics()))
        memory.record(key, parts, current.paths, current.diagnostics())
        result.skipped.append(shown)
        step(f"unchanged: {shown}")
        return
    reasons = memory.reasons(key, parts)
    before = set(registry.claimed)
    warnings = Diagnostics()
    writer(rendition).write(assembled, rendition, registry, run, warnings)
    result.diagnostics.extend(warnings)
    paths = [p.relative_to(registry.out).as_posix() for p in set(registry.claimed) - before]
    memory.record(key, parts, paths, warnings.items)
    result.rebuilt.append((shown, reasons))
    step(f"rebuilt {shown} ({', '.join(reasons)})")


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _check_out(project: Project, out: Path) -> None:
    """The output folder may not be, or lie in, the sources, nor hold the project."""
    sources = (project.content.resolve(), project.layouts.resolve())
    if out == project.root or project.root.is_relative_to(out) or any(out.is_relative_to(folder) for folder in sources):
        diagnostics = Diagnostics()
        diagnostics.add(
            "R416",
            f"'{out}' cannot be the output folder: it is or holds the project, or lies in content/ or layouts/ "
            "(use build/, the default, or a folder of its own)",
        )
        raise PublisherError(diagnostics)


def _merged(path: Path, registry: OutputRegistry) -> list[manifest.Output]:
    """This build's outputs, with the entries of an earlier build kept for outputs this
    one did not write (a single-format build keeps the others) if they are still there."""
    written = {o.path for o in registry.outputs}
    kept = [o for o in manifest.read(path) if o.path not in written and (registry.root / o.path).exists()]
    return kept + registry.outputs


@dataclass(frozen=True)
class Stats:
    path: str
    title: str
    words: int
    footnotes: int
    figures: int
    tables: int
    minutes: int
    readability: readability.Readability | None = None


def stats(project_dir: Path | str = ".") -> list[Stats]:
    publication = check(project_dir)
    return [
        Stats(
            e.manuscript.path,
            e.meta.title,
            e.body.words,
            e.body.footnotes,
            e.body.figures,
            e.body.tables,
            reading_minutes(e.body.words),
            readability.measure(e.body.root),
        )
        for e in publication.entries
    ]


MANUSCRIPT_TEMPLATE = """---
title: {title}
number: {number}
authors:
  - {author}
summary: >-
  {summary}
keywords: [{keyword}]
status: concept
date: {date}
---

{todo}: de opening. Wat is er aan de hand, en waarom doet het ertoe voor gemeenten?
"""

# The series' standard sections of a case, each a placeholder the editor replaces.
CASE_SECTIONS = """
## {todo}: wat er gebeurde

{todo}: de gebeurtenissen, de betrokken partijen en hun belangen.

## De dilemma's

::: dilemma {todo}: het eerste dilemma in een paar woorden
{todo}: de twee kanten van het dilemma.
:::

## Wat betekent dit voor gemeenten?

{todo}: wat een gemeente hieruit kan leren.

## Handreikingen

::: handreiking {todo}: de eerste handreiking in een paar woorden
{todo}: wat een gemeente concreet kan doen.
:::
"""


def new_manuscript(
    project_dir: Path | str,
    title: str,
    case: bool = True,
    author: str = "Redactie Smart society cases",
    today: dt.date | None = None,
    at: int | None = None,
) -> tuple[Path, list[tuple[str, str]]]:
    """Start a manuscript from the template and add it to publication.yaml's list.

    A case is numbered after the last one, or inserted as number ``at``: the cases from
    that number on then move up one (file name, ``number`` and list entry), and the new
    case is listed before the first of them. Returns the new file and the renamed ones.
    """
    project = Project.at(project_dir)
    config = require_config(project)
    slug = slugify(title)
    diagnostics = Diagnostics()
    if not slug:
        diagnostics.add("M213", f"no file name can be made from the title '{title}'")
        raise PublisherError(diagnostics)
    cases = sorted((int(m.group(1)), e) for m, e in ((re.match(rf"{CASES_DIR}/(\d\d)-", e), e) for e in config.manuscripts) if m)
    if case:
        last = max((n for n, _ in cases), default=0)
        if at is not None and not 1 <= at <= last + 1:
            diagnostics.add("M213", f"--at {at}: a new case can be number 1 to {last + 1}")
            raise PublisherError(diagnostics)
        number = at or last + 1
        entry = f"{CASES_DIR}/{number:02d}-{slug}.md"
    else:
        if at is not None:
            diagnostics.add("M213", "--at numbers cases; a text outside the cases has no number")
            raise PublisherError(diagnostics)
        number = None
        entry = f"{slug}.md"
    path = project.content / entry
    taken = {re.sub(r"^(cases/)?(\d\d-)?|\.md$", "", e) for e in config.manuscripts}
    if path.exists() or slug in taken:
        diagnostics.add("M205", f"a manuscript with the slug '{slug}' already exists", Location("content/publication.yaml"))
        raise PublisherError(diagnostics)
    text = MANUSCRIPT_TEMPLATE.format(
        title=_yaml_string(title),
        number=number,
        author=_yaml_string(author),
        summary=f"{PLACEHOLDER}: twee tot drie zinnen over waar deze tekst over gaat.",
        keyword=PLACEHOLDER,
        date=(today or dt.date.today()).isoformat(),
        todo=PLACEHOLDER,
    )
    if number is None:
        text = text.replace(f"number: {number}\n", "")
    else:
        text += CASE_SECTIONS.format(todo=PLACEHOLDER)
    moving = [(n, e) for n, e in cases if at is not None and n >= at]
    before = moving[0][1] if moving else None
    _add_to_list(project, entry, before)  # first: it refuses a list it cannot extend
    renamed = [_renumber(project, old, n + 1) for n, old in reversed(moving)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, list(reversed(renamed))


def _renumber(project: Project, entry: str, number: int) -> tuple[str, str]:
    """Give a case the next number: its file name, its front matter and its list entry."""
    folder, name = entry.split("/")
    new = f"{folder}/{number:02d}-{name[3:]}"
    source = project.content / entry
    text = source.read_text("utf-8")
    text = re.sub(r"(?m)^number:\s*\d+\s*$", f"number: {number}", text, count=1)
    (project.content / new).write_text(text, encoding="utf-8")
    source.unlink()
    listing = project.root / "content" / "publication.yaml"
    lines = listing.read_text("utf-8").split("\n")
    # every mention: the list, volumes' selections, editions' changes
    lines = [re.sub(rf"(?<![\w/.-]){re.escape(entry)}(?![\w/.-])", new, line) for line in lines]
    listing.write_text("\n".join(lines), encoding="utf-8")
    return f"content/{entry}", f"content/{new}"


def volume_outputs(project_dir: Path | str = ".") -> list[tuple[Volume, list[str]]]:
    """Every volume with the paths its renditions are written to (relative to the project)."""
    project = Project.at(project_dir)
    publication = load_publication(project)
    registry = OutputRegistry(project.build, project.root)
    return [
        (volume, [registry.shown(project.build / registry.relative(volume, RENDITIONS[name])) for name in ORDER if name in volume.renditions])
        for volume in plan(publication)
    ]


def _yaml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _add_to_list(project: Project, entry: str, before: str | None = None) -> None:
    """Add an entry to the 'manuscripts' list, at its end or before the entry ``before``,
    keeping the file's comments."""
    path = project.root / "content" / "publication.yaml"
    lines = path.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("manuscripts:"))
    if lines[start].split("#", 1)[0].strip() != "manuscripts:":
        diagnostics = Diagnostics()
        diagnostics.add(
            "M213",
            "'publisher new' adds to a 'manuscripts' list written one '- entry' per line; "
            "add the entry by hand to this list",
            Location("content/publication.yaml", start + 1, 1),
        )
        raise PublisherError(diagnostics)
    end = start + 1
    last = start
    indent = "  - "
    while end < len(lines) and (lines[end].startswith((" ", "-")) or not lines[end].strip()):
        if lines[end].lstrip().startswith("- "):
            indent = lines[end][: len(lines[end]) - len(lines[end].lstrip())] + "- "
            last = end
        end += 1
    place = last + 1
    if before is not None:
        place = next(i for i in range(start + 1, end) if lines[i].lstrip().removeprefix("- ").split("#")[0].strip() == before)
    lines.insert(place, f"{indent}{entry}")
    path.write_text("\n".join(lines), encoding="utf-8")
