"""Public API shapes. Kept apart from the domain models so the wire format can evolve on its own."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = "ok"
    version: str


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, str]


class CredentialSummary(BaseModel):
    id: str
    title: str
    kind: str
    field: str | None
    eqf_level: int
    workload_hours: float
    ects: float | None
    cost: Decimal
    currency: str
    duration_weeks: float
    delivery_mode: str
    language: str
    url: str | None
    stacks_into: list[str]
    prerequisites: list[str]


class CredentialPage(BaseModel):
    total: int
    items: list[CredentialSummary]


class SkillRef(BaseModel):
    uri: str
    label: str


class CredentialDetail(CredentialSummary):
    awarding_body: str
    country: str
    learning_outcomes: list[str]
    assessment: str
    pacing: str
    quality_assurance: str
    skills: list[SkillRef]
    description: str | None


class OccupationHit(BaseModel):
    uri: str
    label: str
    isco_group: str
    matched_label: str
    score: float = Field(ge=0, le=1)
    onet_codes: list[str]


class Requirement(BaseModel):
    label: str
    skill_uri: str | None
    source: str
    importance: float | None
    level: float | None
    hot_technology: bool
    in_demand: bool
    citation: str


class OccupationDetail(BaseModel):
    uri: str
    label: str
    description: str | None
    isco_group: str
    onet_codes: list[str]
    annual_median_wage_usd: float | None
    wage_source: str | None
    projected_growth_pct_2020_2030: float | None
    requirements: list[Requirement]
