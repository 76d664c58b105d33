"""The distribution to municipalities: build/dist/ and build/web/ (``publisher dist``).

One stage after the build, handing one object to the next:

1. ``api.build`` — every volume in every rendition, into build/ (unchanged ones kept);
2. the files to offer: every volume's screen PDF and EPUB, read from build/ with the
   sizes and page counts of build/manifest.json, and its cover (the layout's cover.svg.j2);
3. the accessibility checks on those files (``publisher.checks``);
4. the web edition from the reader's intermediate (``publisher.web``), its pages checked
   with axe-core; its accessibility statement is written from all the checks and the
   site rendered again until the statement describes the very pages it is part of;
5. the catalogue (OPDS 2.0), the ONIX records (when the edition has an ISBN), the Dutch
   LEESMIJ.txt and SHA256SUMS;
6. everything staged in build/.dist-staging/, then moved into place as build/dist/ and
   build/web/: a distribution that fails leaves the earlier one as it was.

``publish`` copies build/dist/ to another folder in the same way: staged beside the
target, verified against SHA256SUMS, then renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import api, checks, manifest, onix, opds, statement, web
from .assemble import assemble
from .config import Project, require_config
from .errors import Diagnostics, Location, PublisherError
from .locale import words
from .outputs import RENDITIONS, OutputRegistry
from .volumes import OFFPRINT, READER

DIST = "dist"
WEB = "web"
STAGING = ".dist-staging"
MARKER = ".publisher-dist"  # marks a bundle the publisher made (and may replace)
SUMS = "SHA256SUMS"
README = "LEESMIJ.txt"
ONIX_FILE = "onix.xml"
CATALOGUE = web.CATALOGUE
OFFERED = ("pdf-screen", "epub")  # the renditions offered to readers (not the print-shop PDF)
FORMAT_NAMES = {"pdf-screen": "PDF", "epub": "EPUB"}
MAX_ROUNDS = 3


@dataclass
class DistResult:
    folder: Path
    web: Path
    checks: tuple[checks.CheckResult, ...]
    statement: statement.Statement
    files: list[str] = field(default_factory=list)
    build: api.BuildResult | None = None


def require_settings(config) -> None:
    """What a distribution needs from publication.yaml (D800, D801), before any work."""
    diagnostics = Diagnostics()
    where = Location("content/publication.yaml")
    if not config.web_base_url:
        diagnostics.add("D800", "a distribution needs the web edition's address: set 'web: base_url:' (https://…/)", where)
    if config.contact is None:
        diagnostics.add("D801", "the accessibility statement needs a contact: set 'accessibility: contact:' with 'name' and 'email'", where)
    if not any(spec.kind == "reader" for spec in config.volumes):
        diagnostics.add("D803", "the web edition is made from the reader: declare a volume of kind 'reader' under 'volumes'", where)
    diagnostics.raise_if_errors()


def dist(project_dir: Path | str = ".", progress=None) -> DistResult:
    step = progress or (lambda message: None)
    project = Project.at(project_dir)
    config = require_config(project)
    require_settings(config)
    _check_targets(project.build)
    found = checks.tools()
    built = api.build(project.root, progress=progress)
    out = project.build
    staging = out / STAGING
    if staging.exists():
        shutil.rmtree(staging)
    site_dir = staging / WEB
    site_dir.mkdir(parents=True)
    try:
        result = _distribute(project, built, out, staging, site_dir, found, step)
        _commit(staging, out)
    except BaseException:
        if staging.exists():
            shutil.rmtree(staging)
        raise
    result.folder = out / DIST
    result.web = out / WEB
    result.build = built
    return result


def _distribute(project, built, out, staging, site_dir, found, step) -> DistResult:
    publication = built.publication
    config = publication.config
    vocabulary = words(config.language)
    base = config.web_base_url
    outputs = {o.path: o for o in manifest.read(out / api.MANIFEST)}
    files: dict[str, bytes] = {}
    entries: list[web.Entry] = []
    items: list[opds.Item] = []
    products: list[onix.Product] = []
    reader = None
    downloads: list[tuple[str, str, Path]] = []  # (rendition, href in the site, file in build/)
    for volume in built.volumes:
        assembled = assemble(publication, volume)
        if volume.kind == READER and reader is None:
            reader = assembled
        stem = (f"{volume.identity.folder}/" if volume.identity.folder else "") + volume.identity.stem
        cover, cover_alt = web.cover_svg(assembled)
        cover_href = f"{web.COVERS}/{stem}.svg"
        files[cover_href] = cover
        offered = []
        for name in OFFERED:
            if name not in volume.renditions:
                continue
            relative = OutputRegistry.relative(volume, RENDITIONS[name])
            source = out / relative
            record = outputs.get(project.rel(source))
            # the build just wrote or kept every rendition and listed it in the manifest
            assert record is not None and source.is_file(), f"{project.rel(source)} missing after the build"
            data = source.read_bytes()
            href = f"{web.DOWNLOADS}/{relative.as_posix()}"
            files[href] = data
            downloads.append((name, href, site_dir / href))
            epub_meta = _epub_accessibility(data) if name == "epub" else None
            summary = epub_meta[0] if epub_meta else vocabulary["web_pdf_a11y"]
            offered.append((name, href, record, summary, epub_meta))
        first = volume.entries[0]
        offprint = volume.kind == OFFPRINT
        title = assembled.context["volume"]["title"]
        summary_text = first.meta.summary if offprint else config.subtitle
        authors = tuple(assembled.context["book"]["authors"])
        entries.append(
            web.Entry(
                key=volume.key,
                kind=volume.kind,
                title=title,
                subtitle=assembled.context["volume"]["subtitle"],
                label=assembled.context["volume"]["label"],
                summary=assembled.context["manuscripts"][0]["summary"] if offprint else assembled.context["book"]["subtitle"],
                authors=authors,
                cover=cover_href,
                cover_alt=cover_alt,
                page=f"{first.slug}.html" if offprint else None,
                downloads=tuple(
                    web.Download(FORMAT_NAMES[n], h, RENDITIONS[n].media_type, r.bytes, r.pages, s, _size(r.bytes, config.language)) for n, h, r, s, _ in offered
                ),
                identifier=volume.identity.identifier,
            )
        )
        items.append(
            opds.Item(
                volume.identity.identifier,
                volume.identity.title,
                volume.identity.subtitle,
                summary_text,
                authors,
                tuple(sorted({k for e in volume.entries for k in e.meta.keywords}, key=str.lower)),
                first.meta.number if offprint else None,
                f"{first.slug}.html" if offprint else web.INDEX,
                cover_href,
                tuple((h, RENDITIONS[n].media_type, r.bytes) for n, h, r, _, _ in offered),
            )
        )
        if config.isbn and config.trade:
            for name, href, record, summary, epub_meta in offered:
                own_isbn = name == "epub" and volume.identity.identifier == f"urn:isbn:{config.isbn}"
                products.append(
                    onix.Product(
                        record=f"{volume.identity.identifier}#{name}",
                        isbn=config.isbn.replace("-", "") if own_isbn else None,
                        format="epub" if name == "epub" else "pdf",
                        title=volume.identity.title,
                        subtitle=volume.identity.subtitle,
                        series_position=first.meta.number if offprint else None,
                        offprint=offprint,
                        authors=authors,
                        summary=summary_text,
                        keywords=tuple(sorted({k for e in volume.entries for k in e.meta.keywords}, key=str.lower)),
                        pages=record.pages,
                        cover_url=base + cover_href,
                        download_url=base + href,
                        features=epub_meta[1] if epub_meta else (),
                        accessibility_summary=epub_meta[0] if epub_meta else None,
                    )
                )
    assert reader is not None, "require_settings checked that a reader is declared (D803)"
    web.Site(files=files).write(site_dir)

    step("checking the EPUBs and PDFs (EPUBCheck, Ace by DAISY, PDF structure)")
    file_checks: list[checks.CheckResult] = []
    for name, href, path in downloads:
        if name == "epub":
            file_checks.append(checks.epubcheck(path, href, found))
            file_checks.append(checks.ace(path, href, found))
        else:
            file_checks.append(checks.pdf(path, href))

    step("making the web edition and checking it with axe-core")
    statement_url = base + web.STATEMENT
    volumes = len(built.volumes)
    axe_results: tuple[checks.CheckResult, ...] | None = None
    for _ in range(MAX_ROUNDS):
        # the first round's statement assumes the pages pass; each next round states what
        # axe found on the pages of the round before, until the statement describes the
        # very pages it is part of (it always does by the second round unless a page changes)
        pages = axe_results or tuple(checks.CheckResult("axe", "axe-core", p, True) for p in _page_names(reader, entries))
        verdict = statement.assess(tuple(file_checks) + tuple(pages))
        data = statement.context(verdict, config, len(pages), volumes, statement_url)
        site = web.build_site(reader, entries, data, base, files)
        shutil.rmtree(site_dir)
        site_dir.mkdir()
        site.write(site_dir)
        measured = checks.web_edition(site_dir, site.page_names, found)
        if axe_results is not None and measured == axe_results:
            break
        axe_results = measured
    else:  # pragma: no cover - the pages do not depend on more than the verdict
        raise AssertionError("the accessibility statement did not settle")
    all_checks = tuple(file_checks) + axe_results

    step("writing the catalogue, trade metadata and checksums")
    (site_dir / CATALOGUE).write_bytes(opds.feed(config, items, CATALOGUE))
    if products:
        (staging / ONIX_FILE).write_bytes(onix.message(config, products, statement_url))
    (staging / README).write_text(_readme(config, entries, bool(products)), "utf-8")
    (staging / MARKER).write_text("made by 'publisher dist'; replaced by the next one\n", "utf-8")
    (site_dir / MARKER).write_text("made by 'publisher dist'; replaced by the next one\n", "utf-8")
    listed = write_sums(staging)
    return DistResult(staging, site_dir, all_checks, statement.assess(all_checks), listed)


def _page_names(reader, entries) -> tuple[str, ...]:
    return tuple(sorted([name for name, _, _, _ in web.pages_of(reader)] + [web.INDEX, web.STATEMENT]))


def _size(size: int, language: str) -> str:
    """A file size for readers: '1,2 MB', '350 kB' (decimal units, the language's comma)."""
    vocabulary = words(language)
    if size >= 1_000_000:
        number = f"{size / 1_000_000:.1f}"
        return vocabulary["web_megabytes"].format(size=number.replace(".", ",") if language == "nl" else number)
    return vocabulary["web_bytes"].format(size=max(1, round(size / 1000)))


def _epub_accessibility(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """The accessibility summary and features that the EPUB's package document states."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        opf = etree.fromstring(archive.read(opf_path))
    summary = opf.findtext(".//{*}meta[@property='schema:accessibilitySummary']")
    features = tuple(m.text for m in opf.iterfind(".//{*}meta[@property='schema:accessibilityFeature']"))
    return (summary or "", features)


def write_sums(folder: Path) -> list[str]:
    """SHA256SUMS of every file in ``folder`` (but itself and the marker), in the format
    ``sha256sum -c`` reads: sorted, relative paths, two spaces."""
    names = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name not in (SUMS, MARKER)
    )
    lines = [f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n" for name in names]
    (folder / SUMS).write_text("".join(lines), "utf-8")
    return names


def verify_sums(folder: Path) -> list[str]:
    """The files whose checksum does not match SHA256SUMS (or that are missing)."""
    wrong = []
    for line in (folder / SUMS).read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        path = folder / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            wrong.append(name)
    return wrong


def _readme(config, entries, has_onix: bool) -> str:
    base = config.web_base_url
    reader = next(e for e in entries if e.kind != OFFPRINT)
    lines = [
        f"{config.title}: bestanden voor gemeenten",
        "=" * len(f"{config.title}: bestanden voor gemeenten"),
        "",
        f"Deze map bevat de reeks {config.title}, editie van {config.edition_date.isoformat()}.",
        "Welk bestand is waarvoor?",
        "",
        "web/",
        "  De webeditie: een website met alle teksten. Zet de hele map web/ op uw",
        "  website of intranet. Begin bij web/index.html. De site werkt ook als u",
        "  web/index.html gewoon op uw computer opent.",
        f"  Het vaste adres van de webeditie is {base}",
        "",
        "web/downloads/",
        "  De PDF's en EPUB's om te downloaden of door te sturen:",
        f"  - {reader.downloads[0].href.removeprefix(web.DOWNLOADS + '/') if reader.downloads else ''}: de hele reeks in één bestand.",
        "  - offprints/: elke tekst als los bestand, om één case door te sturen.",
        "  Een PDF is om te printen en op een scherm te lezen. Een EPUB is voor",
        "  e-readers; de tekst past zich aan het scherm aan.",
        "",
        f"web/{web.STATEMENT}",
        "  De toegankelijkheidsverklaring: wat er is gecontroleerd en met welke uitkomst.",
        "  Publiceer die samen met de webeditie.",
        "",
        f"web/{CATALOGUE}",
        "  De catalogus voor e-reader-apps (OPDS 2.0). Bibliotheken en lezers kunnen",
        "  zich hierop abonneren.",
        "",
    ]
    if has_onix:
        lines += [
            ONIX_FILE,
            "  Gegevens voor de boekhandel en bibliotheken (ONIX 3.0): titels, ISBN,",
            "  makers, onderwerpen (NUR en Thema), licentie en prijs (gratis).",
            "",
        ]
    lines += [
        SUMS,
        "  Controlegetallen van alle bestanden. Zo ziet u of een bestand compleet en",
        "  ongewijzigd is: sha256sum -c SHA256SUMS",
        "",
        f"Licentie: {config.licence_name}" + (f" ({config.licence_url})" if config.licence_url else "") + ".",
        "U mag alles delen en bewerken, als u de makers noemt.",
    ]
    if config.contact:
        lines += ["", f"Vragen? {config.contact.name}, {config.contact.email}"]
    return "\n".join(lines) + "\n"


def _check_targets(out: Path) -> None:
    """build/dist/ and build/web/ are replaced only when the publisher made them (D804)."""
    diagnostics = Diagnostics()
    for name in (DIST, WEB):
        target = out / name
        if target.exists() and not (target / MARKER).is_file():
            diagnostics.add("D804", f"build/{name}/ exists and was not made by 'publisher dist': it is not replaced; move it away", Location(f"build/{name}"))
    diagnostics.raise_if_errors()


def _commit(staging: Path, out: Path) -> None:
    """Put the staged bundle in place as build/dist/ and its web edition as build/web/."""
    _check_targets(out)
    web_copy = out / f".{WEB}-staging"
    if web_copy.exists():
        shutil.rmtree(web_copy)
    shutil.copytree(staging / WEB, web_copy)
    _swap(web_copy, out / WEB)
    _swap(staging, out / DIST)


def _swap(staged: Path, target: Path) -> None:
    """Rename ``staged`` to ``target``; an earlier ``target`` is renamed away first and
    removed afterwards, so that ``target`` is always either the old or the new one whole."""
    old = target.parent / f".{target.name}-old"
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    if old.exists():
        shutil.rmtree(old)


def publish(project_dir: Path | str, to: Path | str) -> Path:
    """Copy build/dist/ to ``to``: staged beside it, verified, then renamed into place."""
    project = Project.at(project_dir)
    bundle = project.build / DIST
    target = Path(to).resolve()
    diagnostics = Diagnostics()
    if target == project.root or project.root.is_relative_to(target) or target.is_relative_to(project.root):
        diagnostics.add("D806", f"'{target}' cannot receive the distribution: it is, holds or lies in the project; publish to a folder outside it")
        raise PublisherError(diagnostics)
    if not (bundle / MARKER).is_file() or not (bundle / SUMS).is_file():
        diagnostics.add("D805", "there is no distribution to publish in build/dist/: run 'make dist' (publisher dist) first")
        raise PublisherError(diagnostics)
    if target.exists() and not (target / MARKER).is_file():
        diagnostics.add("D804", f"'{target}' exists and was not made by 'publisher publish': it is not replaced; choose a new folder or move it away")
        raise PublisherError(diagnostics)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.parent / f".{target.name}.staging-{os.getpid()}"
    if staged.exists():
        shutil.rmtree(staged)
    try:
        shutil.copytree(bundle, staged)
        wrong = verify_sums(staged)
        if wrong:  # pragma: no cover - a disk that changes what was just copied
            raise OSError(f"the copy does not match SHA256SUMS: {', '.join(wrong[:5])}")
        _swap(staged, target)
    except BaseException:
        if staged.exists():
            shutil.rmtree(staged)
        raise
    return target
