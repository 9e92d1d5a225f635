"""What a catalog health check finds, as plain records with stable keys (the JSON a committee's tools read)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class _Finding(BaseModel):
    model_config = ConfigDict(frozen=True)


class DuplicatePair(_Finding):
    """Two credentials that teach much the same thing, and what to do about it."""

    ids: tuple[str, str]
    titles: tuple[str, str]
    shared_skills: tuple[str, ...]  # labels
    skill_overlap: float  # Jaccard of the aligned skills
    text_overlap: float  # Jaccard of the words of title and outcomes
    suggestion: str  # "merge", "differentiate" or "stack"
    why: str


class Unaligned(_Finding):
    id: str
    title: str
    problem: str  # "no aligned skills" or "skills no occupation needs"
    skills: tuple[str, ...] = ()


class DestinationIssue(_Finding):
    id: str
    title: str
    problem: str  # "unreachable", "credit rule cannot be met", "prerequisite cycle"
    detail: str
    involved: tuple[str, ...] = ()


class DemandGap(_Finding):
    """An in-demand skill no credential teaches, with where its demand comes from."""

    skill_uri: str
    label: str
    demand: float  # sum of the weights below
    occupations: tuple[str, ...]  # the heaviest occupations that need it (labels)
    hot_technology: bool
    sources: tuple[str, ...]  # "ESCO essential for …", "O*NET hot technology for …"


class RouteSummary(_Finding):
    objective: str
    credential_ids: tuple[str, ...]
    total_cost: Decimal
    weeks: int
    coverage: float  # share of the occupation's core gap the route covers
    unstated: tuple[str, ...] = ()  # ids whose price or workload the catalog does not state


class OccupationCoverage(_Finding):
    occupation_uri: str
    label: str
    why_listed: str  # "prepared for by …" or "the catalog teaches a large share of its skills"
    essential: int
    covered: int
    share: float
    teaching: tuple[str, ...]  # credential ids that teach its essential skills, most first
    by_field: dict[str, float] = {}  # catalog field → share of the essential skills its credentials teach
    cheapest: RouteSummary | None = None
    fastest: RouteSummary | None = None
    routes_planned: bool = False  # False: not planned (yet); True with no route: none covers anything


class Completeness(_Finding):
    id: str
    title: str
    missing: tuple[str, ...]  # EU Annex I elements the record does not state


class HealthReport(_Finding):
    """The whole check. Keys are stable: tools and tests read them."""

    catalog: str
    credentials: int
    stack_destinations: int
    duplicates: tuple[DuplicatePair, ...]
    unaligned: tuple[Unaligned, ...]
    destinations: tuple[DestinationIssue, ...]
    demand_gaps: tuple[DemandGap, ...]
    coverage: tuple[OccupationCoverage, ...]
    completeness: tuple[Completeness, ...]
    completeness_summary: dict[str, int]  # element → credentials missing it
    links: dict[str, str] = {}  # credential id → its page, for every credential a finding names that has one
    routes_pending: int = 0  # listed occupations whose routes are not planned yet (ask again to plan more)
    seconds: float = 0.0


__all__ = [
    "Completeness",
    "DemandGap",
    "DestinationIssue",
    "DuplicatePair",
    "HealthReport",
    "OccupationCoverage",
    "RouteSummary",
    "Unaligned",
]
