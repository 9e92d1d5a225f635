"""Reading a catalog source safely: a size limit, decoding with a located error, YAML/JSON parsing.

Failures here stop a load before any record is looked at: a missing or oversized file is a
:class:`DataSourceError` (nothing to validate), broken text or syntax is a
:class:`CatalogValidationError` whose issue gives line and column, so the fix is one jump away.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from assistant.core.errors import CatalogValidationError, DataIssue, DataSourceError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_MERGE_TAG = "tag:yaml.org,2002:merge"


def read_limited(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, refusing anything over ``max_bytes`` before reading it into memory."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataSourceError(
                f"{path}: file is {_size(size)}, over the {_size(max_bytes)} limit for catalog files; "
                "split the catalog or raise max_bytes"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise DataSourceError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataSourceError(f"{path}: is a directory, not a catalog file") from None
    except OSError as exc:
        raise DataSourceError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise DataSourceError(f"{path}: file grew past the {_size(max_bytes)} limit while reading")
    return data


def _size(n: int) -> str:
    if n >= 1_048_576:
        return f"{n / 1_048_576:.3g} MB"
    return f"{n / 1024:.3g} KB" if n >= 1024 else f"{n} bytes"


def decode(data: bytes, encoding: str, file: str) -> str:
    """Text of the file; a bad byte is reported with its line, since exports often mix encodings."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"line {line}: byte {data[exc.start : exc.start + 1]!r} is not valid {encoding} text"
        raise syntax_error(file, f"{message}; save the file as {encoding} or set the encoding") from None
    except LookupError:
        raise DataSourceError(f"{file}: unknown text encoding {encoding!r}") from None


def syntax_error(file: str, message: str) -> CatalogValidationError:
    return CatalogValidationError([DataIssue(file=file, message=message)], f"cannot read {file}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses repeated keys: plain YAML keeps the last one and hides the typo."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable):
                if key in seen:
                    raise ConstructorError(None, None, f"found duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep)


def parse_yaml(text: str, file: str) -> Any:
    """Parse YAML (safe subset, unique keys) or raise with line and column of the problem."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise syntax_error(file, f"YAML syntax error{where}: {problem}") from None
    except yaml.YAMLError as exc:
        raise syntax_error(file, f"YAML syntax error: {exc}") from None


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r} in a JSON object")
        result[key] = value
    return result


def parse_json(text: str, file: str) -> Any:
    """Parse JSON (unique keys) or raise with line and column of the problem."""
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise syntax_error(
            file, f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError as exc:
        raise syntax_error(file, f"JSON error: {exc}") from None
