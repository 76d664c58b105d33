"""Golden tests: one folder per diagnostic code in tests/golden/, each with the steps that
produce it on a copy of the mini fixture (case.json) and the exact output expected
(expected.txt: the exit status, then what the command wrote to stderr). Run
`pytest tests/test_golden.py --save-golden` to write the expected outputs anew after a
deliberate change of wording, then read the diff.

Every code of the catalogue has a folder, and every expected output carries its code, so
an untested code cannot exist.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from publisher import api
from publisher.cli import main
from publisher.errors import CATALOGUE, PublisherError

from .conftest import FIXTURE, copy_project

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "case.json").is_file())


def test_every_code_has_a_golden_case():
    live = {code for code, entry in CATALOGUE.items() if not entry.retired}
    assert live - set(CASES) == set(), "codes without a golden test"
    assert set(CASES) - set(CATALOGUE) == set(), "golden cases for codes that do not exist"


def _apply(project: Path, step: dict) -> None:
    for rel in step.get("delete", []):
        (project / rel).unlink()
    for rel, text in step.get("write", {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, "utf-8")
    for rel, text in step.get("append", {}).items():
        path = project / rel
        path.write_text(path.read_text("utf-8") + text, "utf-8")
    for rel, old, new in step.get("replace", []):
        path = project / rel
        text = path.read_text("utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
    for rel, encoding in step.get("encode", {}).items():
        path = project / rel
        path.write_bytes(path.read_text("utf-8").encode(encoding))
    for old, new in step.get("rename", {}).items():
        (project / old).rename(project / new)
    for rel, target in step.get("symlink", {}).items():
        (project / rel).symlink_to(target)
    for rel, size in step.get("png", {}).items():
        from PIL import Image

        Image.new("RGB", tuple(size), "#1f4e79").save(project / rel)
    if step.get("git"):
        env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
            subprocess.run(["git", "-C", str(project), *command], check=True, capture_output=True, env=env)


def _run(project: Path, step: dict) -> tuple[int, str]:
    err = io.StringIO()
    if "api_build" in step:
        try:
            api.build(project, formats=tuple(step["api_build"]["formats"]))
            return 0, ""
        except PublisherError as error:
            return 1, "\n".join(str(d) for d in error.diagnostics.sorted()) + "\n"
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(step["run"])
    return status, err.getvalue()


@pytest.mark.parametrize("code", CASES)
def test_golden(code, tmp_path, monkeypatch, request):
    case = json.loads((GOLDEN / code / "case.json").read_text("utf-8"))
    if case.get("weasyprint_warnings"):  # a case about what WeasyPrint reports
        request.node.add_marker(pytest.mark.weasyprint_warnings)
    project = copy_project(FIXTURE, tmp_path / "project")
    monkeypatch.chdir(project)
    status, output = None, ""
    for step in case["steps"]:
        if "run" in step or "api_build" in step:
            status, output = _run(project, step)
        elif "env" in step:  # the environment a command sees (tools that are not installed)
            for name, value in step["env"].items():
                monkeypatch.setenv(name, value)
        else:
            _apply(project, step)
    found = f"exit: {status}\n" + output.replace(str(project), "<project>")
    expected_file = GOLDEN / code / "expected.txt"
    if request.config.getoption("--save-golden"):
        expected_file.write_text(found, "utf-8")
    assert f"[{code}]" in found, f"the case for {code} does not produce it:\n{found}"
    assert found == expected_file.read_text("utf-8")
