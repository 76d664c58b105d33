"""Benchmark of the publisher on this repository's series, measured in one run.

Every figure is a ratio to a baseline measured in the same run, because the machine is
shared and noisy: read the ratios, not the seconds, and never assert on either in a test.

- the whole edition set (every volume and rendition, from scratch) ÷ one plain WeasyPrint
  render of the reader's intermediate (`weasyprint build/html/index.html`);
- a no-op rebuild ÷ the full build;
- a rebuild after a one-word edit in one case ÷ the full build;
- `publisher check`, in process, in seconds.

The results are also written to build/bench.json with the commit, the versions and the
number of cores. (Not yet measured: pandoc's EPUB as a baseline, a 1,000-page series,
and --against REV.)

    .venv/bin/python tools/bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHER = [sys.executable, "-m", "publisher"]


def seconds(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is used)")
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "project"
        shutil.copytree(ROOT / "content", work / "content")
        shutil.copytree(ROOT / "layouts", work / "layouts")
        full, noop, edit, bare = [], [], [], []
        case = work / "content" / "cases" / "03-samen-meten-aan-luchtkwaliteit.md"
        original = case.read_text("utf-8")
        assert "Hoe schoon" in original
        for _ in range(args.repeat):
            shutil.rmtree(work / "build", ignore_errors=True)
            full.append(seconds(PUBLISHER + ["build", "-q"], work))
            noop.append(seconds(PUBLISHER + ["build", "-q"], work))
            case.write_text(original.replace("Hoe schoon", "Hoe echt schoon", 1), "utf-8")  # one word more
            edit.append(seconds(PUBLISHER + ["build", "-q"], work))
            case.write_text(original, "utf-8")
            bare.append(seconds([sys.executable, "-m", "weasyprint", str(work / "build" / "html" / "index.html"), str(Path(scratch) / "bare.pdf")], work))
        code = "import time; from publisher import api; t=time.perf_counter(); api.check('.'); print(time.perf_counter()-t)"
        check = [float(subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, check=True).stdout) for _ in range(args.repeat)]
    results = {
        "full build (every volume and rendition), s": median(full),
        "plain WeasyPrint render of the reader, s": median(bare),
        "full build ÷ plain WeasyPrint render (target ≤ 2.0)": median(full) / median(bare),
        "no-op rebuild ÷ full build (target ≤ 0.05)": median(noop) / median(full),
        "one-word edit in one case ÷ full build (target ≤ 0.5)": median(edit) / median(full),
        "publisher check in process, s (target ≤ 0.2)": median(check),
    }
    width = max(len(name) for name in results)
    for name, value in results.items():
        print(f"{name:<{width}}  {value:>7.2f}")
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    record = {
        "commit": commit or None,
        "cores": os.cpu_count(),
        "versions": {name: metadata.version(name) for name in ("weasyprint", "ebooklib", "fonttools")},
        "repeat": args.repeat,
        "results": results,
    }
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
