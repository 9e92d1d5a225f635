"""Which skills employers demand, from the data the product already holds, and which of them a catalog teaches.

An occupation's weight is its BLS annual openings (thousands) × its median wage relative to $50,000, counted
only when BLS projects it to grow (2020–30), and shared equally among the ESCO occupations that map to the
same BLS occupation (the dozens of ESCO software roles share one count of software developers' openings).
A skill's demand is the sum of the weights of the occupations
that list it as essential (ESCO), plus, for an O*NET technology flagged *hot* or *in demand* that is linked
to the skill, the weight of each occupation flagging it. Occupations BLS does not publish add nothing: the
ranking says where demand is known, not where it is absent. The index depends only on the taxonomy, so it is
built once per taxonomy and shared by every catalog checked against it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from assistant.core.models import RelationType
from assistant.core.taxonomy import Taxonomy

REFERENCE_WAGE = 50_000.0


@dataclass
class SkillDemand:
    demand: float = 0.0
    by_occupation: dict[str, float] = field(default_factory=dict)  # occupation uri → weight it adds
    hot: set[str] = field(default_factory=set)  # occupations flagging it as a hot / in-demand technology


@dataclass(frozen=True)
class DemandIndex:
    skills: dict[str, SkillDemand]
    weights: dict[str, float]  # occupation uri → weight (growing, published occupations only)


def occupation_weight(taxonomy: Taxonomy, occupation_uri: str) -> float:
    projection = taxonomy.projection_for(occupation_uri)
    wage = taxonomy.wage_for(occupation_uri)
    if projection is None or not projection.annual_openings or (projection.change_pct or 0.0) <= 0:
        return 0.0
    median = (wage.annual_median if wage else None) or projection.median_wage_2020
    if not median:
        return 0.0
    return projection.annual_openings * median / REFERENCE_WAGE


_CACHE: dict[int, tuple[Taxonomy, DemandIndex]] = {}


def demand_index(taxonomy: Taxonomy) -> DemandIndex:
    """Skill demand for this taxonomy (module docstring), computed once."""
    cached = _CACHE.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    raw = {uri: w for uri in taxonomy.occupations if (w := occupation_weight(taxonomy, uri)) > 0}
    group: dict[str, str] = {}
    for uri in raw:
        projection = taxonomy.projection_for(uri)
        group[uri] = projection.soc_code if projection is not None else uri
    sharing = Counter(group.values())
    weights = {uri: w / sharing[group[uri]] for uri, w in raw.items()}
    skills: dict[str, SkillDemand] = defaultdict(SkillDemand)
    for relation in taxonomy.relations:
        weight = weights.get(relation.occupation_uri)
        if weight and relation.relation is RelationType.ESSENTIAL:
            entry = skills[relation.skill_uri]
            entry.demand += weight
            entry.by_occupation[relation.occupation_uri] = entry.by_occupation.get(relation.occupation_uri, 0) + weight
    for occupation_uri, weight in weights.items():
        for requirement in taxonomy.requirements_for(occupation_uri):
            tech_uri = requirement.skill_uri
            if tech_uri is None or not (requirement.hot_technology or requirement.in_demand):
                continue
            entry = skills[tech_uri]
            if occupation_uri in entry.hot:
                continue
            entry.hot.add(occupation_uri)
            entry.demand += weight
            entry.by_occupation[occupation_uri] = entry.by_occupation.get(occupation_uri, 0) + weight
    index = DemandIndex(dict(skills), weights)
    _CACHE[id(taxonomy)] = (taxonomy, index)
    return index


__all__ = ["REFERENCE_WAGE", "DemandIndex", "SkillDemand", "demand_index", "occupation_weight"]
