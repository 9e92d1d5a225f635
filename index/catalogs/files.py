"""The native catalog format, ``stackwise-catalog/1``, as YAML or JSON (same structure).

A document holds ``format``, ``institution``, optional ``defaults`` merged under every record,
and ``credentials``; see ``index/data/catalogs/FORMAT.md``. Issues cite the 1-based position of
a record in ``credentials`` as its row.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from assistant.core.catalog import Catalog
from assistant.core.errors import CatalogValidationError, DataIssue
from index.catalogs.messages import show, suggest
from index.catalogs.records import (
    CREDENTIAL_FIELDS,
    RawRecord,
    SharedValues,
    assemble_catalog,
    parse_institution,
)
from index.catalogs.source import DEFAULT_MAX_BYTES, decode, parse_json, parse_yaml, read_limited

FORMAT = "stackwise-catalog/1"
TOP_LEVEL_KEYS = ("format", "institution", "defaults", "credentials")


def parse_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The parsed YAML or JSON document; the parser is chosen by the file's extension."""
    text = decode(read_limited(path, max_bytes), "utf-8-sig", str(path))
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def read_catalog_file(
    path: Path, *, known_skill_uris: Collection[str] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Catalog:
    """Load a YAML/JSON catalog, all or nothing."""
    return catalog_from_document(
        parse_document(path, max_bytes), str(path), known_skill_uris=known_skill_uris
    )


def catalog_from_document(
    document: object, file: str, *, known_skill_uris: Collection[str] | None = None
) -> Catalog:
    """Validate a parsed document; public so that other sources (an API body) share the rules."""
    document = _envelope(document, file)
    issues: list[DataIssue] = []
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            message = f"unknown top-level key {key!r}; a catalog has {', '.join(TOP_LEVEL_KEYS)}"
            issues.append(
                DataIssue(file=file, field=str(key), message=message + suggest(str(key), TOP_LEVEL_KEYS))
            )
    institution, institution_issues = parse_institution(document.get("institution"), file)
    issues += institution_issues
    defaults, default_issues = _defaults(document.get("defaults"), file)
    issues += default_issues
    records, record_issues = _records(document.get("credentials"), file)
    issues += record_issues
    return assemble_catalog(
        file=file,
        institution=institution,
        records=records,
        shared=[SharedValues(defaults, file, "defaults")],
        issues=issues,
        known_skill_uris=known_skill_uris,
    )


def _envelope(document: object, file: str) -> Mapping[str, Any]:
    """Stop early when the document is not a catalog of a version this code reads."""

    def fail(message: str, field: str | None = None) -> CatalogValidationError:
        return CatalogValidationError(
            [DataIssue(file=file, field=field, message=message)], f"cannot read {file}"
        )

    if not isinstance(document, Mapping):
        got = "an empty document" if document is None else f"a {type(document).__name__}"
        raise fail(f"a catalog must be a mapping with keys {', '.join(TOP_LEVEL_KEYS)}; got {got}")
    declared = document.get("format")
    if declared is None:
        raise fail(
            f"missing 'format: {FORMAT}' (it says which catalog format version the file uses)", "format"
        )
    if declared != FORMAT:
        raise fail(f"unsupported format {declared!r}; this version of Stackwise reads {FORMAT!r}", "format")
    return document


def _defaults(raw: object, file: str) -> tuple[dict[str, Any], list[DataIssue]]:
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, [
            DataIssue(file=file, field="defaults", message="'defaults' must be a mapping of field: value")
        ]
    issues = []
    kept: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "id":
            issues.append(DataIssue(file=file, field="defaults.id", message="ids cannot have a default"))
        elif key not in CREDENTIAL_FIELDS:
            message = f"unknown credential field {key!r}{suggest(str(key), CREDENTIAL_FIELDS)}"
            issues.append(DataIssue(file=file, field=f"defaults.{key}", message=message))
        else:
            kept[key] = value
    return kept, issues


def _records(raw: object, file: str) -> tuple[list[RawRecord], list[DataIssue]]:
    if raw is None:
        return [], [
            DataIssue(file=file, field="credentials", message="missing 'credentials' (a list of records)")
        ]
    if not isinstance(raw, list):
        message = f"'credentials' must be a list of records; got a {type(raw).__name__}"
        return [], [DataIssue(file=file, field="credentials", message=message)]
    if not raw:
        return [], [DataIssue(file=file, field="credentials", message="the catalog lists no credentials")]
    records = []
    issues = []
    for row, item in enumerate(raw, start=1):
        if isinstance(item, Mapping):
            records.append(RawRecord(row=row, data=item))
        else:
            message = f"each credential must be a mapping of field: value; got {show(item)}"
            issues.append(DataIssue(file=file, row=row, message=message))
    return records, issues
