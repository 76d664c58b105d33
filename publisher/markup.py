"""Stage 2b: a manuscript body from Markdown to the series' semantic HTML.

Python-Markdown does the parsing (with a block processor for the series' ``:::`` blocks and
raw HTML switched off); the result is then shaped with lxml into the markup that every
edition shares: figures with captions, tables with captions, the four block types with their
roles, footnotes as DPUB-ARIA notes, cross-references, typographic punctuation, and ids
prefixed by the manuscript's slug so that all manuscripts can live in one document.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import markdown
import nh3
from lxml import etree, html
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from . import syntax
from .locale import TYPOGRAPHY, words
from .typography import smarten_tree



class _BlockProcessor(BlockProcessor):
    """``::: name title`` … ``:::`` becomes <div data-block=name data-title=title>."""

    def test(self, parent, block):
        return bool(syntax.BLOCK_OPEN.match(block.split("\n", 1)[0]))

    def run(self, parent, blocks):
        first = blocks.pop(0)
        opener, _, rest = first.partition("\n")
        match = syntax.BLOCK_OPEN.match(opener)
        content: list[str] = []
        pending = [rest] if rest else []
        closed = False
        while pending or blocks:
            chunk = pending.pop(0) if pending else blocks.pop(0)
            lines = chunk.split("\n")
            for index, line in enumerate(lines):
                if syntax.BLOCK_CLOSE.match(line):
                    before = "\n".join(lines[:index])
                    after = "\n".join(lines[index + 1 :])
                    if before.strip():
                        content.append(before)
                    if after.strip():
                        blocks.insert(0, after)
                    closed = True
                    break
            if closed:
                break
            content.append(chunk)
        element = ET.SubElement(parent, "div")
        element.set("data-block", match.group("name"))
        if match.group("title"):
            element.set("data-title", match.group("title"))
        self.parser.parseBlocks(element, content)


class _LanguageSpan(InlineProcessor):
    """``[phrase]{lang=en}`` becomes <span lang="en">phrase</span> (syntax.scan checked the tag)."""

    def handleMatch(self, m, data):
        element = ET.Element("span")
        element.set("lang", m.group("lang"))
        element.text = m.group("text")
        return element, m.start(0), m.end(0)


class SeriesExtension(Extension):
    def extendMarkdown(self, md):
        md.parser.blockprocessors.register(_BlockProcessor(md.parser), "series-block", 105)
        md.inlinePatterns.register(_LanguageSpan(syntax.LANGUAGE_SPAN.pattern, md), "language-span", 175)
        # Raw HTML is not interpreted: it stays visible as text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def new_markdown() -> markdown.Markdown:
    """A fresh Markdown converter (they keep state, so one per manuscript)."""
    return markdown.Markdown(
        extensions=[
            "fenced_code",
            "footnotes",
            "tables",
            "def_list",
            "abbr",
            "attr_list",
            "toc",
            SeriesExtension(),
        ],
        extension_configs={
            "footnotes": {"BACKLINK_TEXT": "\u21a9\ufe0e", "SUPERSCRIPT_TEXT": "{}"},
            "toc": {"permalink": False},
        },
        output_format="html",
    )


@dataclass
class Heading:
    level: int
    id: str
    text: str


@dataclass
class Body:
    """A manuscript body rendered to the series' HTML (an lxml <div>)."""

    root: etree._Element
    headings: list[Heading] = field(default_factory=list)
    footnotes: int = 0
    figures: int = 0
    tables: int = 0
    words: int = 0
    rendered: list = field(default_factory=list)  # Rendered links and images, for the checks
    # every note: (its id, the ids of its calls; the first call is its anchor)
    notes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    citations: tuple[str, ...] = ()  # keys of content/sources.yaml cited in the notes (sources.py)

    @property
    def ids(self) -> set[str]:
        return {e.get("id") for e in self.root.iter() if isinstance(e.tag, str) and e.get("id")}


# What Python-Markdown may produce for a manuscript, and nothing else: a second line of
# defence behind syntax.scan (raw HTML is off; attribute lists may only give ids, classes and a language).
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "a", "img", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "code",
    "pre", "hr", "br", "sup", "sub", "div", "abbr", "span",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "th": {"style"},
    "td": {"style"},
    "div": {"data-block", "data-title"},
}


@dataclass(frozen=True)
class Rendered:
    """A link or image as the renderer produced it: what the checks look at."""

    kind: str  # 'link' or 'image'
    target: str  # href or src, as Python-Markdown wrote it
    text: str  # the link text or the image's alt text
    title: str | None = None


def render(source: str, slug: str, language: str) -> Body:
    """Render a manuscript body. The source is assumed to have passed ``syntax.scan``.

    The links and images Python-Markdown produced are kept on the body (``rendered``), so
    that the checks see what the renderer saw, not what a second parser thinks; the
    cleaner then drops any relative address other than a fragment or an image."""
    converter = new_markdown()
    produced = converter.convert(source)
    rendered = _rendered(produced)
    markup = nh3.clean(
        produced,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(syntax.ALLOWED_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
        attribute_filter=_keep_attribute,
    )
    root = html.fragment_fromstring(markup, create_parent="div")
    body = shape(root, slug, language)
    body.rendered = rendered
    return body


def _rendered(produced: str) -> list[Rendered]:
    found = []
    root = html.fragment_fromstring(produced or "<p></p>", create_parent="div")
    for element in root.iter("a", "img"):
        cls = element.get("class") or ""
        if element.tag == "a":
            if element.get("href") is None or "footnote" in cls:
                continue  # Python-Markdown's own note links
            found.append(Rendered("link", element.get("href"), " ".join(element.text_content().split()), element.get("title")))
        else:
            found.append(Rendered("image", element.get("src") or "", (element.get("alt") or "").strip(), element.get("title")))
    return found


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's filter: a relative href or src is kept only as a fragment (#id) or an image
    of the manuscript (images/…); everything else the checks have already reported."""
    if attribute == "class" and element != "div":
        return value
    if (element, attribute) in (("a", "href"), ("img", "src")):
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            return value  # a scheme: nh3's url_schemes decides
        if value.startswith("#") or (element == "img" and value.startswith("images/") and ".." not in value.split("/")):
            return value
        return None
    return value


XREF_ATTRIBUTE = "data-xref"  # set after cleaning: a manuscript cannot write it
# the id at the end of a table's caption line: "Tabel: … {#niveaus}"
_CAPTION_ID = re.compile(r"\s*\{:?\s*#([A-Za-z][\w-]*)\s*\}\s*$")


def _prefix(slug: str, ident: str) -> str:
    return f"{slug}--{ident}"


def _text(element: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def shape(root: etree._Element, slug: str, language: str) -> Body:
    vocabulary = words(language)
    caption_keyword = TYPOGRAPHY[language].table_caption
    body = Body(root)

    # Footnotes: Python-Markdown's list at the end becomes a DPUB-ARIA endnotes section.
    notes = root.find("./div[@class='footnote']")
    numbers: dict[str, int] = {}
    if notes is not None:
        root.remove(notes)
        section = etree.Element("section", {"class": "footnotes", "role": "doc-endnotes"})
        heading = etree.SubElement(section, "h2", {"class": "footnotes-title"})
        heading.text = vocabulary["notes"]
        ordered = etree.SubElement(section, "ol")
        # Notes are numbered in the order they are first called, as print numbers them
        # (Python-Markdown numbers them in the order they are defined).
        first_calls = []
        for sup in root.iter("sup"):
            if sup.find("a[@class='footnote-ref']") is not None:
                label = sup.get("id").split(":", 1)[1]
                if label not in first_calls:
                    first_calls.append(label)
        items = list(notes.iter("li"))
        rank = {label: index for index, label in enumerate(first_calls)}
        items.sort(key=lambda li: rank.get(li.get("id").split(":", 1)[1], len(rank)))
        for number, item in enumerate(items, start=1):
            old = item.get("id")  # fn:label
            label = old.split(":", 1)[1]
            numbers[label] = number
            item.attrib.clear()
            item.set("id", f"fn-{number}")
            backrefs = [a for a in item.iter("a") if "footnote-backref" in (a.get("class") or "")]
            for extra in backrefs[1:]:
                drop(extra)
            for backref in backrefs[:1]:
                backref.attrib.clear()
                backref.set("href", f"#fnref-{number}")
                backref.set("role", "doc-backlink")
                backref.set("aria-label", vocabulary["back_to_text"])
                backref.text = vocabulary["back"]
            ordered.append(item)
            body.footnotes = number
        root.append(section)
    calls: dict[int, int] = {}
    for sup in list(root.iter("sup")):
        link = sup.find("a[@class='footnote-ref']")
        if link is None:
            continue
        label = sup.get("id").split(":", 1)[1]
        number = numbers[label]
        calls[number] = calls.get(number, 0) + 1
        # The first call of a note is its anchor; later calls of the same note repeat it.
        anchor = etree.Element(
            "a",
            {
                "class": "noteref" if calls[number] == 1 else "noteref repeat",
                "id": f"fnref-{number}" if calls[number] == 1 else f"fnref-{number}-{calls[number]}",
                "href": f"#fn-{number}",
                "role": "doc-noteref",
            },
        )
        anchor.text = str(number)
        new_sup = etree.Element("sup")
        new_sup.append(anchor)
        new_sup.tail = sup.tail
        sup.getparent().replace(sup, new_sup)

    # A way back from every call: a note called more than once gets one backlink per call
    # ("terug", "terug (2)" …), each labelled with the call it returns to.
    for item in root.xpath("./section[@role='doc-endnotes']/ol/li"):
        number = int(item.get("id").removeprefix("fn-"))
        count = calls.get(number, 0)
        first = item.xpath(".//a[@role='doc-backlink']")
        if count < 2 or not first:
            continue
        first[0].set("aria-label", vocabulary["back_to_call"].format(call=1, calls=count))
        previous = first[0]
        for call in range(2, count + 1):
            link = etree.Element(
                "a",
                {"href": f"#fnref-{number}-{call}", "role": "doc-backlink", "aria-label": vocabulary["back_to_call"].format(call=call, calls=count)},
            )
            link.text = f"{vocabulary['back']} ({call})"
            link.tail = previous.tail
            previous.tail = " "
            previous.addnext(link)
            previous = link

    # A note that is never called (warning B351) has nowhere to link back to.
    for item in root.xpath("./section[@role='doc-endnotes']/ol/li"):
        if calls.get(int(item.get("id").removeprefix("fn-")), 0) == 0:
            for backlink in item.xpath(".//a[@role='doc-backlink']"):
                drop(backlink)

    # Figures: an image alone in its paragraph.
    for paragraph in list(root.iter("p")):
        children = list(paragraph)
        if (
            len(children) == 1
            and children[0].tag == "img"
            and not (paragraph.text or "").strip()
            and not (children[0].tail or "").strip()
        ):
            image = children[0]
            figure = etree.Element("figure", {"class": "figure"})
            if image.get("id"):  # ![…](…){#tijdlijn}: the figure's id, for references to it
                figure.set("id", image.attrib.pop("id"))
            figure.tail = paragraph.tail
            image.tail = None
            caption = image.attrib.pop("title", None)
            figure.append(image)
            if caption:
                figcaption = etree.SubElement(figure, "figcaption")
                figcaption.text = caption
            paragraph.getparent().replace(paragraph, figure)
            body.figures += 1

    # Table captions: the paragraph "Tabel: …" right under a table.
    for table in list(root.iter("table")):
        following = table.getnext()
        body.tables += 1
        if following is None or following.tag != "p":
            continue
        text = following.text or ""
        if text.startswith(f"{caption_keyword}:"):
            caption = etree.Element("caption")
            caption.text = text[len(caption_keyword) + 1 :].lstrip()
            # "Tabel: … {#niveaus}", as a heading takes its id: the table's id, for references
            target = _CAPTION_ID.search(following[-1].tail or "" if len(following) else caption.text)
            if target:
                table.set("id", target.group(1))
                if len(following):
                    following[-1].tail = following[-1].tail[: target.start()]
                else:
                    caption.text = caption.text[: target.start()]
            for child in following:
                caption.append(child)
            table.insert(0, caption)
            parent = following.getparent()
            parent.remove(following)
        for cell in table.iter("th"):
            cell.set("scope", "col")

    # Blocks: semantic containers with a labelled heading.
    level = 1
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("h2", "h3", "h4", "h5") and element.getparent() is root:
            level = int(element.tag[1])
        if element.get("data-block"):
            _shape_block(element, min(level + 1, 6), vocabulary)

    # Cross-references stay symbolic (data-xref="slug" or "slug#id"): which document they
    # point into is known only when a volume is assembled (assemble.resolve_xrefs).
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href.lower().startswith(f"{syntax.XREF}:"):
            target = href[len(syntax.XREF) + 1 :]
            target_slug, _, fragment = target.partition("#")
            del link.attrib["href"]
            link.attrib.pop("class", None)
            link.set(XREF_ATTRIBUTE, f"{target_slug}#{_prefix(target_slug, fragment)}" if fragment else target_slug)
        elif href.startswith(("http:", "https:", "mailto:")):
            link.set("class", ((link.get("class") or "") + " external").strip())

    smarten_tree(root, language)

    # Headings and ids, after typography so that heading texts are final.
    for element in root.iter("h2", "h3", "h4", "h5", "h6"):
        if element.getparent() is root and element.get("id"):
            body.headings.append(Heading(int(element.tag[1]), element.get("id"), _text(element)))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            element.set("id", _prefix(slug, element.get("id")))
        href = element.get("href") or ""
        if element.tag == "a" and href.startswith("#"):
            element.set("href", "#" + _prefix(slug, href[1:]))
    for heading in body.headings:
        heading.id = _prefix(slug, heading.id)

    calls_of: dict[str, list[str]] = {}
    for link in root.iter("a"):
        if link.get("role") == "doc-noteref":
            calls_of.setdefault(link.get("href")[1:], []).append(link.get("id"))
    for item in root.xpath("./section[@role='doc-endnotes']/ol/li"):
        body.notes.append((item.get("id"), tuple(calls_of.get(item.get("id"), ()))))
    body.words = count_words(root)
    return body


def drop(element: etree._Element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent = element.getparent()
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _shape_block(element: etree._Element, level: int, vocabulary) -> None:
    name = element.attrib.pop("data-block")
    title = element.attrib.pop("data-title", None)
    if name not in syntax.BLOCK_NAMES:
        return  # reported by syntax.scan (B300); the build stops before any output
    element.tag = "aside"
    element.set("class", f"block {name}")
    if name == "citaat":
        element.set("role", "doc-pullquote")
        element.set("aria-label", vocabulary["citaat"])
        return
    element.set("role", "doc-tip" if name == "handreiking" else "note")
    label_word = vocabulary[name]
    if name == "kader" and not title:
        element.set("aria-label", label_word)
        return
    heading = etree.Element(f"h{level}", {"class": "block-title"})
    if name in ("dilemma", "handreiking"):
        label = etree.SubElement(heading, "span", {"class": "block-label"})
        label.text = label_word
        if title:
            label.tail = " "
            rest = etree.SubElement(heading, "span", {"class": "block-name"})
            rest.text = title
    else:
        heading.text = title
    element.insert(0, heading)


def count_words(root: etree._Element) -> int:
    """Words of the body: footnotes, note numbers and pull quotes (which repeat the text)
    are not counted."""
    total = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("role") in _UNCOUNTED or any(a.get("role") in _UNCOUNTED for a in element.iterancestors()):
            continue
        if element.get("class") == "block-label":  # generated ("Dilemma"), not written
            total += _words_in(element.tail) if element.getparent() is not None else 0
            continue
        total += _words_in(element.text)
        parent = element.getparent()
        if parent is not None and parent.get("role") not in _UNCOUNTED:
            total += _words_in(element.tail)
    return total


_UNCOUNTED = ("doc-endnotes", "doc-pullquote", "doc-noteref")


def _words_in(text: str | None) -> int:
    return len(re.findall(r"\w+(?:[\u2019'\-]\w+)*", text)) if text else 0
