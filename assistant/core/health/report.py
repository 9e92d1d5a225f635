"""A catalog's health in one report: duplication, alignment, stacking, demand and coverage, and completeness.

The checks are in :mod:`structure` and :mod:`demand`; this module joins them and adds two that read the
catalog against the occupations. A catalog *teaches* a skill when one of its credentials' skills earns the
matcher's held credit toward it (the same skill, a close narrower one, or a near-synonym), the rule the
planner uses. **Demand gaps** are in-demand skills it does not teach, heaviest first. **Coverage** lists
the occupations the catalog says it prepares for (``prepares_for``) and those whose essential skills it
teaches the largest share of, each with the cheapest and fastest route a learner with no skills would get
(from the planner, when one is given).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from assistant.core.advice.matching import SkillMatcher
from assistant.core.catalog import Catalog
from assistant.core.health.demand import demand_index
from assistant.core.health.findings import DemandGap, HealthReport, OccupationCoverage, RouteSummary
from assistant.core.health.structure import completeness, destination_issues, near_duplicates, unaligned
from assistant.core.models import RelationType
from assistant.core.taxonomy import Taxonomy

DEMAND_GAPS = 40
COVERAGE_TOP = 12
MIN_ESSENTIAL = 5
MIN_SHARE = 0.25

#: occupation uri → (cheapest, fastest) route for a learner with no skills (None where none covers anything),
#: or None when it was not planned (a time budget ran out)
RouteFinder = Callable[[str], tuple[RouteSummary | None, RouteSummary | None] | None]


def taught_by(catalog: Catalog, matcher: SkillMatcher) -> dict[str, set[str]]:
    """Skill uri → ids of the credentials that teach it (held credit or more, see the module docstring)."""
    out: dict[str, set[str]] = defaultdict(set)
    by_skill: dict[str, set[str]] = defaultdict(set)
    for credential in catalog:
        for uri in credential.skill_uris:
            by_skill[uri].add(credential.id)
    for uri, ids in by_skill.items():
        for target, (credit, _) in matcher.neighbourhood(uri).items():
            if matcher.is_met(credit):
                out[target] |= ids
    return out


def demand_gaps(taxonomy: Taxonomy, taught: dict[str, set[str]], limit: int = DEMAND_GAPS) -> list[DemandGap]:
    index = demand_index(taxonomy)
    ranked = sorted(
        ((uri, entry) for uri, entry in index.skills.items() if uri not in taught and uri in taxonomy.skills),
        key=lambda item: (-item[1].demand, item[0]),
    )
    out = []
    for uri, entry in ranked[:limit]:
        heaviest = sorted(entry.by_occupation.items(), key=lambda kv: -kv[1])[:3]
        names = tuple(taxonomy.label_of(o) for o, _ in heaviest)
        hot = [taxonomy.label_of(o) for o in sorted(entry.hot, key=lambda o: -index.weights.get(o, 0))[:2]]
        essential = [n for o, n in zip((o for o, _ in heaviest), names, strict=True) if o not in entry.hot]
        sources = tuple(
            [f"ESCO essential skill of {', '.join(essential)}"] * bool(essential)
            + [f"O*NET hot or in-demand technology for {', '.join(hot)}"] * bool(hot)
        )
        out.append(
            DemandGap(
                skill_uri=uri,
                label=taxonomy.label_of(uri),
                demand=round(entry.demand, 1),
                occupations=names,
                hot_technology=bool(entry.hot),
                sources=sources,
            )
        )
    return out


def occupation_coverage(
    catalog: Catalog,
    taxonomy: Taxonomy,
    taught: dict[str, set[str]],
    routes: RouteFinder | None = None,
    top: int = COVERAGE_TOP,
) -> list[OccupationCoverage]:
    essential: dict[str, set[str]] = defaultdict(set)
    for relation in taxonomy.relations:
        if relation.relation is RelationType.ESSENTIAL:
            essential[relation.occupation_uri].add(relation.skill_uri)
    named: dict[str, list[str]] = defaultdict(list)
    for credential in catalog:
        for uri in credential.prepares_for:
            if uri in taxonomy.occupations:
                named[uri].append(credential.id)
    weights = demand_index(taxonomy).weights
    field_of = {c.id: c.field or "other" for c in catalog}
    scored = []
    for uri, skills in essential.items():
        covered = sum(1 for s in skills if s in taught)
        if uri in named or (len(skills) >= MIN_ESSENTIAL and covered / len(skills) >= MIN_SHARE):
            scored.append((uri, covered, len(skills)))
    scored.sort(key=lambda t: (t[0] not in named, -t[1] / t[2], -weights.get(t[0], 0.0), t[0]))
    chosen = [t for t in scored if t[0] in named] + [t for t in scored if t[0] not in named][:top]
    out = []
    for uri, covered, total in chosen:
        counts: dict[str, int] = defaultdict(int)
        for skill in essential[uri]:
            for cid in taught.get(skill, ()):
                counts[cid] += 1
        by_field: dict[str, int] = defaultdict(int)
        for skill in essential[uri]:
            for f in {field_of[cid] for cid in taught.get(skill, ())}:
                by_field[f] += 1
        planned = routes(uri) if routes is not None else None
        cheapest, fastest = planned if planned is not None else (None, None)
        why = (
            f"prepared for by {', '.join(sorted(named[uri])[:3])}"
            if uri in named
            else "the catalog teaches a large share of its essential skills"
        )
        out.append(
            OccupationCoverage(
                occupation_uri=uri,
                label=taxonomy.label_of(uri),
                why_listed=why,
                essential=total,
                covered=covered,
                share=round(covered / total, 3) if total else 0.0,
                teaching=tuple(sorted(counts, key=lambda c: (-counts[c], c))[:6]),
                by_field={f: round(n / total, 3) for f, n in sorted(by_field.items())} if total else {},
                cheapest=cheapest,
                fastest=fastest,
                routes_planned=planned is not None,
            )
        )
    return out


def catalog_health(
    catalog: Catalog,
    taxonomy: Taxonomy,
    matcher: SkillMatcher,
    *,
    routes: RouteFinder | None = None,
    name: str = "",
) -> HealthReport:
    """Every check of the module docstring on one catalog."""
    started = time.perf_counter()
    taught = taught_by(catalog, matcher)
    rows, counts = completeness(catalog)
    needed = taxonomy.occupations_requiring
    duplicates = near_duplicates(catalog, taxonomy.label_of)
    unused = unaligned(catalog, lambda uri: len(needed(uri)) if uri in taxonomy.skills else 0)
    destinations = destination_issues(catalog)
    coverage = occupation_coverage(catalog, taxonomy, taught, routes)
    named = {i for p in duplicates for i in p.ids} | {u.id for u in unused} | {r.id for r in rows}
    named |= {i for d in destinations for i in (d.id, *d.involved)} | {i for c in coverage for i in c.teaching}
    links = {cid: url for cid in sorted(named) if cid in catalog and (url := catalog.get(cid).url)}
    return HealthReport(
        catalog=name or f"{catalog.institution.name} ({catalog.source.replace(chr(92), '/').rsplit('/', 1)[-1]})",
        credentials=len(catalog),
        stack_destinations=len(catalog.stack_destinations()),
        duplicates=tuple(duplicates),
        unaligned=tuple(unused),
        destinations=tuple(destinations),
        demand_gaps=tuple(demand_gaps(taxonomy, taught)),
        coverage=tuple(coverage),
        completeness=tuple(rows),
        completeness_summary=counts,
        links=links,
        routes_pending=sum(not row.routes_planned for row in coverage) if routes is not None else 0,
        seconds=round(time.perf_counter() - started, 2),
    )


__all__ = ["RouteFinder", "catalog_health", "demand_gaps", "occupation_coverage", "taught_by"]
