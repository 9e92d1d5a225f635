"""Pydantic's validation errors in plain words, located by a dotted field path.

Catalogs are written by registrars, not programmers: "must be at least 0, got -450" reads better
than "Input should be greater than or equal to 0", and a path like ``skills[2].uri`` (positions
count from 0) points into the file the way the user wrote it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from assistant.core.errors import DataIssue

_PATTERN_HINTS = {
    "country": "a two-letter ISO 3166 country code in capitals, such as 'US'",
    "currency": "a three-letter ISO 4217 currency code in capitals, such as 'USD'",
    "language": "a two-letter lowercase ISO 639-1 language code, such as 'en'",
    "uri": "an ESCO skill URI starting with http://data.europa.eu/esco/skill/",
    "url": "a web address starting with http:// or https://",
    "id": "an id of letters, digits and . _ : / - that starts with a letter or digit",
    "target_id": "an id of letters, digits and . _ : / - that starts with a letter or digit",
}
_TYPE_WORDS = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping of field: value",
    "model_type": "a mapping of field: value",
    "model_attributes_type": "a mapping of field: value",
}
# Model-level rules fail at the record (empty location); name the field the rule is about.
_RULE_FIELDS = {"stack into itself": "stacks_into", "own prerequisite": "prerequisites"}


def field_path(loc: Sequence[int | str], prefix: str = "") -> str:
    """``('skills', 2, 'uri')`` → ``skills[2].uri``; a prefix such as ``institution`` goes in front."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def show(value: object, limit: int = 60) -> str:
    """A short repr of a user's value for a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def suggest(word: str, choices: Collection[str], cutoff: float = 0.6) -> str:
    """A "did you mean" tail for a near miss, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=2, cutoff=cutoff)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def plain_message(error: ErrorDetails, known_fields: Collection[str] = ()) -> str:
    """One pydantic error in plain words, with the offending value where it helps."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    last = next((p for p in reversed(error["loc"]) if isinstance(p, str)), "")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return f"unknown field {last!r}{suggest(last, known_fields)}"
    if kind == "enum":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{show(value)} is not allowed; use one of: {', '.join(allowed)}{suggest(str(value), allowed)}"
    if kind == "literal_error":
        return f"{show(value)} is not allowed; expected {ctx.get('expected')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return _bound_message(kind, ctx, value)
    if kind == "string_pattern_mismatch":
        wanted = _PATTERN_HINTS.get(last, f"text matching {ctx.get('pattern')}")
        return f"{show(value)} is not {wanted}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"has too many items: at most {ctx.get('max_length')}"
    if kind in _TYPE_WORDS:
        return _type_message(_TYPE_WORDS[kind], value)
    if kind in ("value_error", "assertion_error"):
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return str(error["msg"])


def _bound_message(kind: str, ctx: dict[str, Any], value: object) -> str:
    words = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    phrase, key = words[kind]
    bound = ctx.get(key)
    shown = f"{bound:g}" if isinstance(bound, float) else str(bound)
    extra = " (it cannot be negative)" if kind == "greater_than_equal" and shown == "0" else ""
    return f"must be {phrase} {shown}{extra}, got {show(value)}"


def _type_message(expected: str, value: object) -> str:
    message = f"expected {expected}, got {show(value)}"
    if expected == "text" and isinstance(value, (bool, int, float)):
        # YAML reads NO, yes, on, 101 and 2024-01 as booleans or numbers unless quoted.
        message += " (put the value in quotes in YAML)"
    return message


def issues_from_error(
    exc: ValidationError | Sequence[ErrorDetails],
    *,
    file: str,
    row: int | None = None,
    record_id: str | None = None,
    prefix: str = "",
    known_fields: Collection[str] = (),
    hint: Callable[[str], str | None] | None = None,
) -> list[DataIssue]:
    """One DataIssue per pydantic error; ``hint`` may add context for a path (a CSV column)."""
    errors = exc.errors(include_url=False) if isinstance(exc, ValidationError) else exc
    issues = []
    for error in errors:
        message = plain_message(error, known_fields)
        path = field_path(error["loc"], prefix)
        if not error["loc"]:
            path = next((f for phrase, f in _RULE_FIELDS.items() if phrase in message), path)
        extra = hint(path) if hint and path else None
        if extra:
            message += f" ({extra})"
        issues.append(DataIssue(file=file, row=row, record_id=record_id, field=path or None, message=message))
    return issues
