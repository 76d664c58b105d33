"""The ``publisher`` command: a thin layer over the library (see ``publisher.api``)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from . import __version__, api
from .config import Project
from .errors import CATALOGUE, PublisherError, catalogue_markdown
from .locale import reading_minutes

INTERNAL_ERROR = 70  # EX_SOFTWARE: distinct from content errors (1) and usage errors (2)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publisher", description="Publish the Smart society cases series.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--project", type=Path, default=None, help=PROJECT_HELP)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the volumes (reader and offprints) into build/")
    _formats(build, "build only this format (repeatable; default: all)")
    build.add_argument("--volume", dest="volumes", action="append", metavar="KEY", help="build only this volume: 'reader' or a manuscript's slug (repeatable; see 'publisher volumes')")
    build.add_argument("--out", type=Path, help="output folder (default: build/ in the project)")
    build.add_argument("--strict", action="store_true", help="treat every warning as an error")
    build.add_argument("--release", action="store_true", help="a build for publication: refuses concept texts, placeholders and any warning")
    build.add_argument("--quiet", "-q", action="store_true", help="print only problems")

    check = commands.add_parser("check", help="validate content/ without rendering (fast; run it on every save)")
    check.add_argument("--release", action="store_true", help="also refuse what a release refuses (concept texts, any warning)")

    commands.add_parser("volumes", help="list the volumes and the files each one is built into")

    diff = commands.add_parser("diff", help="what changed in the manuscripts between two git revisions")
    diff.add_argument("old", help="the older revision (a tag, branch or commit)")
    diff.add_argument("new", nargs="?", default="HEAD", help="the newer revision (default: HEAD)")

    watch = commands.add_parser("watch", help="rebuild on every save of content/ or layouts/ (Ctrl-C stops)")
    _formats(watch, "formats to rebuild (repeatable; default: html and epub, which take a second)")

    serve = commands.add_parser("serve", help="serve the HTML edition on 127.0.0.1, rebuilt and reloaded on every save")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000; 0 picks a free one)")

    stats = commands.add_parser("stats", help="words, footnotes, figures and reading time per manuscript")
    stats.add_argument("--plain", action="store_true", help="tab-separated output for scripts")

    new = commands.add_parser("new", help="start a manuscript from the template and list it")
    new.add_argument("title", help="the title of the new manuscript")
    new.add_argument("--text", action="store_true", help="a text outside the cases (essay, introduction)")
    new.add_argument("--at", type=int, metavar="N", help="insert the case as number N, renumbering the cases from N on")

    pdfcheck = commands.add_parser("pdfcheck", help="check PDFs against PDF/UA-1 (the Matterhorn Protocol's machine checks)")
    pdfcheck.add_argument("files", nargs="*", type=Path, metavar="FILE", help="a PDF to check")
    pdfcheck.add_argument("--checkpoints", action="store_true", help="print the table of the conditions it checks (Markdown, as in README.md)")

    dist = commands.add_parser("dist", help="build the distribution to municipalities into build/dist/ (web edition, catalogue, ONIX, accessibility statement)")
    dist.add_argument("--quiet", "-q", action="store_true", help="print only problems")

    publish = commands.add_parser("publish", help="copy the distribution (build/dist/) to a folder, whole or not at all")
    publish.add_argument("--to", type=Path, required=True, metavar="DIR", help="the folder to copy it to (made or replaced)")

    codes = commands.add_parser("codes", help="list the diagnostic codes")
    codes.add_argument("--markdown", action="store_true", help="as the Markdown of docs/errors.md")
    _with_project(commands)
    return parser


PROJECT_HELP = "the project folder (default: the one that holds the current folder, found upwards)"


def _with_project(commands) -> None:
    """Every subcommand takes --project too (publisher check --project DIR)."""
    for sub in commands.choices.values():
        sub.add_argument("--project", type=Path, default=argparse.SUPPRESS, help=PROJECT_HELP)


def _formats(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--format", dest="formats", action="append", choices=tuple(api.FORMATS), help=help)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "pdfcheck":  # works on any PDF, in a project or not
        return _pdfcheck(args)
    args.project = Project.at(args.project).root if args.project is not None else Project.find(Path.cwd()).root
    building = args.command in ("build", "dist")
    unchanged = " — build/ is as it was before this build" if building else ""
    previous = signal.signal(signal.SIGTERM, _terminated) if building else None
    try:
        return _run(args)
    except PublisherError as error:
        items = error.diagnostics.sorted()
        for diagnostic in items:
            print(_shown(diagnostic, args.project), file=sys.stderr)
        errors = len(error.diagnostics.errors)
        warnings = len(error.diagnostics.warnings)
        print(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}{unchanged}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"publisher: interrupted{unchanged}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (publisher codes | head): say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception:  # noqa: BLE001 - the last resort: a bug of the tool, not of the content
        print(
            f"publisher {__version__}: internal error — this is a bug in the publisher, not in your content.\n"
            "Please report it to the pipeline's maintainers (see 'Reporting a bug' in README.md) "
            "with the command you ran and the traceback below.",
            file=sys.stderr,
        )
        traceback.print_exc(file=sys.stderr)
        return INTERNAL_ERROR
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _pdfcheck(args) -> int:
    """Findings as 'FILE: p. N: Matterhorn 15-003: …'; exit 1 when there is one, 2 when a
    file cannot be read."""
    from . import pdfcheck

    if args.checkpoints:
        sys.stdout.write(pdfcheck.checkpoints_markdown())
        return 0
    if not args.files:
        print("publisher pdfcheck: name at least one PDF", file=sys.stderr)
        return 2
    failed = False
    for path in args.files:
        try:
            report = pdfcheck.check_pdf(path)
        except (OSError, pdfcheck.PdfError) as error:
            print(f"{path}: cannot be read as a PDF: {error}", file=sys.stderr)
            return 2
        for finding in report.findings:
            print(f"{path}: {finding}")
        failed = failed or not report.passed
        print(f"{path}: {len(report.findings)} failure{'s' if len(report.findings) != 1 else ''} of {len(report.checkpoints)} conditions checked")
    return 1 if failed else 0


def _terminated(signum, frame):
    """SIGTERM ends a build like Ctrl-C: what it staged is dropped, build/ is untouched."""
    raise KeyboardInterrupt


def _report_warnings(diagnostics, project: Path) -> None:
    for diagnostic in diagnostics.sorted():
        print(_shown(diagnostic, project), file=sys.stderr)


def _shown(diagnostic, project: Path) -> str:
    """A diagnostic with its path relative to the current folder, so that a terminal or an
    editor can open it (paths are kept relative to the project in the library)."""
    location = diagnostic.location
    if location is None or not location.path:
        return str(diagnostic)
    here = Path.cwd()
    target = project / location.path
    # relative where you stand in or above the project, absolute from anywhere else
    relative = os.path.relpath(target, here) if (here.is_relative_to(project) or project.is_relative_to(here)) else str(target)
    if relative == location.path:
        return str(diagnostic)
    return str(type(diagnostic)(diagnostic.code, diagnostic.message, type(location)(relative, location.line, location.column), diagnostic.strict))


def _run(args) -> int:
    if args.command == "codes":
        if args.markdown:
            sys.stdout.write(catalogue_markdown())
        else:
            for entry in CATALOGUE.values():
                print(f"{entry.code}  {entry.severity.value:7}  {entry.summary}")
        return 0
    if args.command == "check":
        started = time.perf_counter()
        publication = api.check(args.project, release=args.release)
        _report_warnings(publication.diagnostics, args.project)
        warnings = len(publication.diagnostics.warnings)
        print(
            f"{len(publication.entries)} manuscripts checked: 0 errors, {warnings} warning{'s' if warnings != 1 else ''} "
            f"({time.perf_counter() - started:.2f} s)"
        )
        return 0
    if args.command == "watch":
        from . import watch

        formats = tuple(args.formats or ("html", "epub"))
        watch.run(args.project, formats, watch.file_changes(args.project), lambda line: print(line, flush=True))
        return 0
    if args.command == "serve":
        from . import serve, watch

        serve.serve(args.project, watch.file_changes(args.project), lambda line: print(line, flush=True), port=args.port)
        return 0
    if args.command == "stats":
        rows = api.stats(args.project)
        _print_stats(rows, args.plain)
        return 0
    if args.command == "new":
        path, renamed = api.new_manuscript(args.project, args.title, case=not args.text, at=args.at)
        for old, new in renamed:
            print(f"renumbered {old} as {new}")
        print(f"created {path.relative_to(args.project.resolve()).as_posix()} and listed it in content/publication.yaml")
        return 0
    if args.command == "volumes":
        for volume, paths in api.volume_outputs(args.project):
            print(f"{volume.key:<48} {', '.join(paths)}")
        return 0
    if args.command == "diff":
        from . import diff

        sys.stdout.write(diff.report(diff.compare(args.project, args.old, args.new)))
        return 0
    if args.command == "dist":
        from . import dist

        def say(message: str) -> None:
            if not args.quiet:
                print(f"  {message}{'' if message.startswith(('rebuilt', 'unchanged')) else ' …'}", file=sys.stderr, flush=True)

        result = dist.dist(args.project, progress=say)
        _report_warnings(result.build.diagnostics, args.project)
        failed = [c for c in result.checks if not c.passed]
        for check in failed:
            for problem in check.problems:
                print(f"{check.target}: {check.tool}: {problem}", file=sys.stderr)
        if not args.quiet:
            print(f"{os.path.relpath(result.folder)}: {len(result.files)} files, {len(result.checks)} checks, {len(failed)} failed")
            status = "partly complies (every check passed)" if result.statement.passed else "does not comply (a check failed)"
            print(f"accessibility statement: {status}, {os.path.relpath(result.web / 'toegankelijkheid.html')}")
        return 0
    if args.command == "publish":
        from . import dist

        target = dist.publish(args.project, args.to)
        print(f"published the distribution to {target}")
        return 0
    if args.command == "build":
        formats = tuple(args.formats or api.FORMATS)
        started = time.perf_counter()

        terminal = sys.stderr.isatty()

        def progress(message: str) -> None:
            if args.quiet:
                return
            done = message.startswith(("rebuilt", "unchanged"))
            if terminal:
                # one status line that is rewritten; what was rebuilt or kept stays
                sys.stderr.write(f"\r\033[K  {message}" + ("\n" if done else " …"))
                sys.stderr.flush()
            else:
                print(f"  {message}{'' if done else ' …'}", file=sys.stderr, flush=True)

        result = api.build(
            args.project,
            formats=formats,
            out_dir=args.out,
            progress=progress,
            volumes=tuple(args.volumes) if args.volumes else None,
            strict=args.strict,
            release=args.release,
        )
        _report_warnings(result.diagnostics, args.project)
        if not args.quiet:
            for output in result.outputs:
                if output.media_type in ("application/pdf", "application/epub+zip") or output.path.endswith("index.html"):
                    pages = f", {output.pages} pages" if output.pages else ""
                    where = args.project / output.path
                    here = Path.cwd()
                    near = here.is_relative_to(args.project) or args.project.is_relative_to(here)
                    shown = (os.path.relpath(where) if near else str(where)) if where.exists() else output.path
                    print(f"{shown} ({output.bytes / 1024:.0f} KiB{pages})")
            print(
                f"built in {time.perf_counter() - started:.1f} s: {len(result.rebuilt)} output{'s' if len(result.rebuilt) != 1 else ''} rebuilt, "
                f"{len(result.skipped)} unchanged"
            )
        return 0
    raise AssertionError(args.command)  # pragma: no cover


def _print_stats(rows, plain: bool) -> None:
    from .readability import stats_columns

    header = ("manuscript", "words", "notes", "figures", "tables", "minutes")
    extra_header, extra = stats_columns(rows)
    if plain:
        print("\t".join(header + extra_header))
        for r in rows:
            print("\t".join(str(v) for v in (r.path, r.words, r.footnotes, r.figures, r.tables, r.minutes, *extra[r.path])))
        return
    width = max(len(r.path) for r in rows)
    print(f"{header[0]:<{width}}  {'words':>6}  {'notes':>5}  {'figures':>7}  {'tables':>6}  {'min':>4}  " + "  ".join(extra_header))
    for r in rows:
        print(f"{r.path:<{width}}  {r.words:>6}  {r.footnotes:>5}  {r.figures:>7}  {r.tables:>6}  {r.minutes:>4}  "
              + "  ".join(f"{v:>{len(h)}}" for h, v in zip(extra_header, extra[r.path])))
    total = sum(r.words for r in rows)
    print(f"{'total':<{width}}  {total:>6}  {sum(r.footnotes for r in rows):>5}  {sum(r.figures for r in rows):>7}  {sum(r.tables for r in rows):>6}  {reading_minutes(total):>4}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
