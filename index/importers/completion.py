"""Completing catalog records from partial source data plus institution-level defaults.

CTDL and Open Badges describe credentials well but seldom carry every EU micro-credential element
the catalog requires (outcomes, workload, EQF level, assessment, participation form, quality
assurance, cost, duration, country). The importers gather what a record states into a
:class:`CredentialDraft`; :func:`complete` fills the gaps from :class:`ImportDefaults` that the
caller chose, and reports each element still missing as a :class:`DataIssue` instead of guessing.
Record data always wins over defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.core.errors import CatalogValidationError, DataIssue
from assistant.core.models import (
    AssessmentType,
    Credential,
    CredentialKind,
    CreditUnit,
    DeliveryMode,
    Money,
    Pacing,
    PrerequisiteGroup,
    SkillAlignment,
    StackingRule,
    StackRequirement,
)


class ImportDefaults(BaseModel):
    """Values an institution vouches for, used only where a record states nothing.

    ``credit_unit`` names the unit of credit values that carry none; ``credit_units`` maps further
    source unit names or IRIs (``"DegreeCredit"``, ``"http://example.edu/scqf/credits/"``) to a
    catalog unit and a factor (SCQF credits → ECTS is ``(CreditUnit.ECTS, 0.5)``).
    ``hours_per_credit`` turns credits into notional workload. ``learning_outcomes`` is a fallback
    statement (e.g. "Outcomes as published in the course catalog") and
    ``outcomes_from_description`` lets a record's description stand as its one outcome; both are
    the caller's explicit choice. ``id_prefix`` names records that have no global identifier
    (blank nodes) as ``id_prefix + course code``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    awarding_body: str | None = Field(default=None, min_length=1)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    region: str | None = None
    learning_outcomes: tuple[str, ...] | None = None
    outcomes_from_description: bool = False
    workload_hours: float | None = Field(default=None, gt=0)
    hours_per_credit: dict[CreditUnit, float] = Field(default_factory=dict)
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    eqf_levels: dict[CredentialKind, int] = Field(default_factory=dict)
    assessment: AssessmentType | None = None
    delivery_mode: DeliveryMode | None = None
    pacing: Pacing | None = None
    quality_assurance: str | None = Field(default=None, min_length=1)
    cost: Money | None = None
    duration_weeks: float | None = Field(default=None, gt=0)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    credential_kind: CredentialKind | None = None
    credit_unit: CreditUnit | None = None
    credit_units: dict[str, tuple[CreditUnit, float]] = Field(default_factory=dict)
    id_prefix: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")


@dataclass(frozen=True)
class Location:
    """Where a record sits in its source, for every issue raised about it."""

    file: str
    row: int | None = None
    record_id: str | None = None

    def issue(self, message: str, field: str | None = None) -> DataIssue:
        return DataIssue(file=self.file, row=self.row, record_id=self.record_id, field=field, message=message)


@dataclass
class CredentialDraft:
    """What a source record states, before defaults; ``None`` means the record is silent."""

    location: Location
    id: str | None = None
    title: str | None = None
    kind: CredentialKind | None = None
    awarding_body: str | None = None
    learning_outcomes: tuple[str, ...] = ()
    description: str | None = None
    workload_hours: float | None = None
    credits: float | None = None
    credit_unit: CreditUnit | None = None
    assessment: AssessmentType | None = None
    delivery_mode: DeliveryMode | None = None
    quality_assurance: str | None = None
    cost: Money | None = None
    duration_weeks: float | None = None
    language: str | None = None
    url: str | None = None
    field_of_study: str | None = None
    skills: tuple[SkillAlignment, ...] = ()
    prerequisites: list[PrerequisiteGroup] = field(default_factory=list)
    stacks_into: list[StackingRule] = field(default_factory=list)
    stack_requirement: StackRequirement | None = None


@dataclass(frozen=True)
class ImportResult:
    """Credentials that could be completed, problems (``issues``) and deliberate omissions (``notes``).

    ``issues`` are errors: a record left out or a link dropped because the data is incomplete or
    unusable. ``notes`` are information: things the catalog model does not represent (grade
    constraints, non-ESCO alignments) and were left out on purpose.
    """

    credentials: tuple[Credential, ...]
    issues: tuple[DataIssue, ...] = ()
    notes: tuple[DataIssue, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.issues

    def raise_for_issues(self, summary: str = "import found problems") -> None:
        if self.issues:
            raise CatalogValidationError(self.issues, summary)


# Each EU element a record may leave out: (draft/credential field, the default that fills it, words).
_REQUIRED = (
    ("awarding_body", "awarding_body", "awarding body"),
    ("learning_outcomes", "learning_outcomes", "learning outcomes"),
    ("workload_hours", "workload_hours", "notional workload"),
    ("eqf_level", "eqf_level", "EQF level"),
    ("assessment", "assessment", "type of assessment"),
    ("delivery_mode", "delivery_mode", "form of participation"),
    ("quality_assurance", "quality_assurance", "type of quality assurance"),
    ("cost", "cost", "cost"),
    ("duration_weeks", "duration_weeks", "duration"),
    ("country", "country", "country of the awarding body"),
)


def complete(draft: CredentialDraft, defaults: ImportDefaults) -> tuple[Credential | None, list[DataIssue]]:
    """Build a :class:`Credential` from ``draft`` and ``defaults``, or say what is missing."""
    where = draft.location
    issues: list[DataIssue] = []
    if not draft.id:
        issues.append(where.issue("the record has no usable identifier (@id, CTID or code)", "id"))
    if not draft.title:
        issues.append(where.issue("the record has no name", "title"))
    kind = draft.kind or defaults.credential_kind
    if kind is None:
        issues.append(
            where.issue(
                "the credential type does not map to a catalog kind; set ImportDefaults.credential_kind",
                "kind",
            )
        )
    values = _eu_values(draft, defaults, kind)
    for name, default_name, words in _REQUIRED:
        if values.get(name) in (None, ()):
            issues.append(
                where.issue(f"{words} is not stated and ImportDefaults.{default_name} is not set", name)
            )
    if issues:
        return None, issues
    data: dict[str, Any] = {**values, "id": draft.id, "title": draft.title, "kind": kind}
    data.update(_optional_values(draft, defaults))
    try:
        return Credential.model_validate(data), []
    except ValidationError as exc:
        return None, [where.issue(err["msg"], ".".join(str(p) for p in err["loc"])) for err in exc.errors()]


def _eu_values(
    draft: CredentialDraft, defaults: ImportDefaults, kind: CredentialKind | None
) -> dict[str, Any]:
    outcomes = draft.learning_outcomes
    if not outcomes and defaults.outcomes_from_description and draft.description:
        outcomes = (draft.description,)
    eqf = defaults.eqf_levels.get(kind) if kind is not None else None
    return {
        "awarding_body": draft.awarding_body or defaults.awarding_body,
        "learning_outcomes": outcomes or defaults.learning_outcomes or (),
        "workload_hours": _workload(draft, defaults),
        "eqf_level": eqf or defaults.eqf_level,
        "assessment": draft.assessment or defaults.assessment,
        "delivery_mode": draft.delivery_mode or defaults.delivery_mode,
        "quality_assurance": draft.quality_assurance or defaults.quality_assurance,
        "cost": draft.cost or defaults.cost,
        "duration_weeks": draft.duration_weeks or defaults.duration_weeks,
        "country": defaults.country,
    }


def _optional_values(draft: CredentialDraft, defaults: ImportDefaults) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": defaults.region,
        "ects": draft.credits if _unit(draft, defaults) is CreditUnit.ECTS else None,
        "skills": draft.skills,
        "prerequisites": tuple(draft.prerequisites),
        "stacks_into": tuple(draft.stacks_into),
        "stack_requirement": draft.stack_requirement,
        "url": draft.url,
        "field": draft.field_of_study,
        "description": draft.description,
    }
    if draft.language or defaults.language:
        data["language"] = draft.language or defaults.language
    if defaults.pacing is not None:
        data["pacing"] = defaults.pacing
    return data


def _workload(draft: CredentialDraft, defaults: ImportDefaults) -> float | None:
    """Stated hours first, then credits at the caller's hours-per-credit rate, then the flat default."""
    if draft.workload_hours:
        return draft.workload_hours
    unit = _unit(draft, defaults)
    if draft.credits and unit in defaults.hours_per_credit:
        return draft.credits * defaults.hours_per_credit[unit]
    return defaults.workload_hours


def _unit(draft: CredentialDraft, defaults: ImportDefaults) -> CreditUnit | None:
    """Credits that name no unit are in the caller's ``credit_unit``."""
    return draft.credit_unit or defaults.credit_unit if draft.credits is not None else None


def finish(
    drafts: Iterable[CredentialDraft],
    defaults: ImportDefaults,
    issues: Iterable[DataIssue],
    notes: Iterable[DataIssue],
    *,
    strict: bool,
    summary: str,
) -> ImportResult:
    """Complete every draft, drop duplicate ids, and raise in strict mode when anything is wrong."""
    credentials: dict[str, Credential] = {}
    found = list(issues)
    for draft in drafts:
        credential, problems = complete(draft, defaults)
        found.extend(problems)
        if credential is None:
            continue
        if credential.id in credentials:
            found.append(
                draft.location.issue("another record already has this id; this one is skipped", "id")
            )
            continue
        credentials[credential.id] = credential
    result = ImportResult(tuple(credentials.values()), tuple(found), tuple(notes))
    if strict:
        result.raise_for_issues(summary)
    return result


def money(amount: float | str | Decimal, currency: str) -> Money | None:
    """A cost from source values, or ``None`` when they do not make one."""
    try:
        return Money(amount=Decimal(str(amount)), currency=currency.upper())
    except (ValidationError, ArithmeticError, ValueError):
        return None


__all__ = [
    "CredentialDraft",
    "ImportDefaults",
    "ImportResult",
    "Location",
    "complete",
    "finish",
    "money",
]
