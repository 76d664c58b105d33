"""SVG figures by allowlist: parsed, checked and re-serialised before any output sees them.

A figure is a self-contained drawing. It is parsed without a document type or entities,
with no processing instructions; only known SVG elements and attributes are allowed;
styles (the ``style`` attribute and ``<style>`` elements) are tokenised with tinycss2 and
any ``@``-rule or ``url()`` other than a reference inside the drawing (``url(#id)``) is
refused. What the writers embed is the re-serialised, checked tree (comments dropped),
never the original bytes.
"""

from __future__ import annotations

import tinycss2
from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset(
    """svg g defs title desc metadata rect circle ellipse line polyline polygon path text tspan
    marker linearGradient radialGradient stop clipPath mask pattern symbol use style""".split()
)
ATTRIBUTES = frozenset(
    """id class style role aria-label aria-labelledby aria-describedby aria-hidden lang tabindex focusable
    version baseProfile viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry d points
    transform pathLength dx dy rotate textLength lengthAdjust text-anchor dominant-baseline alignment-baseline
    baseline-shift font-family font-size font-weight font-style font-variant font-stretch letter-spacing
    word-spacing text-decoration writing-mode fill fill-opacity fill-rule stroke stroke-width stroke-opacity
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity color
    display visibility overflow clip-path clip-rule mask marker-start marker-mid marker-end refX refY
    markerWidth markerHeight markerUnits orient offset stop-color stop-opacity gradientUnits
    gradientTransform spreadMethod fx fy fr patternUnits patternContentUnits patternTransform
    clipPathUnits maskUnits maskContentUnits href type media shape-rendering text-rendering
    vector-effect paint-order""".split()
)
NAMESPACED = frozenset({f"{{{XLINK_NS}}}href", f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang"})


class SvgProblem(ValueError):
    """Why a figure may not be used: a sentence that follows the file's name."""


def clean(data: bytes) -> bytes:
    """The checked, re-serialised SVG; raises SvgProblem."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, remove_comments=True, huge_tree=False
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise SvgProblem(f"is not well-formed XML ({exc.msg})") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SvgProblem("declares a document type or entities")
    root = tree.getroot()
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgProblem("is not an SVG drawing (its root is not <svg>)")
    sibling = root.getprevious()
    while sibling is not None:
        if isinstance(sibling, etree._ProcessingInstruction):
            raise SvgProblem(f"contains a processing instruction (<?{sibling.target} …?>)")
        sibling = sibling.getprevious()
    for node in root.iter():
        if isinstance(node, etree._ProcessingInstruction):
            raise SvgProblem(f"contains a processing instruction (<?{node.target} …?>)")
        if isinstance(node, etree._Entity):
            raise SvgProblem(f"uses the entity &{node.name};")
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node)
        if name.namespace != SVG_NS or name.localname not in ELEMENTS:
            raise SvgProblem(f"contains <{name.localname}>, which a figure may not use")
        for attribute, value in node.attrib.items():
            if attribute.startswith("{"):
                if attribute not in NAMESPACED:
                    raise SvgProblem(f"sets the attribute '{etree.QName(attribute).localname}' on <{name.localname}>")
            elif attribute not in ATTRIBUTES:
                raise SvgProblem(f"sets the attribute '{attribute}' on <{name.localname}>")
            if attribute in ("href", f"{{{XLINK_NS}}}href") and not value.startswith("#"):
                raise SvgProblem(f"refers to '{value}' outside the file")
            if attribute == "style":
                _check_declarations(value)
            elif "(" in value:
                _check_value(tinycss2.parse_component_value_list(value))
        if name.localname == "style":
            _check_stylesheet(node.text or "")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _check_stylesheet(text: str) -> None:
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule":
            raise SvgProblem(f"has a style rule '@{rule.at_keyword}', which a figure may not use")
        if rule.type == "error":
            raise SvgProblem(f"has a style that cannot be read ({rule.message})")
        if rule.type == "qualified-rule":
            _check_value(rule.prelude)
            _check_declarations(rule.content)


def _check_declarations(source) -> None:
    for declaration in tinycss2.parse_declaration_list(source, skip_comments=True, skip_whitespace=True):
        if declaration.type == "at-rule":
            raise SvgProblem(f"has a style rule '@{declaration.at_keyword}', which a figure may not use")
        if declaration.type == "declaration":
            _check_value(declaration.value)


def _check_value(tokens) -> None:
    for token in tokens:
        if token.type == "url" and not token.value.startswith("#"):
            raise SvgProblem(f"loads 'url({token.value})' from outside the file")
        if token.type == "function":
            if token.lower_name == "url":
                argument = tinycss2.serialize(token.arguments).strip().strip("'\"")
                if not argument.startswith("#"):
                    raise SvgProblem(f"loads 'url({argument})' from outside the file")
            _check_value(token.arguments)
        if token.type in ("() block", "[] block", "{} block"):
            _check_value(token.content)
