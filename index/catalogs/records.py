"""Turning raw catalog records into a validated Catalog, whatever file format they came from.

Readers (YAML/JSON, CSV + mapping) only reshape their input into Credential-shaped mappings;
the shorthands, the layering of shared values (defaults, CSV constants, the institution) and the
all-or-nothing rule live here once. Every record is validated and every issue collected before
anything is returned, so a registrar fixes a file in one pass and never gets half a catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from assistant.core.catalog import Catalog
from assistant.core.errors import CatalogValidationError, DataIssue
from assistant.core.models import Credential, Institution
from assistant.core.models.taxonomy import ESCO_SKILL_PREFIX
from index.catalogs.messages import field_path, issues_from_error, suggest

CREDENTIAL_FIELDS: frozenset[str] = frozenset(Credential.model_fields)
OPTIONAL_OBJECTS = frozenset({"stack_requirement"})
Hint = Callable[[str], str | None]
_STAND_IN = Institution(name="(invalid institution)", country="ZZ", currency="XXX")


@dataclass(frozen=True)
class RawRecord:
    """One record as read: Credential-shaped ``data`` (shorthands allowed) and where it came from.

    ``row`` is what issues cite (a CSV line, or the 1-based position in a YAML/JSON list);
    ``issues`` are problems the reader already found, which reject the record too.
    """

    row: int
    data: Mapping[str, Any]
    issues: tuple[DataIssue, ...] = ()

    @property
    def record_id(self) -> str | None:
        value = self.data.get("id")
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class SharedValues:
    """Values merged under every record (``defaults``, CSV ``constants``).

    A bad shared value would fail every record; it is reported once, at ``label.field`` in
    ``file``, instead of once per row.
    """

    values: Mapping[str, Any]
    file: str
    label: str


@dataclass
class _Collector:
    issues: list[DataIssue] = field(default_factory=list)
    seen: set[tuple[str, str | None, str]] = field(default_factory=set)

    def add(self, issue: DataIssue) -> None:
        key = (issue.file, issue.field, issue.message)
        if issue.row is None and key in self.seen:
            return
        self.seen.add(key)
        self.issues.append(issue)


def expand_shorthands(data: Mapping[str, Any]) -> dict[str, Any]:
    """Long form of the shorthands, keeping list positions so issue paths match the file.

    ``cost: 450`` → ``{amount: 450}``; a prerequisite id → a group requiring it; a skill URI →
    ``{uri: ...}``; a bare string where a list is expected → a one-item list.
    """
    out = dict(data)
    cost = out.get("cost")
    if isinstance(cost, (int, float, Decimal, str)) and not isinstance(cost, bool):
        out["cost"] = {"amount": cost}
    for name in ("learning_outcomes", "prerequisites", "skills"):
        if isinstance(out.get(name), str):
            out[name] = [out[name]]
    if isinstance(out.get("prerequisites"), list):
        out["prerequisites"] = [
            {"credential_ids": [p]} if isinstance(p, str) else p for p in out["prerequisites"]
        ]
    if isinstance(out.get("skills"), list):
        out["skills"] = [{"uri": s} if isinstance(s, str) else s for s in out["skills"]]
    requirement = out.get("stack_requirement")
    if isinstance(requirement, Mapping) and isinstance(requirement.get("required_ids"), str):
        out["stack_requirement"] = {**requirement, "required_ids": [requirement["required_ids"]]}
    return out


def merge_under(top: Mapping[str, Any], below: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` with keys it lacks taken from ``below``; nested mappings (cost) merge key by key."""
    merged = dict(top)
    for key, value in below.items():
        if key not in merged:
            merged[key] = value
        elif isinstance(merged[key], Mapping) and isinstance(value, Mapping):
            merged[key] = merge_under(merged[key], value)
    return merged


def set_path(target: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``cost.amount``-style paths, creating the nested mappings on the way."""
    *parents, leaf = dotted.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        set_path(nested, key, value)
    return nested


def parse_institution(raw: object, file: str) -> tuple[Institution | None, list[DataIssue]]:
    """The institution block, or the issues that keep it from being one (paths ``institution.*``)."""
    if not isinstance(raw, Mapping):
        got = "nothing" if raw is None else type(raw).__name__
        message = f"'institution' must be a mapping with name, country, currency and url; got {got}"
        return None, [DataIssue(file=file, field="institution", message=message)]
    try:
        return Institution.model_validate(raw), []
    except ValidationError as exc:
        return None, issues_from_error(
            exc, file=file, prefix="institution", known_fields=Institution.model_fields.keys()
        )


def _found(data: object, loc: Sequence[int | str]) -> bool:
    """Whether the value at ``loc`` was written in ``data`` (so an issue there belongs to it)."""
    for part in loc:
        if isinstance(data, Mapping) and part in data:
            data = data[part]
            continue
        if not (isinstance(part, int) and isinstance(data, (list, tuple)) and 0 <= part < len(data)):
            return False
        data = data[part]
    return True


def _validate_record(
    record: RawRecord,
    layers: Sequence[tuple[SharedValues, dict[str, Any]]],
    institution: Institution | None,
    file: str,
    hint: Hint | None,
    out: _Collector,
) -> Credential | None:
    own = expand_shorthands(record.data)
    merged = own
    for _, expanded in layers:
        # Shared values refine an optional object a record has; they never create one.
        applicable = {k: v for k, v in expanded.items() if k not in OPTIONAL_OBJECTS or k in merged}
        merged = merge_under(merged, applicable)
    # An invalid institution was reported already; its stand-in keeps records from repeating it.
    issuer = institution or _STAND_IN
    merged = merge_under(merged, {"country": issuer.country, "awarding_body": issuer.name})
    cost = merged.get("cost")
    if isinstance(cost, Mapping) and "currency" not in cost:
        merged["cost"] = {**cost, "currency": issuer.currency}
    try:
        credential = Credential.model_validate(merged)
    except ValidationError as exc:
        noted = [issue.field for issue in record.issues if issue.field]
        for error in exc.errors(include_url=False):
            loc = error["loc"]
            if any(_under(field_path(loc), path) for path in noted):
                continue  # the reader already explained this value
            layer = None if _found(own, loc) else next((s for s, e in layers if loc and _found(e, loc)), None)
            if layer is None:
                issues = issues_from_error(
                    [error], file=file, row=record.row, record_id=record.record_id,
                    known_fields=CREDENTIAL_FIELDS, hint=hint,
                )  # fmt: skip
            else:
                issues = issues_from_error(
                    [error], file=layer.file, prefix=layer.label, known_fields=CREDENTIAL_FIELDS
                )
            for issue in issues:
                out.add(issue)
        return None
    return None if record.issues else credential


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def _references(data: Mapping[str, Any]) -> list[tuple[str, object, str]]:
    """(field path, referenced id, role) for every id a record points to, read from raw data."""

    def items(value: object) -> list[Any]:
        return list(value) if isinstance(value, (list, tuple)) else []

    refs: list[tuple[str, object, str]] = []
    for g, group in enumerate(items(data.get("prerequisites"))):
        if isinstance(group, Mapping):
            for k, ref in enumerate(items(group.get("credential_ids"))):
                refs.append((f"prerequisites[{g}].credential_ids[{k}]", ref, "prerequisite"))
    for s, rule in enumerate(items(data.get("stacks_into"))):
        if isinstance(rule, Mapping):
            refs.append((f"stacks_into[{s}].target_id", rule.get("target_id"), "stacking target"))
    requirement = data.get("stack_requirement")
    if isinstance(requirement, Mapping):
        for k, ref in enumerate(items(requirement.get("required_ids"))):
            refs.append((f"stack_requirement.required_ids[{k}]", ref, "required part"))
    return refs


def _dangling(
    record: RawRecord, known: Collection[str], skills: Collection[str] | None, hint: Hint | None
) -> list[tuple[str, str]]:
    """(field path, message) for unknown ids and skills in a record that failed validation.

    The catalog checks only records that validated; this keeps a rejected row's other problems
    from waiting for a second pass.
    """
    data = expand_shorthands(record.data)
    found = []
    for path, ref, role in _references(data):
        if isinstance(ref, str) and ref.strip() and ref.strip() not in known:
            hint_text = suggest(ref.strip(), known, cutoff=0.85)
            found.append((path, f"{role} {ref.strip()!r} is not in the catalog{hint_text}"))
    skill_list = data.get("skills")
    if skills is not None and isinstance(skill_list, list):
        for k, skill in enumerate(skill_list):
            uri = skill.get("uri") if isinstance(skill, Mapping) else None
            if isinstance(uri, str) and uri.startswith(ESCO_SKILL_PREFIX) and uri.strip() not in skills:
                found.append((f"skills[{k}].uri", f"skill {uri.strip()} is not in the loaded ESCO taxonomy"))
    return [
        (path, f"{message} ({hint(path)})" if hint and hint(path) else message) for path, message in found
    ]


def assemble_catalog(
    *,
    file: str,
    institution: Institution | None,
    records: Sequence[RawRecord],
    shared: Sequence[SharedValues] = (),
    issues: Sequence[DataIssue] = (),
    known_skill_uris: Collection[str] | None = None,
    hint: Hint | None = None,
) -> Catalog:
    """Validate every record and the catalog as a whole; return it only if nothing is wrong.

    ``issues`` are problems the reader found before the records (header, institution); they
    are reported together with everything found here in one CatalogValidationError.
    """
    out = _Collector(list(issues))
    layers = [(layer, expand_shorthands(layer.values)) for layer in shared]
    valid: list[tuple[RawRecord, Credential]] = []
    rejected: list[RawRecord] = []
    for record in records:
        for issue in record.issues:
            out.add(issue)
        credential = _validate_record(record, layers, institution, file, hint, out)
        if credential is None:
            rejected.append(record)
        else:
            valid.append((record, credential))
    known_ids = {r.record_id.strip() for r in records if r.record_id}
    skills = None if known_skill_uris is None else frozenset(known_skill_uris)
    reported = {(issue.row, issue.field) for issue in out.issues}
    for record in rejected:
        for path, message in _dangling(record, known_ids, skills, hint):
            if (record.row, path) not in reported:
                out.add(
                    DataIssue(
                        file=file, row=record.row, record_id=record.record_id, field=path, message=message
                    )
                )
    catalog = Catalog(institution or _STAND_IN, [c for _, c in valid], source=file)
    for issue in catalog.validate(skills, defined_elsewhere={r.record_id for r in rejected if r.record_id}):
        position = (issue.row or 1) - 1
        extra = hint(issue.field) if hint and issue.field else None
        message = f"{issue.message} ({extra})" if extra else issue.message
        out.add(issue.model_copy(update={"row": valid[position][0].row, "message": message}))
    if out.issues or institution is None:  # an invalid institution has left its issues
        ordered = sorted(out.issues, key=lambda issue: (issue.row is not None, issue.row or 0))
        raise CatalogValidationError(ordered, f"catalog {file} rejected, nothing was loaded")
    return catalog
