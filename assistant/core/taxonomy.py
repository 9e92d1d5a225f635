"""The loaded taxonomy: ESCO skills and occupations joined with O*NET and BLS data.

Pure and in-memory: built by an importer or the bundle reader, then queried by linking, gap
analysis and the index builder. Lookups raise :class:`NotFoundError` with the unknown key named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from assistant.core.errors import NotFoundError
from assistant.core.models import (
    Occupation,
    OccupationRequirement,
    OccupationSkillRelation,
    OnetOccupation,
    OnetSkillRating,
    OnetTechnology,
    Projection,
    RelationType,
    RequirementSource,
    Skill,
    SkillGroup,
    Wage,
)


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """ESCO + O*NET + BLS, indexed for lookups.

    ``technology_skills`` links an O*NET technology example (e.g. "Python") to the ESCO skill with
    that exact label, and ``onet_skill_links`` an O*NET Skills element id to ESCO skills, so that
    requirements from both sources compare on ESCO URIs. Equality and hashing are by identity, so a
    loaded taxonomy can key caches.
    """

    skills: Mapping[str, Skill]
    occupations: Mapping[str, Occupation]
    relations: tuple[OccupationSkillRelation, ...]
    skill_groups: Mapping[str, SkillGroup] = field(default_factory=dict)
    skill_relations: tuple[tuple[str, str, RelationType], ...] = ()
    onet_occupations: Mapping[str, OnetOccupation] = field(default_factory=dict)
    onet_skills: tuple[OnetSkillRating, ...] = ()
    onet_technologies: tuple[OnetTechnology, ...] = ()
    wages: Mapping[str, Wage] = field(default_factory=dict)
    projections: Mapping[str, Projection] = field(default_factory=dict)
    technology_skills: Mapping[str, str] = field(default_factory=dict)
    onet_skill_links: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    releases: Mapping[str, str] = field(default_factory=dict)

    # -- lookups -------------------------------------------------------------------------------
    def skill(self, uri: str) -> Skill:
        try:
            return self.skills[uri]
        except KeyError:
            raise NotFoundError(f"no ESCO skill with URI {uri!r} in {self.releases.get('esco', 'ESCO')}") from None

    def occupation(self, uri: str) -> Occupation:
        try:
            return self.occupations[uri]
        except KeyError:
            raise NotFoundError(f"no ESCO occupation with URI {uri!r}") from None

    def label_of(self, uri: str) -> str:
        """Preferred label of a skill, skill group or occupation URI (the URI itself if unknown)."""
        for table in (self.skills, self.skill_groups, self.occupations):
            record = table.get(uri)
            if record is not None:
                return record.preferred_label
        return uri

    @cached_property
    def _relations_by_occupation(self) -> Mapping[str, tuple[OccupationSkillRelation, ...]]:
        grouped: dict[str, list[OccupationSkillRelation]] = defaultdict(list)
        for relation in self.relations:
            grouped[relation.occupation_uri].append(relation)
        return {uri: tuple(items) for uri, items in grouped.items()}

    @cached_property
    def _occupations_by_skill(self) -> Mapping[str, tuple[str, ...]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for relation in self.relations:
            grouped[relation.skill_uri].append(relation.occupation_uri)
        return {uri: tuple(items) for uri, items in grouped.items()}

    @cached_property
    def occupations_by_onet(self) -> Mapping[str, tuple[str, ...]]:
        """O*NET-SOC code → the ESCO occupations mapped to it, in the taxonomy's order."""
        grouped: dict[str, list[str]] = defaultdict(list)
        for occupation in self.occupations.values():
            for code in occupation.onet_codes:
                grouped[code].append(occupation.uri)
        return {code: tuple(uris) for code, uris in grouped.items()}

    def relations_for(self, occupation_uri: str) -> tuple[OccupationSkillRelation, ...]:
        self.occupation(occupation_uri)
        return self._relations_by_occupation.get(occupation_uri, ())

    def occupations_requiring(self, skill_uri: str) -> tuple[str, ...]:
        return self._occupations_by_skill.get(skill_uri, ())

    def ancestors(self, uri: str) -> tuple[str, ...]:
        """Broader skills and skill groups, nearest first (breadth-first over the hierarchy)."""
        seen: dict[str, None] = {}
        frontier = list(self._broader(uri))
        while frontier:
            nxt: list[str] = []
            for parent in frontier:
                if parent not in seen and parent != uri:
                    seen[parent] = None
                    nxt.extend(self._broader(parent))
            frontier = nxt
        return tuple(seen)

    def _broader(self, uri: str) -> tuple[str, ...]:
        record = self.skills.get(uri) or self.skill_groups.get(uri)
        return record.broader if record is not None else ()

    @cached_property
    def _onet_skills_by_code(self) -> Mapping[str, tuple[OnetSkillRating, ...]]:
        grouped: dict[str, list[OnetSkillRating]] = defaultdict(list)
        for rating in self.onet_skills:
            grouped[rating.onet_code].append(rating)
        return {code: tuple(items) for code, items in grouped.items()}

    @cached_property
    def _technologies_by_code(self) -> Mapping[str, tuple[OnetTechnology, ...]]:
        grouped: dict[str, list[OnetTechnology]] = defaultdict(list)
        for tech in self.onet_technologies:
            grouped[tech.onet_code].append(tech)
        return {code: tuple(items) for code, items in grouped.items()}

    def requirements_for(self, occupation_uri: str) -> list[OccupationRequirement]:
        """Everything the data says the occupation requires, each with its source to cite.

        ESCO essential/optional relations first; then, for the O*NET occupation the crosswalk maps
        it to, the Skills ratings (importance × level) and the technology skills with their
        hot-technology / in-demand flags, linked to ESCO skills where a link exists.
        """
        occupation = self.occupation(occupation_uri)
        esco = self.releases.get("esco", "ESCO")
        requirements = [
            OccupationRequirement(
                occupation_uri=occupation_uri,
                source=(
                    RequirementSource.ESCO_ESSENTIAL
                    if relation.relation is RelationType.ESSENTIAL
                    else RequirementSource.ESCO_OPTIONAL
                ),
                label=self.label_of(relation.skill_uri),
                skill_uri=relation.skill_uri,
                relation=relation.relation,
                citation=f"{esco}: {occupation.preferred_label} — {relation.relation.value} skill",
            )
            for relation in self.relations_for(occupation_uri)
        ]
        if not occupation.onet_codes:
            return requirements
        code = occupation.onet_codes[0]
        onet = self.releases.get("onet", "O*NET")
        onet_title = self.onet_occupations[code].title if code in self.onet_occupations else code
        for rating in self._onet_skills_by_code.get(code, ()):
            links = self.onet_skill_links.get(rating.element_id, (None,))
            for skill_uri in links:
                requirements.append(
                    OccupationRequirement(
                        occupation_uri=occupation_uri,
                        source=RequirementSource.ONET_SKILL,
                        label=rating.element_name,
                        skill_uri=skill_uri,
                        onet_code=code,
                        onet_element_id=rating.element_id,
                        importance=rating.importance,
                        level=rating.level,
                        citation=f"{onet} Skills: {onet_title} ({code}) — {rating.element_name}, "
                        f"importance {rating.importance:.2f}/5, level {rating.level:.2f}/7",
                    )
                )
        for tech in self._technologies_by_code.get(code, ()):
            flags = [
                name for name, on in (("hot technology", tech.hot_technology), ("in demand", tech.in_demand)) if on
            ]
            requirements.append(
                OccupationRequirement(
                    occupation_uri=occupation_uri,
                    source=RequirementSource.ONET_TECHNOLOGY,
                    label=tech.example,
                    skill_uri=self.technology_skills.get(tech.example),
                    onet_code=code,
                    hot_technology=tech.hot_technology,
                    in_demand=tech.in_demand,
                    citation=f"{onet} Technology Skills: {onet_title} ({code}) — {tech.example}"
                    + (f" ({', '.join(flags)})" if flags else ""),
                )
            )
        return requirements

    # -- labour market -------------------------------------------------------------------------
    def _by_soc(self, occupation_uri: str, table: Mapping[str, Wage] | Mapping[str, Projection]) -> str | None:
        for code in self.occupation(occupation_uri).onet_codes:
            soc = code.split(".")[0]
            for candidate in (soc, soc[:-1] + "0"):
                if candidate in table:
                    return candidate
        return None

    def wage_for(self, occupation_uri: str) -> Wage | None:
        """National OEWS wage for the occupation's SOC code (or its broad group when not published)."""
        key = self._by_soc(occupation_uri, self.wages)
        return self.wages[key] if key else None

    def projection_for(self, occupation_uri: str) -> Projection | None:
        """BLS projection for the occupation's SOC code, its broad group, or the aggregate the 2020–30
        projections publish it in ("Data scientists and mathematical science occupations, all other" for
        15-2051; "Project management specialists and business operations specialists, all other" for 13-1082):
        same minor group, and the aggregate's title names the OEWS occupation's first word."""
        key = self._by_soc(occupation_uri, self.projections)
        if key:
            return self.projections[key]
        wage = self.wage_for(occupation_uri)
        if wage is None:
            return None
        head = wage.title.split()[0].casefold().rstrip(",")
        for code, projection in sorted(self.projections.items()):
            if code[:4] == wage.soc_code[:4] and projection.title.casefold().startswith(head):
                return projection
        return None

    # -- summary -------------------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        mapped = sum(1 for occ in self.occupations.values() if occ.onet_codes)
        return {
            "skills": len(self.skills),
            "skill_groups": len(self.skill_groups),
            "occupations": len(self.occupations),
            "occupation_skill_relations": len(self.relations),
            "skill_skill_relations": len(self.skill_relations),
            "occupations_with_onet": mapped,
            "onet_occupations": len(self.onet_occupations),
            "onet_skill_ratings": len(self.onet_skills),
            "onet_technology_skills": len(self.onet_technologies),
            "onet_technologies_linked_to_esco": len(self.technology_skills),
            "wages": len(self.wages),
            "projections": len(self.projections),
        }
