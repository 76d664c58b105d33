"""Benchmark of the publisher on this repository's series, measured in one run.

Every figure is a ratio to a baseline measured in the same run, because the machine is
shared and noisy: read the ratios, not the seconds, and never assert on either in a test.

- the whole edition set (every volume and rendition, from scratch) ÷ one plain WeasyPrint
  render of the reader's intermediate (`weasyprint build/html/index.html`);
- a no-op rebuild ÷ the full build;
- a rebuild after a one-word edit in one case ÷ the full build;
- an EPUB-only build of the reader with a valid page map ÷ pandoc's EPUB of the same
  Markdown files (pandoc from the pypandoc-binary package, installed for `make bench`);
- `publisher check`, in process, in seconds;
- scale: the reader of a generated series of about 1,000 pages (the real cases, copied
  under new numbers) in seconds per page ÷ the real reader's, with its peak memory.

`--against REV` measures another commit of this repository side by side, in the same run
(its code from a temporary git worktree, the dependencies of this environment). The
results are written to build/bench.json with the commit, the versions and the number of
cores.

    .venv/bin/python tools/bench.py [--repeat N] [--against REV] [--no-scale]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITED = "cases/03-samen-meten-aan-luchtkwaliteit.md"
SCALE_PAGES = 1000


class Publisher:
    """One version of the publisher: this checkout's, or a commit's code in a worktree."""

    def __init__(self, label: str, code: Path | None = None):
        self.label = label
        self.env = dict(os.environ)
        if code is not None:
            self.env["PYTHONPATH"] = str(code)

    def run(self, arguments: list[str], cwd: Path) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "publisher", *arguments], check=True, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started

    def peak(self, arguments: list[str], cwd: Path) -> tuple[float, float]:
        """Seconds and peak memory (MiB) of one build, in a process of its own."""
        probe = (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        out = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "publisher", *arguments], check=True, cwd=cwd, env=self.env, capture_output=True, text=True).stdout.split()
        return float(out[0]), int(out[1]) / 1024

    def check_seconds(self, cwd: Path) -> float:
        code = "import time; from publisher import api; t=time.perf_counter(); api.check('.'); print(time.perf_counter()-t)"
        return float(subprocess.run([sys.executable, "-c", code], cwd=cwd, env=self.env, capture_output=True, text=True, check=True).stdout)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def fresh_project(target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "layouts", target / "layouts")
    return target


def pages_of(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def pandoc_seconds(work: Path) -> float:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    manuscripts = re.findall(r"^  - (\S+\.md)$", (work / "content" / "publication.yaml").read_text("utf-8"), re.M)
    started = time.perf_counter()
    subprocess.run([pandoc, "--from", "markdown", "--to", "epub3", "--toc", "-o", str(work / "pandoc.epub"), *manuscripts], check=True, cwd=work / "content", capture_output=True)
    return time.perf_counter() - started


def scaled_series(target: Path, reader_pages: int) -> int:
    """A series of about SCALE_PAGES printed pages: the real cases again and again, each copy
    a case of its own (number, title, file). Returns the number of cases."""
    fresh_project(target)
    content = target / "content"
    config = (content / "publication.yaml").read_text("utf-8")
    originals = sorted((content / "cases").glob("[0-9][0-9]-*.md"))
    listed = re.findall(r"^  - (cases/\S+\.md)$", config, re.M)
    per_case = reader_pages / (len(re.findall(r"^  - \S+\.md$", config, re.M)) + 1)  # the front matter counts as one
    copies = max(1, math.ceil(SCALE_PAGES / (per_case * len(originals))))
    number = len(originals)
    added = []
    for copy in range(2, copies + 1):
        for original in originals:
            number += 1
            text = original.read_text("utf-8")
            text = re.sub(r"^number: \d+$", f"number: {number}", text, count=1, flags=re.M)
            text = re.sub(r"^title: (['\"]?)(.+?)\1$", lambda m: f"title: {m.group(1)}{m.group(2)} ({copy}){m.group(1)}", text, count=1, flags=re.M)
            name = f"cases/{number:02d}-{original.stem[3:]}-{copy}.md"
            (content / name).write_text(text, "utf-8")
            added.append(name)
    last = listed[-1]
    config = config.replace(f"  - {last}\n", f"  - {last}\n" + "".join(f"  - {name}\n" for name in added), 1)
    (content / "publication.yaml").write_text(config, "utf-8")
    return number


def measure(publisher: Publisher, scratch: Path, repeat: int, scale: bool) -> dict[str, float]:
    work = fresh_project(scratch / f"project-{publisher.label}")
    case = work / "content" / EDITED
    original = case.read_text("utf-8")
    assert "Hoe schoon" in original
    full, noop, edit, bare, epub, pandoc = [], [], [], [], [], []
    for _ in range(repeat):
        shutil.rmtree(work / "build", ignore_errors=True)
        full.append(publisher.run(["build", "-q"], work))
        noop.append(publisher.run(["build", "-q"], work))
        case.write_text(original.replace("Hoe schoon", "Hoe echt schoon", 1), "utf-8")  # one word more
        edit.append(publisher.run(["build", "-q"], work))
        case.write_text(original, "utf-8")
        publisher.run(["build", "-q"], work)  # back to the original, page maps included
        (work / "build" / "smart-society-cases.epub").unlink()  # the reader's EPUB, as pandoc makes one book
        epub.append(publisher.run(["build", "--format", "epub", "--volume", "reader", "-q"], work))
        bare.append(seconds_of([sys.executable, "-m", "weasyprint", str(work / "build" / "html" / "index.html"), str(scratch / "bare.pdf")], work))
        pandoc.append(pandoc_seconds(work))
    check = [publisher.check_seconds(work) for _ in range(repeat)]
    results = {
        "full build (every volume and rendition), s": median(full),
        "plain WeasyPrint render of the reader, s": median(bare),
        "full build ÷ plain WeasyPrint render (target ≤ 2.0)": median(full) / median(bare),
        "no-op rebuild ÷ full build (target ≤ 0.05)": median(noop) / median(full),
        "one-word edit in one case ÷ full build (target ≤ 0.5)": median(edit) / median(full),
        "EPUB-only build of the reader, s": median(epub),
        "pandoc EPUB of the same Markdown, s": median(pandoc),
        "EPUB-only build ÷ pandoc (target ≤ 1.0)": median(epub) / median(pandoc),
        "publisher check in process, s (target ≤ 0.2)": median(check),
    }
    if scale:
        shutil.rmtree(work / "build", ignore_errors=True)
        reader_seconds, reader_memory = publisher.peak(["build", "--volume", "reader", "-q"], work)
        reader_pages = pages_of(work / "build" / "smart-society-cases.pdf")
        big = scratch / f"scale-{publisher.label}"
        cases = scaled_series(big, reader_pages)
        big_seconds, big_memory = publisher.peak(["build", "--volume", "reader", "-q"], big)
        big_pages = pages_of(big / "build" / "smart-society-cases.pdf")
        results.update(
            {
                "reader (both PDFs and EPUB), s per page": reader_seconds / reader_pages,
                f"scaled reader: {cases} cases, pages": big_pages,
                "scaled reader, s per page": big_seconds / big_pages,
                "scaled ÷ real reader, s per page (target ≤ 1.2)": (big_seconds / big_pages) / (reader_seconds / reader_pages),
                "real reader, peak memory MiB": reader_memory,
                "scaled reader, peak memory MiB (target ≤ 1024)": big_memory,
            }
        )
        shutil.rmtree(big, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    return results


def seconds_of(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is used)")
    parser.add_argument("--against", metavar="REV", help="measure this commit too, side by side")
    parser.add_argument("--no-scale", dest="scale", action="store_false", help="leave out the 1,000-page series (minutes)")
    args = parser.parse_args()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip() or "work tree"
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        measured = {head: measure(Publisher("this"), scratch, args.repeat, args.scale)}
        if args.against:
            other = scratch / "against"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(other), args.against], check=True)
            try:
                label = subprocess.run(["git", "-C", str(other), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
                measured[label] = measure(Publisher("against", other), scratch, args.repeat, args.scale)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=True)
    names = list(next(iter(measured.values())))
    width = max(len(name) for name in names)
    print(f"{'':<{width}}  " + "  ".join(f"{label:>9}" for label in measured))
    for name in names:
        print(f"{name:<{width}}  " + "  ".join(f"{results.get(name, float('nan')):>9.2f}" for results in measured.values()))
    record = {
        "commit": head,
        "cores": os.cpu_count(),
        "versions": {name: metadata.version(name) for name in ("weasyprint", "ebooklib", "fonttools", "pypandoc_binary")},
        "repeat": args.repeat,
        "results": measured,
    }
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
