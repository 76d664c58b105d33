"""Safe YAML loading that remembers where every key and value stands in the file.

Dates are kept as strings (the schema checks their form), so that the data can be validated
with JSON Schema; the typed model converts them afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


class _Refused(Exception):
    """An anchor, an alias or too deep a nesting, found while composing (with its mark)."""

    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader without the implicit timestamp type (a date stays the text it was) that
    refuses anchors, aliases and deep nesting while it composes: in one pass, before any
    value is built (a few bytes of aliases can stand for millions of values)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("YAML anchors and aliases (&name, *name) are not allowed here: write the value out", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# No implicit timestamps (dates are checked as text) and integers as YAML 1.2 reads them:
# decimal only, so that "number: 08" is 8 (YAML 1.1 would try octal) and 1_000 is text.
_INT = "tag:yaml.org,2002:int"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _INT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_constructor(_INT, lambda loader, node: int(loader.construct_scalar(node), 10))

# Bounded work: front matter and publication.yaml are small documents. Deeper nesting than
# this is a mistake (or an attack on the parser), and anchors and aliases are refused
# outright: a few bytes of aliases can stand for millions of values.
MAX_DEPTH = 20


@dataclass(frozen=True)
class YamlSyntaxError(Exception):
    message: str
    line: int  # 1-based, relative to the YAML text
    column: int


@dataclass
class YamlDocument:
    data: object
    # (path) -> (line, column) of the value; 1-based, relative to the YAML text
    values: dict
    # (path) -> (line, column) of the key that introduces the value
    keys: dict

    def position(self, path: tuple, key: bool = False) -> tuple[int, int]:
        """The closest known position for a path: the item itself, or its nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


def load(text: str, first_line: int = 1) -> YamlDocument:
    """Parse YAML text safely. Raises YamlSyntaxError with the position of the problem,
    counted in the file whose line ``first_line`` holds the text's first line."""
    shift = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {(): (1, 1)}, {})
        data = loader.construct_document(node)
    except _Refused as exc:
        raise YamlSyntaxError(exc.message, exc.mark.line + 1 + shift, exc.mark.column + 1) from None
    except yaml.MarkedYAMLError as exc:
        # The context (where the construct that went wrong began) is the line an editor
        # must fix: an unclosed '[' is reported where it opens, not where YAML gave up.
        # ... but for a block mapping or sequence (an indentation mistake) the context is
        # where the whole mapping began, and the problem mark is the faulty line.
        if exc.context and "flow" not in exc.context and exc.problem_mark:
            mark = exc.problem_mark
        else:
            mark = exc.context_mark or exc.problem_mark
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem_mark:
            where = exc.problem_mark
            problem = f"{exc.context}: {problem}"
            if mark is not where:
                problem += f" (line {where.line + 1 + shift}, column {where.column + 1})"
        line, col = (mark.line + 1 + shift, mark.column + 1) if mark else (first_line, 1)
        raise YamlSyntaxError(problem, line, col) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        raise YamlSyntaxError(str(exc), 1, 1) from None
    finally:
        loader.dispose()
    values: dict = {}
    keys: dict = {}
    _walk(node, (), values, keys, shift)
    return YamlDocument(data, values, keys)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node: yaml.Node, path: tuple, values: dict, keys: dict, shift: int) -> None:
    values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            if path + (key,) in keys:
                line, column = _mark(key_node)
                first = keys[path + (key,)][0]
                raise YamlSyntaxError(f"key '{key}' appears twice (first at line {first + shift})", line + shift, column)
            keys[path + (key,)] = _mark(key_node)
            _walk(value_node, path + (key,), values, keys, shift)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), values, keys, shift)
