"""An institution's own CSV export, read through a YAML column mapping instead of code changes.

The mapping names which column feeds which Credential field, fixed values, list separators,
value translations ("In person" → onsite) and the institution; ``CsvMapping`` validates it
strictly so a typo in the mapping is reported, not silently ignored. Rows are reshaped into
Credential-shaped records and validated by :mod:`index.catalogs.records`; issues cite the line
of the file (the header is row 1) and name the column the bad value came from.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.core.catalog import Catalog
from assistant.core.errors import CatalogValidationError, DataIssue
from assistant.core.models import CreditUnit, Institution
from index.catalogs.messages import issues_from_error, show, suggest
from index.catalogs.records import (
    CREDENTIAL_FIELDS,
    RawRecord,
    SharedValues,
    assemble_catalog,
    nest,
    set_path,
)
from index.catalogs.source import DEFAULT_MAX_BYTES, decode, parse_yaml, read_limited, syntax_error

MAPPING_FORMAT = "stackwise-csv-mapping/1"
LIST_TARGETS = frozenset(
    {"learning_outcomes", "skills", "prerequisites", "stacks_into", "stack_requirement.required_ids"}
)
NESTED_TARGETS = frozenset(
    {
        "cost.amount",
        "cost.currency",
        "stack_requirement.credits_required",
        "stack_requirement.credit_unit",
        "stack_requirement.additional_credits",
    }
)
NUMERIC_TARGETS = frozenset(
    {
        "cost",
        "cost.amount",
        "workload_hours",
        "ects",
        "eqf_level",
        "duration_weeks",
        "stack_requirement.credits_required",
        "stack_requirement.additional_credits",
    }
)
SCALAR_TARGETS = (CREDENTIAL_FIELDS - LIST_TARGETS - {"stack_requirement"}) | NESTED_TARGETS
TARGETS = SCALAR_TARGETS | LIST_TARGETS
_CURRENCY_SIGNS = "$€£¥"


def _check_targets(keys: Collection[str], allowed: Collection[str], what: str, note: str = "") -> None:
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise ValueError("; ".join(f"unknown {what} {k!r}{suggest(k, allowed) or note}" for k in unknown))


class CsvMapping(BaseModel):
    """How the columns of one CSV export become catalog records (see FORMAT.md for an example)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["stackwise-csv-mapping/1"] = "stackwise-csv-mapping/1"
    institution: Institution
    encoding: str = "utf-8-sig"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    list_separator: str = Field(default=";", min_length=1)
    list_separators: dict[str, str] = Field(default_factory=dict)
    columns: dict[str, str] = Field(min_length=1)
    constants: dict[str, Any] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)
    value_maps: dict[str, dict[str, str]] = Field(default_factory=dict)
    credit_unit: CreditUnit = CreditUnit.ECTS
    thousands_separator: str = ""

    @field_validator("columns", "constants", "defaults", "value_maps")
    @classmethod
    def _known_targets(cls, value: dict[str, Any]) -> dict[str, Any]:
        _check_targets(value, TARGETS | {"cost", "stack_requirement"}, "credential field")
        return value

    @field_validator("list_separators")
    @classmethod
    def _list_targets(cls, value: dict[str, str]) -> dict[str, str]:
        _check_targets(
            value, LIST_TARGETS, "list field", f" (list fields: {', '.join(sorted(LIST_TARGETS))})"
        )
        if any(not sep for sep in value.values()):
            raise ValueError("a list separator must not be empty")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(
                f"unknown text encoding {value!r} (try utf-8, utf-8-sig, cp1252 or latin-1)"
            ) from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CsvMapping:
        if "id" not in self.columns:
            raise ValueError("columns must map 'id' to the column holding each credential's code")
        both = sorted(set(self.columns) & set(self.constants))
        if both:
            raise ValueError(f"{', '.join(both)} cannot be both a column and a constant")
        return self

    def separator(self, target: str) -> str:
        return self.list_separators.get(target, self.list_separator)

    def translate(self, target: str, value: str) -> str:
        """Apply ``value_maps``: exact match first, then ignoring case; unmapped values pass through."""
        table = self.value_maps.get(target)
        if not table:
            return value
        if value in table:
            return table[value]
        folded = {key.casefold(): mapped for key, mapped in table.items()}
        return folded.get(value.casefold(), value)

    def number(self, value: str) -> str:
        """A cell such as ``$1,250.00`` as ``1250.00``; pydantic then reads it as a number."""
        value = value.strip().lstrip(_CURRENCY_SIGNS).strip()
        return value.replace(self.thousands_separator, "") if self.thousands_separator else value


def load_mapping(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> CsvMapping:
    """Read and validate a mapping file; every problem in it is reported at once."""
    file = str(path)
    document = parse_yaml(decode(read_limited(path, max_bytes), "utf-8-sig", file), file)
    if not isinstance(document, Mapping):
        raise syntax_error(file, "a column mapping must be a YAML mapping (columns:, institution:, …)")
    try:
        return CsvMapping.model_validate(document)
    except ValidationError as exc:
        issues = issues_from_error(exc, file=file, known_fields=CsvMapping.model_fields.keys())
        raise CatalogValidationError(issues, f"column mapping {file} rejected") from None


class _RowReader:
    """Turns one CSV row into a Credential-shaped record, noting the column of each value."""

    def __init__(self, mapping: CsvMapping, positions: Mapping[str, int], file: str) -> None:
        self.mapping = mapping
        self.positions = positions  # target -> index of its column
        self.file = file

    def hint(self, path: str) -> str | None:
        """``skills[2].uri`` → "column 'ESCO Skills', item 3": the registrar thinks in columns."""
        for target in sorted(self.mapping.columns, key=len, reverse=True):
            if path == target or path.startswith((target + ".", target + "[")):
                where = f"column {self.mapping.columns[target]!r}"
                rest = path[len(target) :]
                if rest.startswith("[") and target in LIST_TARGETS:
                    where += f", item {int(rest[1 : rest.index(']')]) + 1}"
                return where
        return None

    def record(self, cells: list[str], row: int) -> RawRecord:
        data: dict[str, Any] = {}
        issues: list[DataIssue] = []
        for target, position in self.positions.items():
            cell = cells[position].strip() if position < len(cells) else ""
            if not cell:
                continue
            if target in LIST_TARGETS:
                items = [item.strip() for item in cell.split(self.mapping.separator(target))]
                values = [self.mapping.translate(target, item) for item in items if item]
                if target == "stacks_into":
                    values = [self._stack_rule(item, k, row, issues) for k, item in enumerate(values)]
                set_path(data, target, values)
            else:
                value = self.mapping.translate(target, cell)
                set_path(data, target, self.mapping.number(value) if target in NUMERIC_TARGETS else value)
        requirement = data.get("stack_requirement")
        if isinstance(requirement, dict):
            requirement.setdefault("credit_unit", self.mapping.credit_unit.value)
        record_id = RawRecord(row=row, data=data).record_id
        return RawRecord(
            row=row, data=data, issues=tuple(i.model_copy(update={"record_id": record_id}) for i in issues)
        )

    def _stack_rule(self, item: str, k: int, row: int, issues: list[DataIssue]) -> Any:
        """``TARGET:credit`` (split at the last colon, since ids may contain colons)."""
        target, sep, credit = item.rpartition(":")
        if not sep or not target.strip() or not credit.strip():
            where = self.hint(f"stacks_into[{k}]")
            message = f"expected TARGET:credit such as 'CERT-1:3', got {show(item)} ({where})"
            issues.append(DataIssue(file=self.file, row=row, field=f"stacks_into[{k}]", message=message))
            return item
        unit = self.mapping.credit_unit.value
        return {"target_id": target.strip(), "credit": self.mapping.number(credit), "credit_unit": unit}


def _locate_columns(mapping: CsvMapping, header: list[str], file: str) -> dict[str, int]:
    """Index of each mapped column; exact name first, then ignoring case and spaces around it."""
    names = [name.strip() for name in header]
    exact = {name: i for i, name in reversed(list(enumerate(names)))}
    folded = {name.casefold(): i for i, name in reversed(list(enumerate(names)))}
    positions: dict[str, int] = {}
    issues = []
    for target, column in mapping.columns.items():
        position = exact.get(column.strip(), folded.get(column.strip().casefold()))
        if position is None:
            message = f"column {column!r} (for {target}) is not in the header{suggest(column, names)}"
            issues.append(DataIssue(file=file, row=1, field=target, message=message))
        elif names.count(names[position]) > 1:
            message = f"column {column!r} (for {target}) appears more than once in the header"
            issues.append(DataIssue(file=file, row=1, field=target, message=message))
        else:
            positions[target] = position
    if issues:
        raise CatalogValidationError(issues, f"catalog {file} rejected, nothing was loaded")
    return positions


def read_csv_catalog(
    path: Path,
    mapping_path: Path,
    *,
    known_skill_uris: Collection[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Catalog:
    """Load a CSV export through its mapping, all or nothing."""
    mapping = load_mapping(mapping_path, max_bytes)
    file = str(path)
    text = decode(read_limited(path, max_bytes), mapping.encoding, file)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    rows: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        raise syntax_error(file, f"CSV error at line {reader.line_num}: {exc}") from None
    if not rows:
        raise syntax_error(file, "the file is empty: expected a header row and one row per credential")
    (_, header), body = rows[0], rows[1:]
    rows_reader = _RowReader(mapping, _locate_columns(mapping, header, file), file)
    issues = []
    if not body:
        issues.append(DataIssue(file=file, message="the file has a header but no credential rows"))
    for row, cells in body:
        if len(cells) > len(header):
            message = (
                f"row has {len(cells)} cells but the header has {len(header)} columns (a stray delimiter?)"
            )
            issues.append(DataIssue(file=file, row=row, message=message))
    return assemble_catalog(
        file=file,
        institution=mapping.institution,
        records=[rows_reader.record(cells, row) for row, cells in body],
        shared=[
            SharedValues(nest(mapping.constants), str(mapping_path), "constants"),
            SharedValues(nest(mapping.defaults), str(mapping_path), "defaults"),
        ],
        issues=issues,
        known_skill_uris=known_skill_uris,
        hint=rows_reader.hint,
    )
