"""``publisher diff OLD NEW``: what changed in the manuscripts between two git revisions.

Meant to help an editor write an edition's list of changes: for every manuscript that was
added, removed or changed it reports the paragraphs changed, the words added and removed
and the notes added and removed. Manuscripts are compared by slug, so a case that was
renumbered is the same manuscript. The text compared is the body as written (Markdown),
split into paragraphs at blank lines; note definitions are counted as notes, not text.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics, PublisherError
from .manuscript import slug_for, split_front_matter
from .yamlsource import YamlSyntaxError, load

_NOTE_DEFINITION = re.compile(r"^\[\^([^\]]+)\]:", re.M)
_NOTE_CALL = re.compile(r"\[\^[^\]]+\]")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


@dataclass(frozen=True)
class ManuscriptChange:
    slug: str
    path: str  # in the newer revision (or the older, when removed)
    status: str  # 'added', 'removed', 'changed'
    paragraphs_changed: int
    words_added: int
    words_removed: int
    notes_added: tuple[str, ...]
    notes_removed: tuple[str, ...]


def _git(project: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True)
    if result.returncode != 0:
        diagnostics = Diagnostics()
        diagnostics.add("R413", f"git {' '.join(args)}: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'failed'}")
        raise PublisherError(diagnostics)
    return result.stdout


def _manuscripts(project: Path, revision: str) -> dict[str, tuple[str, str]]:
    """slug → (path under content/, text) of the manuscripts listed at ``revision``."""
    prefix = _git(project, "rev-parse", "--show-prefix").strip()  # the project may be a sub-folder of the repository
    listing = _git(project, "show", f"{revision}:{prefix}content/publication.yaml")
    try:
        entries = load(listing).data.get("manuscripts") or []
    except YamlSyntaxError:
        entries = []
    found = {}
    for entry in entries:
        _, slug = slug_for(entry)
        try:
            text = _git(project, "show", f"{revision}:{prefix}content/{entry}")
        except PublisherError:
            continue  # listed but missing at that revision
        found[slug] = (entry, text)
    return found


def _body(text: str) -> tuple[list[str], set[str]]:
    """The paragraphs of the body (notes left out) and the labels of its notes."""
    try:
        parts = split_front_matter(text.replace("\r\n", "\n"))
    except ValueError:
        parts = None
    body = parts[2] if parts else text
    notes = set(_NOTE_DEFINITION.findall(body))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", body) if p.strip() and not _NOTE_DEFINITION.match(p.strip())]
    return paragraphs, notes


def compare(project_dir: Path | str, old: str, new: str) -> list[ManuscriptChange]:
    project = Path(project_dir).resolve()
    before = _manuscripts(project, old)
    after = _manuscripts(project, new)
    changes = []
    for slug in list(after) + [s for s in before if s not in after]:
        old_paragraphs, old_notes = _body(before[slug][1]) if slug in before else ([], set())
        new_paragraphs, new_notes = _body(after[slug][1]) if slug in after else ([], set())
        path = (after.get(slug) or before[slug])[0]
        matcher = difflib.SequenceMatcher(a=old_paragraphs, b=new_paragraphs, autojunk=False)
        changed = 0
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                changed += max(i2 - i1, j2 - j1)
        old_words = _WORD.findall(_NOTE_CALL.sub("", " ".join(old_paragraphs)))
        new_words = _WORD.findall(_NOTE_CALL.sub("", " ".join(new_paragraphs)))
        added = removed = 0
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
            if tag in ("replace", "delete"):
                removed += i2 - i1
            if tag in ("replace", "insert"):
                added += j2 - j1
        status = "added" if slug not in before else "removed" if slug not in after else "changed"
        if status == "changed" and not changed and old_notes == new_notes:
            continue
        changes.append(
            ManuscriptChange(
                slug, path, status, changed, added, removed, tuple(sorted(new_notes - old_notes)), tuple(sorted(old_notes - new_notes))
            )
        )
    return changes


def report(changes: list[ManuscriptChange]) -> str:
    if not changes:
        return "no manuscript changed\n"
    lines = []
    for c in changes:
        lines.append(f"content/{c.path}: {c.status}")
        lines.append(f"  paragraphs changed: {c.paragraphs_changed}; words added: {c.words_added}, removed: {c.words_removed}")
        if c.notes_added or c.notes_removed:
            lines.append(
                "  notes added: " + (", ".join(c.notes_added) or "none") + "; removed: " + (", ".join(c.notes_removed) or "none")
            )
    return "\n".join(lines) + "\n"
