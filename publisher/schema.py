"""JSON Schema validation of YAML documents, reported as diagnostics with positions."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from jsonschema import Draft202012Validator, FormatChecker

from .errors import Diagnostics, Location
from .yamlsource import YamlDocument


@cache
def validator(name: str) -> Draft202012Validator:
    text = resources.files("publisher.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _describe(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def validate(
    document: YamlDocument,
    schema_name: str,
    diagnostics: Diagnostics,
    path: str,
    codes: dict[str, str],
    line_offset: int = 0,
) -> bool:
    """Validate ``document`` against a packaged schema.

    ``codes`` maps 'unknown', 'type' and 'missing' to the diagnostic codes to use.
    ``line_offset`` is added to YAML line numbers (front matter starts below line 1).
    Returns True when the document is valid.
    """
    ok = True
    reported: set[tuple] = set()
    errors = sorted(
        validator(schema_name).iter_errors(document.data),
        key=lambda e: document.position(tuple(e.absolute_path)),
    )
    for error in errors:
        ok = False
        where = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - allowed, key=str):
                line, col = document.position(where + (key,), key=True)
                known = ", ".join(sorted(allowed))
                diagnostics.add(
                    codes["unknown"],
                    f"unknown key '{_describe(where + (key,))}' (allowed here: {known})",
                    Location(path, line + line_offset, col),
                )
            continue
        if error.validator == "required":
            missing = [k for k in error.validator_value if k not in (error.instance or {})]
            line, col = document.position(where)
            for key in missing:
                diagnostics.add(
                    codes["missing"],
                    f"required key '{_describe(where + (key,))}' is missing",
                    Location(path, line + line_offset, col),
                )
            continue
        if where in reported:
            continue  # one problem per value: a bad date fails both 'pattern' and 'format'
        reported.add(where)
        line, col = document.position(where)
        diagnostics.add(
            codes["type"],
            f"'{_describe(where)}': {_message(error)}",
            Location(path, line + line_offset, col),
        )
    return ok


def _message(error) -> str:
    kind = error.validator
    if kind == "type":
        return f"expected {error.validator_value}, found {type(error.instance).__name__} {error.instance!r}"
    if kind == "enum":
        options = ", ".join(repr(v) for v in error.validator_value)
        return f"{error.instance!r} is not one of {options}"
    if kind in ("pattern", "format"):
        # the schema's description says what form is expected ("a date written YYYY-MM-DD")
        return f"{error.instance!r} is not {error.schema.get('description', 'of the expected form')}"
    if kind in ("minItems", "minLength"):
        return "must not be empty"
    if kind == "minimum":
        return f"must be at least {error.validator_value}"
    return error.message
