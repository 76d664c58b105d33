"""What a finished print layout shows, and what the next layout should do about it.

A layout is inspected box by box, and what it teaches goes into ``Corrections`` for the
next one (see ``pdf.render``): page numbers to write in, words to keep whole (no more than
two hyphenated line ends in a row, no word broken over a page turn), and page breaks to
make explicit where WeasyPrint would put a footnote a page after its call, and figures,
tables and pull quotes to put after the next paragraph where they leave a hole. The same
inspection yields the ``PageMap`` (where each printed page begins) for the EPUB's
page-list, single lines stranded at a page foot or head, and raster images printed at
too low a resolution. The print tree's own make-up rules are here too: last lines
(``tie_last_line``), the designer's hyphenation exceptions (``apply_exceptions``) and the
spaces before inline elements (``lean_spaces``).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from lxml import etree


@dataclass(frozen=True)
class Corrections:
    """What one layout teaches the next."""

    pages: dict[str, int] | None = None
    unbroken: frozenset[tuple[str, str]] = frozenset()  # (text container number, word)
    loose: frozenset[str] = frozenset()  # text containers that get widows and orphans 1
    stranded: frozenset[str] = frozenset()  # loose text containers that start a new page
    moved: frozenset[str] = frozenset()  # top-level flow blocks that start a new page
    # figures and pull quotes (data-fb) put after the next paragraph(s): (block, how many)
    deferred: frozenset[tuple[str, int]] = frozenset()
    # flow blocks (data-fb) given more space above them, to fill a short page: (block, px)
    feathered: frozenset[tuple[str, float]] = frozenset()

    def to_bytes(self) -> bytes:
        """Kept between builds (build/.cache/layouts), for exactly the inputs they were learned from."""
        data = {
            "pages": self.pages,
            "unbroken": sorted(map(list, self.unbroken)),
            "loose": sorted(self.loose),
            "stranded": sorted(self.stranded),
            "moved": sorted(self.moved),
            "deferred": sorted(map(list, self.deferred)),
            "feathered": sorted(map(list, self.feathered)),
        }
        return json.dumps(data, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Corrections:
        raw = json.loads(data)
        return cls(
            raw["pages"],
            frozenset(tuple(pair) for pair in raw["unbroken"]),
            frozenset(raw["loose"]),
            frozenset(raw["stranded"]),
            frozenset(raw["moved"]),
            frozenset((block, int(steps)) for block, steps in raw.get("deferred", ())),
            frozenset((block, float(space)) for block, space in raw.get("feathered", ())),
        )

    def learn(self, pages, unbroken=frozenset(), loose=frozenset(), stranded=frozenset(), moved=frozenset(), deferred=frozenset(), feathered=None) -> Corrections:
        steps = dict(self.deferred)
        for block in deferred:
            steps[block] = steps.get(block, 0) + 1
        space = dict(self.feathered)
        space.update(feathered or {})
        return Corrections(
            pages,
            self.unbroken | unbroken,
            self.loose | loose,
            self.stranded | stranded,
            self.moved | moved,
            frozenset(steps.items()),
            frozenset(space.items()),
        )

    def deferral(self, block: str) -> int:
        """How many paragraphs the flow block ``block`` is put after (0: none)."""
        return dict(self.deferred).get(block, 0)


TEXT_CONTAINERS = ("p", "li", "dt", "dd", "td", "th", "figcaption", "caption", "h1", "h2", "h3", "h4")
MAX_HYPHENS_IN_A_ROW = 2


def number_containers(root: etree._Element, manuscripts: tuple[str, ...]) -> None:
    """Number the flow blocks (data-fb: the top-level blocks of each manuscript, the units
    a page break may be put before) and text containers (data-tc) of the intermediate in
    document order. ``manuscripts`` are the ids of the manuscript sections (from the
    volume's Structure). The print layout and the EPUB number the same intermediate the
    same way, so a number found in a layout points at the same paragraph in the EPUB."""
    wanted = set(manuscripts)
    blocks = [
        child
        for section in root.iter()
        if isinstance(section.tag, str) and section.get("id") in wanted
        for child in section
        if isinstance(child.tag, str) and child.tag != "header"
    ]
    for number, element in enumerate(blocks):
        element.set("data-fb", str(number))
    for number, element in enumerate(root.iter(*TEXT_CONTAINERS)):
        element.set("data-tc", str(number))


@dataclass(frozen=True)
class PageStart:
    """The first line of a printed page: its number, its text container and first words."""

    page: int
    container: str | None  # data-tc of the paragraph (etc.) holding the first line
    section: str | None  # id of the section the page belongs to (for pages without text)
    text: str  # the first words of the page, as printed
    block: str | None = None  # data-fb of a flow block (a figure) that opens the page before any text


@dataclass(frozen=True)
class PageMap:
    """The print edition's page starts, for the intermediate it was laid out from."""

    fingerprint: str
    starts: tuple[PageStart, ...]
    source: str = "pdf-print"  # the rendition it was laid out for

    def to_bytes(self) -> bytes:
        data = {"fingerprint": self.fingerprint, "source": self.source, "pages": [asdict(s) for s in self.starts]}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: Path) -> PageMap | None:
        try:
            data = json.loads(path.read_text("utf-8"))
            return cls(data["fingerprint"], tuple(PageStart(**s) for s in data["pages"]), data["source"])
        except (OSError, ValueError, KeyError, TypeError):
            return None


def footnote_area(page):
    """The box of a laid-out page's footnote area (WeasyPrint puts it beside the root box
    among the page box's children), or None."""
    from weasyprint.formatting_structure import boxes

    return next((child for child in page._page_box.children if isinstance(child, boxes.FootnoteAreaBox)), None)


def page_starts(rendering) -> tuple[PageStart, ...]:
    """The first line of text of every page (the main flow, not running heads or notes)."""
    from weasyprint.formatting_structure import boxes

    starts = []
    for number, page in enumerate(rendering.document.pages, start=1):
        footnotes = set()
        area = footnote_area(page)
        if area is not None:
            footnotes = {id(b) for b in area.descendants()}
        section = None
        found = None
        for box in page._page_box.descendants():
            if id(box) in footnotes:
                continue
            element = getattr(box, "element", None)
            if section is None and element is not None and element.tag == "section" and element.get("id"):
                section = element.get("id")
            if isinstance(box, boxes.ReplacedBox):
                holder = _flow_block_of(page._page_box, box, boxes)
                if holder is not None:
                    found = PageStart(number, None, section, "", holder)
                    break
            if isinstance(box, boxes.LineBox):
                parent = _container_of(page._page_box, box, boxes)
                text = "".join(
                    t.text for t in box.descendants() if isinstance(t, boxes.TextBox) and "::" not in (t.element_tag or "")
                ).split()
                if parent is not None and text:
                    found = PageStart(number, parent, section, " ".join(text[:6]))
                    break
        if found is None and section is not None:
            found = PageStart(number, None, section, "")
        if found is not None:
            starts.append(found)
    return tuple(starts)


def _flow_block_of(root, leaf, boxes) -> str | None:
    """data-fb of the flow block whose box holds the replaced box ``leaf`` (an image:
    figures never split, so the block begins on this page)."""
    for box in root.descendants():
        element = getattr(box, "element", None)
        if element is not None and element.get("data-fb") is not None and isinstance(box, boxes.ParentBox):
            if any(d is leaf for d in box.descendants()):
                return element.get("data-fb")
    return None


def _container_of(root, line, boxes) -> str | None:
    for box in root.descendants():
        if isinstance(box, boxes.BlockContainerBox) and any(child is line for child in box.children):
            return box.element.get("data-tc") if box.element is not None else None
    return None


def keep_whole(element: etree._Element, words: set[str]) -> None:
    """Wrap each occurrence of ``words`` in element's text in <span class="nohyphen">."""
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")

    def split(text: str) -> tuple[str, list[etree._Element]]:
        pieces = pattern.split(text)
        spans = []
        for index in range(1, len(pieces), 2):
            span = etree.Element("span", {"class": "nohyphen"})
            span.text = pieces[index]
            span.tail = pieces[index + 1]
            spans.append(span)
        return pieces[0], spans

    for node in list(element.iter()):
        if not isinstance(node.tag, str) or node.get("class") == "nohyphen":
            continue
        if node.text and pattern.search(node.text):
            node.text, spans = split(node.text)
            for position, span in enumerate(spans):
                node.insert(position, span)
        for child in list(node):
            if child.tail and pattern.search(child.tail) and child.get("class") != "footnote":
                child.tail, spans = split(child.tail)
                for offset, span in enumerate(spans, start=1):
                    node.insert(node.index(child) + offset, span)


def hyphen_ladders(rendering) -> set[tuple[str, str]]:
    """Words to keep whole: the one broken at the end of a third (fifth, …) hyphenated
    line in a row, and any word broken at the foot of a page (a reader should not have
    to turn the page in the middle of a word)."""
    from weasyprint.formatting_structure import boxes

    found: set[tuple[str, str]] = set()
    pending: dict[str, str] = {}  # text container → head of a word broken at a page foot
    for page in rendering.document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.BlockContainerBox) or not box.children:
                continue
            lines = [child for child in box.children if isinstance(child, boxes.LineBox)]
            container = box.element.get("data-tc") if box.element is not None else None
            if not lines or container is None:
                continue
            if container in pending:
                start = _first_text(lines[0])
                if start is not None:
                    found.add((container, _whole(box, pending.pop(container), start.text)))
            run = 0
            for line, following in zip(lines, lines[1:]):
                end, start = _last_text(line), _first_text(following)
                if end is None or start is None or not re.search(r"\w-$", end.text.rstrip(" ")):
                    run = 0
                    continue
                run += 1
                if run > MAX_HYPHENS_IN_A_ROW:
                    found.add((container, _whole(box, end.text, start.text)))
                    run = 0
            end = _last_text(lines[-1])
            if end is not None and re.search(r"\w-$", end.text.rstrip(" ")) and box.style["float"] != "footnote":
                pending[container] = end.text  # resolved where the container goes on
    return found


def _whole(box, end_text: str, start_text: str) -> str:
    """The word broken between two lines: by hyphenation (verantwoor-delijk) or at a
    hyphen of the text itself (wifi-tracking)."""
    head = re.search(r"([\w-]+)$", end_text.replace(SOFT_HYPHEN, "").rstrip(" ")).group(1)
    tail = re.match(r"[\w-]*", start_text.replace(SOFT_HYPHEN, "")).group(0)
    text = "".join(box.element.itertext()).replace(SOFT_HYPHEN, "")
    return head[:-1] + tail if head[:-1] + tail in text else head + tail


def _last_text(box):
    from weasyprint.formatting_structure import boxes

    while isinstance(box, boxes.ParentBox) and box.children:
        box = box.children[-1]
    return box if isinstance(box, boxes.TextBox) else None


def _first_text(box):
    from weasyprint.formatting_structure import boxes

    while isinstance(box, boxes.ParentBox) and box.children:
        box = box.children[0]
    return box if isinstance(box, boxes.TextBox) else None




def displaced_notes(rendering) -> tuple[set[str], set[str]]:
    """Where footnotes stand a page after their call: (text containers to loosen, flow
    blocks to move to a new page).

    WeasyPrint lays out a page, finds that what comes last does not fit (a heading that
    must not end a page, a block that must not split, a widow), goes back to an earlier
    break, and forgets to take back the footnotes it met in the part it discards: they end
    up on the next page. The cure is to leave it nothing to go back on at that page break:
    the flow block that opens the next page starts a new page of its own accord, or, when
    a paragraph runs over the break, that paragraph gets widows and orphans 1.
    """
    from weasyprint.formatting_structure import boxes

    pages = rendering.anchor_pages()
    late_pages = set()
    for ident, page in pages.items():
        if "--fnref-" in ident:
            note = ident.replace("--fnref-", "--fn-")
            if note in pages and pages[note] != page:
                late_pages.add(page)
    loose, moved = set(), set()
    for number in sorted(late_pages):
        if number >= len(rendering.document.pages):
            continue
        before = _flow_blocks(rendering.document.pages[number - 1], boxes)
        after = _flow_blocks(rendering.document.pages[number], boxes)
        if not after:
            continue
        first = after[0]
        if first in before:  # a block running over the page break
            containers = _containers(rendering.document.pages[number - 1], boxes)
            if containers:
                loose.add(containers[-1])
        else:
            moved.add(first)
    return loose, moved


def _flow_blocks(page, boxes) -> list[str]:
    """Numbers (data-fb) of the top-level flow blocks on a page, in order."""
    found = []
    for box in page._page_box.descendants():
        if isinstance(box, boxes.BlockLevelBox) and box.element is not None:
            number = box.element.get("data-fb")
            if number is not None and number not in found:
                found.append(number)
    return found


def _containers(page, boxes) -> list[str]:
    """Numbers (data-tc) of the text containers with lines on a page, in order."""
    found = []
    for box in page._page_box.descendants():
        if isinstance(box, boxes.BlockContainerBox) and box.element is not None and box.element.get("data-tc") is not None:
            if any(isinstance(child, boxes.LineBox) for child in box.children) and box.style["float"] != "footnote":
                found.append(box.element.get("data-tc"))
    return found


def loosen(root: etree._Element, corrections: Corrections) -> None:
    """Widows and orphans 1 for the loose text containers; a page break before the moved
    flow blocks and the loose paragraphs that left a line alone."""
    for container in corrections.loose:
        for element in root.xpath("//*[@data-tc=$tc]", tc=container):
            style = "widows: 1; orphans: 1"
            if container in corrections.stranded:
                style += "; break-before: page"
            element.set("style", style)
    for block in corrections.moved:
        for element in root.xpath("//*[@data-fb=$fb]", fb=block):
            element.set("style", (element.get("style", "") + "; break-before: page").lstrip("; "))


def stranded_lines(rendering) -> list[tuple[int, str, str]]:
    """(page, text container, text) of single lines left alone at the foot (orphans) or
    head (widows) of a page by a text container that runs over a page break."""
    from weasyprint.formatting_structure import boxes

    fragments: dict[str, list[tuple[int, int, str]]] = {}
    for number, page in enumerate(rendering.document.pages, start=1):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.BlockContainerBox) and box.element is not None and box.element_tag in ("p", "li"):
                lines = [c for c in box.children if isinstance(c, boxes.LineBox)]
                container = box.element.get("data-tc")
                if lines and container is not None:
                    text = "".join(t.text for t in lines[0].descendants() if isinstance(t, boxes.TextBox))
                    fragments.setdefault(container, []).append((number, len(lines), text))
    found = []
    for container, parts in fragments.items():
        if len(parts) < 2:
            continue
        if parts[0][1] < 2:
            found.append((parts[0][0], container, parts[0][2]))
        if parts[-1][1] < 2:
            found.append((parts[-1][0], container, parts[-1][2]))
    return found


PRINT_DPI = 300


def low_resolution_images(rendering) -> list[tuple[str, float]]:
    """(src, dpi) of raster images placed at less than 300 dots per inch."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.images import RasterImage

    found = {}
    for page in rendering.document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.ReplacedBox) and isinstance(box.replacement, RasterImage) and box.width:
                inches = box.width / 96  # CSS pixels
                dpi = box.replacement.width / inches
                src = box.element.get("src") if box.element is not None else "?"
                if dpi < PRINT_DPI:
                    found[src] = min(dpi, found.get(src, dpi))
    return sorted(found.items())


# Page make-up: how full each page is, and the figures and pull quotes that leave a hole.

LINE = 18.0  # the body's line, 13.5 pt, in CSS pixels
MAX_SHORT_LINES = 3  # a page may end this many lines short of the text block, no more
MAX_DEFERRAL = 3  # a figure or pull quote moves past at most this many paragraphs


def deferrable(element: etree._Element) -> bool:
    """A figure, a table or a pull quote (aside.citaat), or a block that only holds one. (An lxml
    element of the print tree or the element WeasyPrint keeps on a box.)"""
    classes = (element.get("class") or "").split()
    if element.tag in ("figure", "table") or "citaat" in classes:
        return True
    return element.tag == "div" and len(element) == 1 and element[0].tag in ("figure", "table") and not (element.text or "").strip()


_BY_LINES = ("p", "ul", "ol", "dl", "h2", "h3", "h4")


def page_fill(rendering) -> list[tuple[int, float]]:
    """(page, lines short) for every page with main-flow content: how far the lowest
    line, image or block of the main flow stays above the foot of the text block (or
    above the footnote area), in body lines."""
    from weasyprint.formatting_structure import boxes

    found = []
    pages = rendering.document.pages
    for number, page in enumerate(pages, start=1):
        page_box = page._page_box
        # a box that goes on on the next page counts, like a paragraph, by its lines
        # (WeasyPrint stretches its first part to the foot of the page)
        going_on = set(_flow_blocks(pages[number], boxes)) if number < len(pages) else set()
        area = footnote_area(page)
        limit = page_box.content_box_y() + page_box.height
        if area is not None and area.children:
            limit = area.position_y
        skip = {id(b) for b in area.descendants()} if area is not None else set()
        skip |= _margin_descendants(page_box)  # running heads and folios
        bottom = None
        for box in page_box.descendants():
            if id(box) in skip or isinstance(box, boxes.PageBox) or isinstance(box, boxes.MarginBox):
                continue
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
                end = box.position_y + box.margin_height()
            elif (
                isinstance(box, boxes.BlockBox)
                and box.element is not None
                and box.element.get("data-fb") is not None
                and box.element.tag not in _BY_LINES
                and box.element.get("data-fb") not in going_on
            ):
                # a box, figure or table shows to its edge; a paragraph or list only as far
                # as its lines go (WeasyPrint stretches a fragment broken at the page foot)
                end = box.position_y + box.margin_height() - box.margin_bottom
            else:
                continue
            bottom = end if bottom is None else max(bottom, end)
        if bottom is not None:
            found.append((number, (limit - bottom) / LINE))
    return found


def _margin_descendants(page_box):
    from weasyprint.formatting_structure import boxes

    return {id(d) for child in page_box.children if isinstance(child, boxes.MarginBox) for d in child.descendants()}


def deferrals(rendering, manuscripts: tuple[str, ...], corrections: Corrections) -> set[str]:
    """Flow blocks (data-fb) to put after the next paragraph or box: a figure or pull quote
    that opens a page of a manuscript while the page before, of the same manuscript, ends
    more than MAX_SHORT_LINES lines short (it did not fit, and nothing was allowed past
    it), or one that ends such a page while a box that could have filled it opens the next."""
    from weasyprint.formatting_structure import boxes

    wanted = set(manuscripts)
    sections = {start.page: start.section for start in page_starts(rendering)}
    short = dict(page_fill(rendering))
    pages = rendering.document.pages
    found = set()
    for number in range(1, len(pages)):
        if short.get(number, 0) <= MAX_SHORT_LINES or sections.get(number) not in wanted:
            continue
        if sections.get(number + 1) != sections.get(number):
            continue  # the last page of a text
        before = _flow_blocks(pages[number - 1], boxes)
        after = _flow_blocks(pages[number], boxes)
        if not after or after[0] in before:
            continue
        # the figure that did not fit; or the one that ends the short page, when what
        # did not fit after it is a box that could fill the page if it came first
        for block, page in ((after[0], pages[number]), (before[-1] if before else None, pages[number - 1])):
            element = _flow_element(page, block, boxes) if block is not None else None
            if element is not None and deferrable(element) and corrections.deferral(block) < int(element.get("data-room") or 0):
                found.add(block)
                break
    return found


def _flow_element(page, number: str, boxes):
    for box in page._page_box.descendants():
        if isinstance(box, boxes.BlockLevelBox) and box.element is not None and box.element.get("data-fb") == number:
            return box.element
    return None


def _passable(element) -> bool:
    """What a figure or pull quote may move past: a paragraph or a box (not a heading)."""
    return isinstance(element.tag, str) and (
        element.tag == "p" or (element.tag == "aside" and "block" in (element.get("class") or "").split())
    )


def _next_paragraphs(element: etree._Element) -> int:
    """How many paragraphs and boxes follow ``element`` before anything else (a heading,
    a figure)."""
    count = 0
    for sibling in element.itersiblings():
        if not _passable(sibling):
            break
        count += 1
    return count


def defer(root: etree._Element, corrections: Corrections) -> None:
    """Put each deferred flow block after as many following paragraphs or boxes as it
    was deferred (never past a heading or a figure): the text flows back into the room
    it left. Every figure and pull quote among the flow blocks gets data-room: how far it
    could move (the paragraphs after it, at most MAX_DEFERRAL), for ``deferrals``."""
    for element in root.xpath("//*[@data-fb]"):
        if deferrable(element):
            element.set("data-room", str(min(_next_paragraphs(element), MAX_DEFERRAL)))
    for block, steps in sorted(corrections.deferred, key=lambda pair: int(pair[0])):
        for element in root.xpath("//*[@data-fb=$fb]", fb=block):
            target = element
            for _ in range(steps):
                following = target.getnext()
                if following is None or not _passable(following):
                    break
                target = following
            if target is not element:
                tail = element.tail
                parent = element.getparent()
                previous = element.getprevious()
                parent.remove(element)
                if previous is not None:
                    previous.tail = (previous.tail or "") + (tail or "") if tail and tail.strip() else previous.tail
                element.tail = target.tail
                target.tail = None
                target.addnext(element)


# Pull quotes: a pull quote repeats words of its own text; it should not stand on the
# spread where the reader meets those words anyway.


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


def echoed_pull_quotes(rendering) -> list[tuple[str, int, int, int]]:
    """(manuscript slug, the pull quote's index among that manuscript's, its page, the
    page of the words it repeats) for every pull quote (aside.citaat) that stands on the
    same spread as the paragraph of its text it lifts its words from. The book block's
    spreads are page 1 alone, then 2–3, 4–5 and so on."""
    from weasyprint.formatting_structure import boxes

    sections = {start.page: start.section for start in page_starts(rendering)}
    quotes: dict = {}
    paragraphs: dict = {}
    for number, page in enumerate(rendering.document.pages, start=1):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not isinstance(box, boxes.BlockLevelBox):
                continue
            if element.tag == "aside" and "citaat" in (element.get("class") or "").split():
                quotes.setdefault(element, number)
            elif element.tag == "p":
                paragraphs.setdefault(element, []).append(number)
    inside = {p for quote in quotes for p in quote.iter("p")}  # a pull quote's own paragraph
    texts = {
        element: _plain("".join(getattr(node, kind) or "" for node, kind in text_slots(element, skip=("footnote",))))
        for element in paragraphs
        if element not in inside
    }
    found = []
    counted: dict[str, int] = {}
    for quote, page in quotes.items():
        slug = sections.get(page)
        index = counted.get(slug, 0)
        counted[slug] = index + 1
        key = " ".join(_plain("".join(quote.itertext())).split()[:6])
        for element, text in texts.items():
            if key and key in text and sections.get(paragraphs[element][0]) == slug:
                near = [p for p in paragraphs[element] if p // 2 == page // 2]
                if near:
                    found.append((slug, index, page, near[0]))
                break
    return found


# Vertical justification: what a page still lacks after all the above (a heading or a
# box that must begin with two lines of its text, a note that must stand on the page of
# its call) is shared out as space above its headings, boxes, figures and lists, never
# between the lines or paragraphs of running text, so that the page ends at the foot of
# the text block like the page facing it.

FEATHER_TARGET = 0.6  # lines: a page that ends closer to the foot than this is full
MAX_FEATHER = 2 * LINE  # px: the most space added above one heading, box or list (two lines)
MAX_FEATHER_FIGURE = 3 * LINE  # px: above a figure or table, which stands in more white
_FEATHERED = ("h2", "h3", "h4", "aside", "figure", "table", "ul", "ol", "div")


def feathers(rendering, manuscripts: tuple[str, ...], corrections: Corrections) -> dict[int, dict[str, float]]:
    """Page → flow blocks (data-fb) → the margin above them (px) that fills the short pages of
    the manuscripts: pages that end more than FEATHER_TARGET lines short but are not the
    last page of their text, and whose space has not been shared out before. The lack is
    divided equally among the headings, boxes, figures and lists that begin on the page
    below its first block, at most MAX_FEATHER each."""
    from weasyprint.formatting_structure import boxes

    wanted = set(manuscripts)
    sections = {start.page: start.section for start in page_starts(rendering)}
    short = dict(page_fill(rendering))
    done = {block for block, _ in corrections.feathered}
    pages = rendering.document.pages
    found: dict[int, dict[str, float]] = {}
    for number in range(1, len(pages)):
        lack = short.get(number, 0) - FEATHER_TARGET
        if lack <= 0 or sections.get(number) not in wanted or sections.get(number + 1) != sections.get(number):
            continue
        page_box = pages[number - 1]._page_box
        top = page_box.content_box_y()
        blocks = []
        for box in page_box.descendants():
            element = getattr(box, "element", None)
            if not isinstance(box, boxes.BlockLevelBox) or element is None or element.get("data-fb") is None:
                continue
            if any(b is box for b, _ in blocks) or any(e is element for _, e in blocks):
                continue
            blocks.append((box, element))
        gaps = [(box, element) for box, element in blocks[1:] if element.tag in _FEATHERED and box.position_y > top + 1]
        if not gaps or any(element.get("data-fb") in done for _, element in blocks):
            continue
        each = lack * LINE / len(gaps)
        found[number] = {
            element.get("data-fb"): round(box.margin_top + min(each, MAX_FEATHER_FIGURE if deferrable(element) else MAX_FEATHER), 2)
            for box, element in gaps
        }
    return found


LEVEL = 1.5  # lines: facing pages whose ends differ by more than this show a step


def unlevel_spreads(rendering, manuscripts: tuple[str, ...], level: float = LEVEL) -> list[tuple[int, int]]:
    """(shorter page, its facing page) for every spread whose pages are both pages of a
    manuscript that go on to a next page, and that end more than ``level`` lines apart.
    Even pages are versos (the book block begins with page 1 on a recto)."""
    wanted = set(manuscripts)
    sections = {start.page: start.section for start in page_starts(rendering)}
    short = dict(page_fill(rendering))

    def within(number: int) -> bool:
        return number in short and sections.get(number) in wanted and sections.get(number + 1) == sections.get(number)

    found = []
    for verso in range(2, len(rendering.document.pages), 2):
        recto = verso + 1
        if within(verso) and within(recto) and abs(short[verso] - short[recto]) > level:
            found.append((verso, recto) if short[verso] > short[recto] else (recto, verso))
    return found


def feather(root: etree._Element, corrections: Corrections) -> None:
    """Give the feathered flow blocks their margin above."""
    for block, space in corrections.feathered:
        for element in root.xpath("//*[@data-fb=$fb]", fb=block):
            element.set("style", (element.get("style", "") + f"; margin-top: {space:g}px").lstrip("; "))


# Last lines: a paragraph's last line is never a hyphenated fragment, a lone short word.

MIN_LAST_LINE = 8  # characters: about twice the paragraph indent


def text_slots(element: etree._Element, skip: tuple[str, ...] = ()) -> list[tuple[etree._Element, str]]:
    """(node, 'text' or 'tail') for every piece of text of ``element``, in document order;
    the inside of elements with a class in ``skip`` left out (their tails count)."""
    slots = []

    def collect(node: etree._Element) -> None:
        slots.append((node, "text"))
        for child in node:
            if isinstance(child.tag, str) and child.get("class") not in skip:
                collect(child)
            slots.append((child, "tail"))

    collect(element)
    return slots


def tie_last_line(element: etree._Element) -> None:
    """Keep the last word of a paragraph whole, joined by no-break spaces to the words
    before it until the group is at least MIN_LAST_LINE characters long, in a
    <span class="last-words"> (hyphens: manual; no white-space: nowrap, the no-break
    spaces keep the group together). Only the paragraph's own text counts (not its footnotes)."""
    for node, kind in reversed(text_slots(element, skip=("footnote",))):
        value = getattr(node, kind)
        if not value or not value.strip():
            continue
        if isinstance(node.tag, str) and node.get("class") in ("nohyphen", "last-words") and kind == "text":
            return
        stripped = value.rstrip()
        words = re.split(r"[ \t\r\n]+", stripped)  # a manuscript's line ends are spaces too (not the no-break ones)
        group = [words.pop()]
        if not re.search(r"\w", group[0]):
            return  # punctuation after a link or an emphasis: leave it
        while words and len(" ".join(group)) < MIN_LAST_LINE and words[-1]:
            group.insert(0, words.pop())
        head = " ".join(words) + (" " if words else "")
        span = etree.Element("span", {"class": "last-words"})
        span.text = "\u00a0".join(group)
        span.tail = value[len(stripped):] or None
        if kind == "text":
            node.text = head or None
            node.insert(0, span)
        else:
            node.tail = head or None
            node.addnext(span)
        return


# Hyphenation exceptions: the designer's list in layouts/ (see docs/layouts.md).

SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class HyphenationException:
    """One entry of the exception list: the word as printed and where it may break."""

    word: str  # without break points
    pattern: str  # a regular expression matching it with or without its hard hyphens
    breaks: tuple[int, ...]  # letter offsets (in ``word`` without hyphens) after which it may break


def read_exceptions(path: Path) -> tuple[HyphenationException, ...]:
    """The hyphenation exception list: one word or name a line, hyphens where it may be
    broken, none if it is never broken; '#' starts a comment."""
    found = []
    for raw in path.read_text("utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        letters = line.replace("-", "")
        breaks, offset = [], 0
        for piece in line.split("-")[:-1]:
            offset += len(piece)
            breaks.append(offset)
        pattern = ""
        for index, char in enumerate(letters):
            pattern += re.escape(char)
            if index + 1 in breaks:
                pattern += "-?"
        found.append(HyphenationException(letters, pattern, tuple(breaks)))
    return tuple(found)


# where hyphens: auto applies, so where the list's break points are put in
_HYPHENATED = ("p", "li", "dd")
_NOT_HYPHENATED = {"footnote", "nohyphen", "last-words", "citaat", "external", "block-title", "notice"}


def apply_exceptions(root: etree._Element, exceptions: tuple[HyphenationException, ...]) -> None:
    """Wrap every occurrence of a listed word in <span class="hyphenate-exception">
    (hyphens: manual) with soft hyphens at its break points only: WeasyPrint's
    hyphenation (pyphen) has no exception list of its own."""
    if not exceptions:
        return
    by_form = {}
    for entry in exceptions:
        by_form[entry.word] = entry
    pattern = re.compile(r"(?<![\w-])(" + "|".join(e.pattern for e in sorted(exceptions, key=lambda e: len(e.word), reverse=True)) + r")(?![\w-])")

    def lookup(found: str) -> HyphenationException:
        return by_form[found.replace("-", "")] if found.replace("-", "") in by_form else next(e for e in exceptions if re.fullmatch(e.pattern, found))

    def marked(found: str) -> str:
        entry = lookup(found)
        out, letters = "", 0
        for char in found:
            out += char
            if char != "-":
                letters += 1
                if letters in entry.breaks and not found[len(out):].startswith("-"):
                    out += SOFT_HYPHEN
        return out

    def split(text: str):
        pieces = pattern.split(text)
        spans = []
        for index in range(1, len(pieces), 2):
            span = etree.Element("span", {"class": "hyphenate-exception"})
            span.text = marked(pieces[index])
            span.tail = pieces[index + 1]
            spans.append(span)
        return pieces[0], spans

    def skipped(node) -> bool:
        return bool(set((node.get("class") or "").split()) & _NOT_HYPHENATED) or node.tag in ("h1", "h2", "h3", "h4", "td", "th", "figcaption", "caption", "code")

    def visit(node) -> None:
        if skipped(node) or node.get("class") == "hyphenate-exception":
            return
        if node.text and pattern.search(node.text):
            node.text, spans = split(node.text)
            for position, span in enumerate(spans):
                node.insert(position, span)
        for child in list(node):
            if not isinstance(child.tag, str):
                continue
            visit(child)
            if child.tail and pattern.search(child.tail):
                child.tail, spans = split(child.tail)
                for offset, span in enumerate(spans, start=1):
                    node.insert(node.index(child) + offset, span)

    for element in root.iter(*_HYPHENATED):
        if any(skipped(a) for a in element.iterancestors() if isinstance(a.tag, str)):
            continue
        if element.getparent() is not None and any(p.tag in _HYPHENATED for p in element.iterancestors()):
            continue  # visited with its outer container
        visit(element)


# One-word lines: WeasyPrint 70 measures a text box with its trailing space. When the text
# before an inline element (a link, an emphasis, a span of the publisher's) ends in a space
# and fits the line only without that space, split_first_line takes the line for one that
# cannot be broken before its first word, and sets that word (or its first syllable) alone
# on a line ("Denk / aan / een privacytoets …", new-user review item 1). A text box that
# does not end in a space does not meet this, so the space goes into the element.

_INLINE = ("a", "em", "strong", "span", "i", "b", "code", "cite", "q", "abbr", "small", "mark", "time", "bdi")
_TEXT_CONTAINERS = ("p", "li", "dd", "dt", "td", "th", "figcaption", "caption")


def lean_spaces(root: etree._Element) -> None:
    """Move the space before each inline element of running text into the element (its
    text then starts with the space): no text box ends in a space before an element."""
    for container in root.iter(*_TEXT_CONTAINERS):
        for element in container.iter(*_INLINE):
            if element is container or element.get("class") in ("footnote", "footnote-anchor", "nohyphen", "noteref-repeat"):
                continue  # (a space inside a nowrap span would be no break opportunity)
            if any(a.get("class") == "footnote" for a in element.iterancestors() if a is not container):
                continue
            if not element.text or element.text[0].isspace():
                continue
            previous = element.getprevious()
            if previous is not None:
                if previous.tail and previous.tail.endswith(" "):
                    previous.tail = previous.tail[:-1] or None
                    element.text = " " + element.text
            else:
                parent = element.getparent()
                if parent is not None and parent.text and parent.text.endswith(" "):
                    parent.text = parent.text[:-1] or None
                    element.text = " " + element.text
