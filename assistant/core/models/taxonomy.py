"""Taxonomy and labour-market records: ESCO skills and occupations, O*NET ratings, BLS figures.

Identifiers are the sources' own (ESCO concept URIs, O*NET-SOC codes such as ``15-2051.00``,
SOC codes such as ``15-2051``) so every record can be traced back to its release.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from assistant.core.models._base import Record

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"


class SkillType(StrEnum):
    SKILL = "skill/competence"
    KNOWLEDGE = "knowledge"


class ReuseLevel(StrEnum):
    TRANSVERSAL = "transversal"
    CROSS_SECTOR = "cross-sector"
    SECTOR_SPECIFIC = "sector-specific"
    OCCUPATION_SPECIFIC = "occupation-specific"


class RelationType(StrEnum):
    ESSENTIAL = "essential"
    OPTIONAL = "optional"


class Skill(Record):
    """An ESCO skill or knowledge concept.

    ``broader`` holds the URIs of broader skills or skill groups (the ESCO hierarchy), which gap
    analysis uses to give partial credit; ``collections`` names the ESCO collections it is in
    (digital, green, transversal, language, research, digcomp).
    """

    uri: str = Field(pattern=r"^http://data\.europa\.eu/esco/skill/")
    preferred_label: str = Field(min_length=1)
    alt_labels: tuple[str, ...] = ()
    skill_type: SkillType | None = None
    reuse_level: ReuseLevel | None = None
    broader: tuple[str, ...] = ()
    collections: frozenset[str] = frozenset()
    description: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Preferred label first, then the alternatives."""
        return (self.preferred_label, *self.alt_labels)


class SkillGroup(Record):
    """A node of the ESCO skills hierarchy above individual skills (e.g. ``S5.1``)."""

    uri: str
    preferred_label: str
    code: str | None = None
    broader: tuple[str, ...] = ()


class Occupation(Record):
    """An ESCO occupation, with its ISCO group and the O*NET-SOC codes the crosswalk maps it to."""

    uri: str = Field(pattern=r"^http://data\.europa\.eu/esco/occupation/")
    preferred_label: str = Field(min_length=1)
    alt_labels: tuple[str, ...] = ()
    isco_group: str = Field(pattern=r"^\d{4}$")
    code: str | None = None
    onet_codes: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    description: str | None = None
    regulated: bool = Field(
        default=False, description="ESCO's regulated-profession note: regulated in the EU (nurses, pharmacists, …)"
    )

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.preferred_label, *self.alt_labels)


class OccupationSkillRelation(Record):
    """One ESCO occupation→skill link, essential or optional."""

    occupation_uri: str
    skill_uri: str
    relation: RelationType


class OnetOccupation(Record):
    """An O*NET-SOC occupation with its titles (for title normalisation) and job zone."""

    code: str = Field(pattern=r"^\d{2}-\d{4}\.\d{2}$")
    title: str
    alt_titles: tuple[str, ...] = ()
    reported_titles: tuple[str, ...] = ()
    job_zone: int | None = Field(default=None, ge=1, le=5)

    @property
    def soc_code(self) -> str:
        """The 6-digit SOC code (``15-2051``) that BLS wage and projection data use."""
        return self.code.split(".")[0]


class OnetSkillRating(Record):
    """An O*NET Skills element rated for an occupation: importance 1–5, level 0–7."""

    onet_code: str
    element_id: str
    element_name: str
    importance: float = Field(ge=1, le=5)
    level: float = Field(ge=0, le=7)


class OnetTechnology(Record):
    """A technology skill example for an O*NET occupation with its demand flags."""

    onet_code: str
    example: str
    commodity_code: str
    commodity_title: str
    hot_technology: bool = False
    in_demand: bool = False


class Wage(Record):
    """BLS OEWS national wage and employment figures for a SOC code (USD, annual unless named)."""

    soc_code: str = Field(pattern=r"^\d{2}-\d{4}$")
    title: str
    employment: int | None = None
    annual_mean: float | None = None
    annual_median: float | None = None
    annual_p10: float | None = None
    annual_p25: float | None = None
    annual_p75: float | None = None
    annual_p90: float | None = None
    hourly_median: float | None = None
    release: str = ""


class Projection(Record):
    """BLS Employment Projections 2020–30 for a SOC code (employment in thousands)."""

    soc_code: str = Field(pattern=r"^\d{2}-\d{4}$")
    title: str
    employment_2020: float | None = None
    employment_2030: float | None = None
    change_pct: float | None = None
    annual_openings: float | None = None
    median_wage_2020: float | None = None
    entry_education: str | None = None


class RequirementSource(StrEnum):
    ESCO_ESSENTIAL = "esco-essential"
    ESCO_OPTIONAL = "esco-optional"
    ONET_SKILL = "onet-skill"
    ONET_TECHNOLOGY = "onet-technology"
    JOB_POSTING = "job-posting"


class OccupationRequirement(Record):
    """A skill an occupation requires, with the data that weights it and its citable source.

    ESCO relations carry ``relation``; O*NET-derived requirements carry ``importance``/``level``
    (Skills) or the hot-technology / in-demand flags (Technology Skills). ``skill_uri`` is the
    ESCO skill when one is linked, so requirements from both taxonomies compare on one key.
    """

    occupation_uri: str
    source: RequirementSource
    label: str
    skill_uri: str | None = None
    relation: RelationType | None = None
    onet_code: str | None = None
    onet_element_id: str | None = None
    importance: float | None = Field(default=None, ge=1, le=5)
    level: float | None = Field(default=None, ge=0, le=7)
    hot_technology: bool = False
    in_demand: bool = False
    citation: str = ""
