"""The distribution bundle (build/dist/) and 'publisher publish'."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from publisher import dist
from publisher.cli import main
from publisher.errors import PublisherError

pytestmark = pytest.mark.slow


def test_the_bundle_holds_every_file_a_municipality_needs(mini_dist):
    project, result = mini_dist
    bundle = project / "build" / "dist"
    for name in ("LEESMIJ.txt", "SHA256SUMS", "onix.xml", "web/index.html", "web/toegankelijkheid.html", "web/catalogus.json"):
        assert (bundle / name).is_file(), name
    for volume in ("proefreeks", "offprints/inleiding", "offprints/eerste-case", "offprints/tweede-case"):
        for suffix in (".pdf", ".epub"):
            shipped = bundle / "web" / "downloads" / f"{volume}{suffix}"
            assert shipped.read_bytes() == (project / "build" / f"{volume}{suffix}").read_bytes()
    # build/web/ is the bundle's web edition
    assert (project / "build" / "web" / "index.html").read_bytes() == (bundle / "web" / "index.html").read_bytes()
    readme = (bundle / "LEESMIJ.txt").read_text("utf-8")
    for mention in ("web/", "web/downloads/", "toegankelijkheid.html", "catalogus.json", "onix.xml", "SHA256SUMS", "CC BY 4.0"):
        assert mention in readme, mention


def test_the_checksums_verify_with_sha256sum(mini_dist, tmp_path):
    project, _ = mini_dist
    bundle = project / "build" / "dist"
    done = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=bundle, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = {line.split("  ", 1)[1] for line in (bundle / "SHA256SUMS").read_text("utf-8").splitlines()}
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file() and p.name not in ("SHA256SUMS", dist.MARKER)}
    assert listed == files
    # and a changed file is caught
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    (copy / "web" / "index.html").write_text("anders", "utf-8")
    done = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=copy, capture_output=True, text=True)
    assert done.returncode != 0 and "web/index.html" in done.stdout
    assert dist.verify_sums(copy) == ["web/index.html"]


def test_publish_copies_the_bundle_whole(mini_dist, tmp_path, capsys):
    project, _ = mini_dist
    target = tmp_path / "gemeente" / "smart-society-cases"
    assert main(["--project", str(project), "publish", "--to", str(target)]) == 0
    assert dist.verify_sums(target) == []
    assert (target / "web" / "index.html").is_file()
    # published again: replaced, with nothing left beside it
    (target / "web" / "oud.txt").write_text("oud", "utf-8")
    dist.publish(project, target)
    assert not (target / "web" / "oud.txt").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["smart-society-cases"]


def test_publish_interrupted_leaves_the_target_as_it_was(mini_dist, tmp_path, monkeypatch):
    project, _ = mini_dist
    target = tmp_path / "doel"
    dist.publish(project, target)
    before = (target / "SHA256SUMS").read_bytes()
    copied = []
    copytree = shutil.copytree

    def failing(source, destination, *args, **kwargs):
        copied.append(source)
        if len(copied) == 5:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the copy
        return shutil.copy2(source, destination, *args, **kwargs)

    def patched(source, target, *args, **kwargs):
        if args or kwargs:  # copytree's own call for a sub-folder
            return copytree(source, target, *args, **kwargs)
        return copytree(source, target, copy_function=failing)

    monkeypatch.setattr(dist.shutil, "copytree", patched)
    with pytest.raises(KeyboardInterrupt):
        dist.publish(project, target)
    monkeypatch.undo()
    assert (target / "SHA256SUMS").read_bytes() == before and dist.verify_sums(target) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doel"]  # no half-written copy beside it


def test_publish_refuses_a_folder_it_did_not_make(mini_dist, tmp_path):
    project, _ = mini_dist
    target = tmp_path / "eigen"
    target.mkdir()
    (target / "notities.txt").write_text("van mij", "utf-8")
    with pytest.raises(PublisherError) as error:
        dist.publish(project, target)
    assert "D804" in str(error.value)
    assert (target / "notities.txt").read_text("utf-8") == "van mij"


def test_a_second_distribution_is_byte_identical(mini_dist):
    """Nothing of the moment leaks into the bundle: the same sources, the same tools give
    the same SHA256SUMS (which covers every file)."""
    project, _ = mini_dist
    before = (project / "build" / "dist" / "SHA256SUMS").read_bytes()
    again = dist.dist(project)
    assert again.statement.passed
    assert (project / "build" / "dist" / "SHA256SUMS").read_bytes() == before
