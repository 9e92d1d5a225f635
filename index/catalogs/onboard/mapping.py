"""The onboarding's column mapping: which export column feeds which catalog field, and facts a person states
for the whole export (every course is online, say). Inferred when none is given, and always written to the
review folder, so a person can read it, correct it and onboard again with ``--mapping``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.core.errors import CatalogValidationError, DataIssue
from index.catalogs.onboard.columns import NAMES, Claim, infer_columns
from index.catalogs.source import decode, parse_yaml, read_limited

FORMAT = "stackwise-onboard-mapping/1"
#: facts that may be stated once for a whole export (``constants``), as the native catalog spells them
CONSTANT_FIELDS = frozenset({"institution", "delivery_mode", "assessment", "quality_assurance", "language", "kind"})


class OnboardMapping(BaseModel):
    """``columns``: catalog field → export column; ``constants``: field → value for every row; ``inferred``:
    how each column claim was made (kept for the reader, ignored on input)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = FORMAT
    columns: dict[str, str] = Field(default_factory=dict)
    constants: dict[str, str] = Field(default_factory=dict)
    inferred: dict[str, str] = Field(default_factory=dict)

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(NAMES))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; the fields are {', '.join(NAMES)}")
        return value

    @field_validator("constants")
    @classmethod
    def _known_constants(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - CONSTANT_FIELDS)
        if unknown:
            raise ValueError(f"unknown constant(s) {', '.join(unknown)}; allowed: {', '.join(sorted(CONSTANT_FIELDS))}")
        return value

    def check_columns(self, header: Sequence[str], file: str) -> None:
        """Every mapped column exists in the export, and some column holds the titles (ids are made from them)."""
        issues = [
            DataIssue(file=file, field=field, message=f"column {column!r} is not in the export's header")
            for field, column in self.columns.items()
            if column not in header
        ]
        if "title" not in self.columns:
            looked = ", ".join(repr(n) for n in NAMES["title"])
            issues.append(
                DataIssue(
                    file=file,
                    field="title",
                    message=f"no column holds the course titles (looked for {looked}); each course's id is made "
                    "from its title, so name the title column in a mapping (columns: {title: YOUR COLUMN})",
                )
            )
        if issues:
            raise CatalogValidationError(issues, f"cannot onboard {file}")


def inferred_mapping(header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> OnboardMapping:
    """The mapping the export's column names and contents suggest (rules in :mod:`columns`)."""
    claims: dict[str, Claim] = infer_columns(header, rows)
    return OnboardMapping(
        columns={field: claim.column for field, claim in claims.items()},
        inferred={field: claim.how for field, claim in claims.items()},
    )


def read_mapping(path: Path) -> OnboardMapping:
    file = str(path)
    raw: Any = parse_yaml(decode(read_limited(path, 1_000_000), "utf-8", file), file) or {}
    try:
        return OnboardMapping.model_validate(raw)
    except ValidationError as exc:
        issues = [
            DataIssue(file=file, field=".".join(str(p) for p in error["loc"]) or None, message=error["msg"])
            for error in exc.errors()
        ]
        raise CatalogValidationError(issues, f"cannot read the mapping {file}") from None


def mapping_yaml(mapping: OnboardMapping) -> str:
    header = (
        "# Which export column feeds which catalog field. Correct it and onboard again with --mapping THIS_FILE.\n"
        "# constants: facts true of every course in the export (e.g. delivery_mode: online), stated by a person.\n"
    )
    body = yaml.safe_dump(mapping.model_dump(mode="json"), sort_keys=False, allow_unicode=True, width=110)
    return header + body


__all__ = ["CONSTANT_FIELDS", "FORMAT", "OnboardMapping", "inferred_mapping", "mapping_yaml", "read_mapping"]
