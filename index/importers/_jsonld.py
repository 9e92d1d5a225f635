"""Reading JSON-LD the way CTDL is published in practice, into one graph of nodes.

Published CTDL comes compacted (``ceterms:name``), with bare keys (``name``), fully expanded
(``https://purl.org/ctdl/terms/name`` with ``[{"@value": ...}]``), inside verifiable credentials
(``id``/``type`` aliases), inside registry envelopes, and as several documents pasted into one
file. Hand-edited samples also carry syntax slips. So this module:

* parses a file as one document, or several concatenated ones, and when a document is not valid
  JSON salvages its ``@graph`` (or top-level array) element by element, so one broken node costs
  that node only (reported with line and column);
* normalizes every node to local property names (the part after the last ``:``, ``/`` or ``#``)
  with list values, language maps and ``@value`` objects turned into :class:`Text`, and
  ``{"@id": ...}`` objects into :class:`Ref`;
* indexes nodes by ``@id`` and CTID so references resolve across every file read together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

CTID_RE = re.compile(r"ce-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_SCALAR_END = frozenset(",:]}{[ \t\r\n")


@dataclass(frozen=True)
class Broken:
    """A document or graph element that is not valid JSON; ``message`` says where."""

    message: str


@dataclass(frozen=True)
class Text:
    """A string with its language tag, if the source gave one."""

    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Ref:
    """A reference to another node by ``@id``."""

    id: str


@dataclass(eq=False)
class Node:
    """One JSON-LD node: local type names, ``@id`` and local property name → values."""

    types: tuple[str, ...]
    id: str | None
    props: dict[str, list[Any]]
    file: str
    row: int
    ctid: str | None = None

    def values(self, prop: str) -> list[Any]:
        return self.props.get(prop, [])

    def has(self, prop: str) -> bool:
        return bool(self.props.get(prop))

    def is_a(self, *types: str) -> bool:
        return any(t in self.types for t in types)


@dataclass
class Graph:
    """Every node read, indexed by ``@id`` and CTID; later definitions fill gaps in earlier ones."""

    nodes: list[Node] = field(default_factory=list)
    by_id: dict[str, Node] = field(default_factory=dict)
    by_ctid: dict[str, Node] = field(default_factory=dict)

    def add(self, node: Node) -> Node:
        """Register ``node``; a second definition of the same ``@id`` merges into the first."""
        known = self.by_id.get(node.id) if node.id else None
        if known is not None:
            for prop, values in node.props.items():
                known.props.setdefault(prop, values)
            known.types = known.types or node.types
            return known
        self.nodes.append(node)
        if node.id:
            self.by_id[node.id] = node
        if node.ctid:
            self.by_ctid.setdefault(node.ctid.lower(), node)
        return node

    def resolve(self, value: Any) -> Node | None:
        """The node a value stands for: an embedded node, or one found by ``@id`` or by CTID."""
        if isinstance(value, Node):
            return value
        key = value.id if isinstance(value, Ref) else value.value if isinstance(value, Text) else value
        if not isinstance(key, str):
            return None
        if key in self.by_id:
            return self.by_id[key]
        ctid = ctid_of(key)
        return self.by_ctid.get(ctid.lower()) if ctid else None


def local_name(term: str) -> str:
    """``ceterms:name``, ``https://purl.org/ctdl/terms/name``, ``:name`` → ``name``."""
    stripped = term.rstrip("/#")
    for sep in ("#", "/", ":"):
        stripped = stripped.rsplit(sep, 1)[-1]
    return stripped or term


def ctid_of(iri: str | None) -> str | None:
    """The CTID at the end of a registry IRI (``res:ce-…``, ``…/resources/ce-…``), if any."""
    if not iri:
        return None
    match = CTID_RE.search(iri)
    return match.group(0).lower() if match and iri.lower().endswith(match.group(0).lower()) else None


# -- reading ---------------------------------------------------------------------------------------


def read_documents(text: str) -> list[Any]:
    """Every JSON document in ``text``; unparseable ones salvaged or returned as :class:`Broken`."""
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        pass
    return [_document(text, start, end) for start, end in _value_spans(text, 0, len(text))]


def _document(text: str, start: int, end: int) -> Any:
    chunk = text[start:end]
    try:
        return json.loads(chunk)
    except json.JSONDecodeError as exc:
        whole = Broken(_where(text, start + exc.pos, exc.msg))
    if chunk.startswith("["):
        return _salvage_array(text, start + 1, end - 1)
    if chunk.startswith("{"):
        return _salvage_object(text, start + 1, end - 1) or whole
    return whole


def _salvage_object(text: str, start: int, end: int) -> dict[str, Any] | None:
    """Members of a broken object that parse, with its ``@graph`` salvaged element by element."""
    spans = _value_spans(text, start, end)
    salvaged: dict[str, Any] = {}
    for (k_start, k_end), (v_start, v_end) in zip(spans[::2], spans[1::2], strict=False):
        try:
            key = json.loads(text[k_start:k_end])
        except json.JSONDecodeError:
            continue
        if key == "@graph" and text.startswith("[", v_start):
            salvaged[key] = _salvage_array(text, v_start + 1, v_end - 1)
            continue
        try:
            salvaged[str(key)] = json.loads(text[v_start:v_end])
        except json.JSONDecodeError:
            continue
    return salvaged if "@graph" in salvaged else None


def _salvage_array(text: str, start: int, end: int) -> list[Any]:
    items: list[Any] = []
    for v_start, v_end in _value_spans(text, start, end):
        try:
            items.append(json.loads(text[v_start:v_end]))
        except json.JSONDecodeError as exc:
            items.append(Broken(_where(text, v_start + exc.pos, exc.msg)))
    return items


def _where(text: str, pos: int, msg: str) -> str:
    line = text.count("\n", 0, pos) + 1
    column = pos - text.rfind("\n", 0, pos)
    return f"not valid JSON at line {line}, column {column}: {msg}"


def _value_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the top-level values between ``start`` and ``end``; commas and colons are skipped."""
    spans: list[tuple[int, int]] = []
    i = start
    while i < end:
        if text[i] in " \t\r\n,:":
            i += 1
            continue
        stop = min(_skip_value(text, i), end)
        spans.append((i, stop))
        i = max(stop, i + 1)
    return spans


def _skip_value(text: str, i: int) -> int:
    """Index just past the value starting at ``i``: a balanced container, a string or a scalar."""
    if text[i] == '"':
        return _skip_string(text, i)
    if text[i] not in "{[":
        j = i
        while j < len(text) and text[j] not in _SCALAR_END:
            j += 1
        return max(j, i + 1)
    depth, j = 0, i
    while j < len(text):
        char = text[j]
        if char == '"':
            j = _skip_string(text, j)
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(text)


def _skip_string(text: str, i: int) -> int:
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == '"':
            return j + 1
        j += 1
    return len(text)


# -- normalizing -----------------------------------------------------------------------------------


def top_level(document: Any) -> Iterator[Any]:
    """The elements a document lists: its ``@graph``, its array, or itself (envelopes unwrapped)."""
    if isinstance(document, list):
        yield from document
        return
    if isinstance(document, dict) and isinstance(document.get("decoded_resource"), dict):
        document = document["decoded_resource"]
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        yield from document["@graph"]
    else:
        yield document


def to_node(obj: dict[str, Any], graph: Graph, file: str, row: int) -> Node:
    """Normalize ``obj`` (and every node nested in it) and register them in ``graph``."""
    raw_id = obj.get("@id", obj.get("id"))
    raw_types = obj.get("@type", obj.get("type", []))
    types = tuple(local_name(str(t)) for t in (raw_types if isinstance(raw_types, list) else [raw_types]))
    props: dict[str, list[Any]] = {}
    for key, value in obj.items():
        if key in ("@id", "id", "@type", "type", "@context", "@graph"):
            continue
        props.setdefault(local_name(key), []).extend(_values(value, graph, file, row))
    node_id = str(raw_id) if isinstance(raw_id, str | int) else None
    ctids = [v.value if isinstance(v, Text) else v for v in props.get("ctid", [])]
    ctid = next((c.lower() for c in ctids if isinstance(c, str) and CTID_RE.fullmatch(c)), None)
    return graph.add(Node(types, node_id, props, file, row, ctid or ctid_of(node_id)))


def _values(value: Any, graph: Graph, file: str, row: int) -> list[Any]:
    if isinstance(value, list):
        return [item for element in value for item in _values(element, graph, file, row)]
    if isinstance(value, str):
        return [Text(value)]
    if not isinstance(value, dict):
        return [value]
    if "@value" in value:
        inner = value["@value"]
        return [Text(inner, value.get("@language")) if isinstance(inner, str) else inner]
    if _is_language_map(value):
        return [Text(text, lang) for lang, texts in value.items() for text in _strings(texts)]
    if set(value) <= {"@id", "id"} and isinstance(value.get("@id", value.get("id")), str):
        return [Ref(str(value.get("@id", value.get("id"))))]
    return [to_node(value, graph, file, row)]


def _is_language_map(value: dict[str, Any]) -> bool:
    return bool(value) and all(
        _LANG_TAG.match(key) and all(isinstance(t, str) for t in _as_list(texts))
        for key, texts in value.items()
    )


def _strings(value: Any) -> list[str]:
    return [item for item in _as_list(value) if isinstance(item, str)]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
