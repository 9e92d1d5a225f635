"""The learner: what they hold (with the evidence for it) and the limits they plan within."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from assistant.core.models._base import Record
from assistant.core.models.credentials import DeliveryMode


class EvidenceSource(StrEnum):
    RESUME = "resume"
    JOB_POSTING = "job-posting"
    CREDENTIAL = "credential"
    SELF_REPORTED = "self-reported"


class TextSpan(Record):
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> TextSpan:
        if self.end < self.start:
            raise ValueError("span end precedes its start")
        return self


class Evidence(Record):
    """Where a claim comes from: the line (and span in it) of a résumé, posting or credential."""

    source: EvidenceSource
    text: str
    line_no: int | None = Field(default=None, ge=1)
    span: TextSpan | None = None
    section: str | None = None
    reference: str | None = Field(default=None, description="e.g. the credential id that evidences it")


class HeldSkill(Record):
    """An ESCO skill the learner shows, with confidence in [0, 1] and its evidence."""

    skill_uri: str
    label: str
    confidence: float = Field(ge=0, le=1)
    evidence: tuple[Evidence, ...] = ()
    years: float | None = Field(default=None, ge=0)
    last_used: date | None = None


class Constraints(Record):
    """The limits a plan must respect; ``None`` means no limit was given."""

    budget: Decimal | None = Field(default=None, ge=0)
    currency: str = "USD"
    hours_per_week: float | None = Field(default=None, gt=0)
    deadline: date | None = None
    delivery_modes: frozenset[DeliveryMode] = frozenset()
    min_eqf_level: int | None = Field(default=None, ge=1, le=8)
    max_eqf_level: int | None = Field(default=None, ge=1, le=8)
    languages: frozenset[str] = frozenset()

    @model_validator(mode="after")
    def _levels_ordered(self) -> Constraints:
        if self.min_eqf_level and self.max_eqf_level and self.min_eqf_level > self.max_eqf_level:
            raise ValueError("min_eqf_level is above max_eqf_level")
        return self


class EarnedCredential(Record):
    """A badge or achievement a learner holds, as far as the upload says."""

    achievement_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    issuer: str | None = None
    issued_on: date | None = None
    skill_uris: tuple[str, ...] = ()
    credits: float | None = Field(default=None, ge=0)
    catalog_id: str | None = Field(default=None, description="the catalog credential this achievement is")
    credential_id: str | None = Field(default=None, description="the verifiable credential's own id")
    achievement_type: str | None = None


class LearnerProfile(Record):
    """Skills (with evidence), credentials already earned (catalog ids) and planning limits."""

    learner_id: str | None = None
    skills: tuple[HeldSkill, ...] = ()
    earned_credentials: tuple[str, ...] = ()
    constraints: Constraints = Constraints()

    @property
    def skill_uris(self) -> frozenset[str]:
        return frozenset(skill.skill_uri for skill in self.skills)

    def skills_without(self, source: EvidenceSource) -> tuple[HeldSkill, ...]:
        """The skills no evidence of ``source`` backs: what stays when, say, the résumé is replaced."""
        return tuple(s for s in self.skills if not any(e.source is source for e in s.evidence))
