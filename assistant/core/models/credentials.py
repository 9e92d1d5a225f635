"""Catalog entries: micro-credentials and the bigger credentials they stack into.

Fields follow the EU Council Recommendation on micro-credentials (2022, Annex I): title, country of
the issuer, awarding body, learning outcomes, notional workload (hours, ECTS where possible), EQF
level, type of assessment, form of participation, type of quality assurance; plus the optional
elements prerequisites and stackability, and what a learner needs to plan: cost, duration, language,
pacing and the ESCO skills each credential is aligned to.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from assistant.core.models._base import Record

CREDENTIAL_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"


class CredentialKind(StrEnum):
    MICRO_CREDENTIAL = "micro-credential"
    DIGITAL_BADGE = "digital-badge"
    CERTIFICATE = "certificate"
    DIPLOMA = "diploma"
    ASSOCIATE_DEGREE = "associate-degree"
    BACHELOR_DEGREE = "bachelor-degree"
    MASTER_DEGREE = "master-degree"
    COURSE = "course"

    @property
    def is_micro(self) -> bool:
        return self in (CredentialKind.MICRO_CREDENTIAL, CredentialKind.DIGITAL_BADGE, CredentialKind.COURSE)


class AssessmentType(StrEnum):
    EXAM = "exam"
    PROJECT = "project"
    PORTFOLIO = "portfolio"
    PRACTICAL = "practical"
    QUIZ = "quiz"
    PEER_REVIEW = "peer-review"
    WORK_PLACEMENT = "work-placement"
    MIXED = "mixed"
    NONE = "none"


class DeliveryMode(StrEnum):
    """The EU 'form of participation': where the learning happens."""

    ONLINE = "online"
    ONSITE = "onsite"
    BLENDED = "blended"


class Pacing(StrEnum):
    SELF_PACED = "self-paced"
    SCHEDULED = "scheduled"


class CreditUnit(StrEnum):
    ECTS = "ECTS"
    US_CREDIT_HOUR = "credit-hour"
    CEU = "CEU"


class Money(Record):
    amount: Decimal = Field(ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")


class SkillAlignment(Record):
    """An ESCO skill the credential teaches; ``label`` is kept for people reading the file."""

    uri: str = Field(pattern=r"^http://data\.europa\.eu/esco/skill/")
    label: str | None = None


class PrerequisiteGroup(Record):
    """Prerequisite credentials: all of ``credential_ids``, or at least ``min_required`` of them."""

    credential_ids: tuple[str, ...] = Field(min_length=1)
    min_required: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _count_fits(self) -> PrerequisiteGroup:
        if self.min_required is not None and self.min_required > len(self.credential_ids):
            raise ValueError(
                f"min_required={self.min_required} exceeds the {len(self.credential_ids)} credentials listed"
            )
        return self

    @property
    def required_count(self) -> int:
        return self.min_required if self.min_required is not None else len(self.credential_ids)

    def is_met(self, held: set[str] | frozenset[str]) -> bool:
        return sum(1 for cid in self.credential_ids if cid in held) >= self.required_count


class StackingRule(Record):
    """This credential counts toward ``target_id`` and carries ``credit`` there."""

    target_id: str = Field(pattern=CREDENTIAL_ID_PATTERN)
    credit: float = Field(ge=0)
    credit_unit: CreditUnit = CreditUnit.ECTS


class StackRequirement(Record):
    """How a bigger credential is completed from stacked parts.

    ``required_ids`` must all be earned; in addition the stacked parts must add up to
    ``credits_required`` (in ``credit_unit``). ``additional_credits`` is what the learner still
    earns outside the catalog's micro-credentials (e.g. the rest of a degree).
    """

    credits_required: float = Field(gt=0)
    credit_unit: CreditUnit = CreditUnit.ECTS
    required_ids: tuple[str, ...] = ()
    additional_credits: float = Field(default=0, ge=0)


class Credential(Record):
    """A catalog entry. Micro-credentials stack into bigger ones via ``stacks_into``."""

    id: str = Field(pattern=CREDENTIAL_ID_PATTERN, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    kind: CredentialKind
    awarding_body: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 of the issuer")
    region: str | None = None
    learning_outcomes: tuple[str, ...] = ()
    workload_hours: float | None = Field(default=None, gt=0, description="notional learning hours; None: not stated")
    ects: float | None = Field(default=None, ge=0)
    eqf_level: int | None = Field(default=None, ge=1, le=8)
    assessment: AssessmentType | None = None
    delivery_mode: DeliveryMode | None = None
    pacing: Pacing = Pacing.SELF_PACED
    quality_assurance: str | None = Field(default=None, min_length=1)
    skills: tuple[SkillAlignment, ...] = ()
    prerequisites: tuple[PrerequisiteGroup, ...] = ()
    stacks_into: tuple[StackingRule, ...] = ()
    stack_requirement: StackRequirement | None = None
    cost: Money | None = None
    duration_weeks: float | None = Field(default=None, gt=0)
    language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    url: str | None = Field(default=None, pattern=r"^https?://")
    field: str | None = None
    description: str | None = None
    prepares_for: tuple[str, ...] = Field(
        default=(), description="ESCO occupation URIs this credential is the qualification for, as the catalog says"
    )

    @field_validator("learning_outcomes")
    @classmethod
    def _outcomes_not_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not outcome.strip() for outcome in value):
            raise ValueError("learning outcomes must not be blank")
        return value

    @model_validator(mode="after")
    def _no_self_reference(self) -> Credential:
        if any(rule.target_id == self.id for rule in self.stacks_into):
            raise ValueError("a credential cannot stack into itself")
        if any(self.id in group.credential_ids for group in self.prerequisites):
            raise ValueError("a credential cannot be its own prerequisite")
        return self

    @property
    def skill_uris(self) -> tuple[str, ...]:
        return tuple(alignment.uri for alignment in self.skills)

    @property
    def prerequisite_ids(self) -> frozenset[str]:
        return frozenset(cid for group in self.prerequisites for cid in group.credential_ids)

    def prerequisites_met(self, held: set[str] | frozenset[str]) -> bool:
        return all(group.is_met(held) for group in self.prerequisites)


class Institution(Record):
    """Who publishes the catalog; ``currency`` is what a bare ``cost: 450`` is read in."""

    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217")
    url: str | None = Field(default=None, pattern=r"^https?://")
