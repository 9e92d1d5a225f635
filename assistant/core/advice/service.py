"""The facade: profile + target + constraints in, gap, recommendations and routes out.

``advise`` runs the steps in order — held credentials → target → weighted requirements → gap →
planning problem → recommendations → routes — with every port injected (similarity, title search,
planner), so the same call serves the CLI, the API and the evaluation, and tests pass fakes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from assistant.core.advice.gap import GapAnalysis, GapPolicy, analyse_gap
from assistant.core.advice.matching import SkillMatch, SkillMatcher, SkillSimilarity
from assistant.core.advice.planning import ALL_OBJECTIVES, AutoPlanner, RoutePlanner
from assistant.core.advice.problem import PlanningProblem, build_problem
from assistant.core.advice.profile import holdings
from assistant.core.advice.recommend import recommend
from assistant.core.advice.requirements import WeightPolicy, weigh
from assistant.core.advice.routes import RouteReport, plan_routes
from assistant.core.advice.targets import (
    ExploreTarget,
    OccupationOption,
    OccupationTarget,
    PostingTarget,
    ResolvedTarget,
    TitleSearch,
    explore_occupations,
    posting_requirements,
    resolve_occupation,
)
from assistant.core.catalog import Catalog
from assistant.core.models import (
    EarnedCredential,
    GapItem,
    LearnerProfile,
    OccupationRequirement,
    Recommendation,
    RouteObjective,
)
from assistant.core.taxonomy import Taxonomy


class AdviceOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date | None = None
    objectives: tuple[RouteObjective, ...] = ALL_OBJECTIVES
    max_recommendations: int = 8
    coverage_slack: float = 0.2


class AdviceResult(BaseModel):
    """Everything the advice says, each part citing where it comes from."""

    model_config = ConfigDict(frozen=True)

    profile: LearnerProfile
    target: ResolvedTarget
    explored: tuple[OccupationOption, ...] = ()
    gap: tuple[GapItem, ...]
    met: tuple[SkillMatch, ...]
    matches: tuple[SkillMatch, ...]
    required_weight: float
    gap_weight: float
    core: frozenset[str] = frozenset()
    recommendations: tuple[Recommendation, ...]
    routes: tuple[RouteReport, ...]
    titles: Mapping[str, str]
    excluded: Mapping[str, str]
    start: date
    notes: tuple[str, ...] = ()

    @property
    def core_gap(self) -> tuple[GapItem, ...]:
        """Gap items routes are planned to close (base strength at least ``GapPolicy.core_weight``)."""
        return tuple(item for item in self.gap if item.skill_uri in self.core)

    @property
    def readiness(self) -> float:
        """Share of the required weight already met (1 − gap need / required weight)."""
        return 1 - self.gap_weight / self.required_weight if self.required_weight else 1.0


Target = OccupationTarget | PostingTarget | ExploreTarget


@dataclass(frozen=True)
class Preparation:
    """Everything before recommending and routing: what ``advise`` plans from (the benchmark reuses it)."""

    profile: LearnerProfile
    target: ResolvedTarget
    explored: tuple[OccupationOption, ...]
    gap: GapAnalysis
    problem: PlanningProblem
    matcher: SkillMatcher
    start: date
    notes: tuple[str, ...]


def prepare(
    profile: LearnerProfile,
    target: Target,
    *,
    taxonomy: Taxonomy,
    catalog: Catalog,
    similarity: SkillSimilarity | None = None,
    title_search: TitleSearch | None = None,
    earned: Iterable[EarnedCredential] = (),
    options: AdviceOptions | None = None,
    weights: WeightPolicy | None = None,
    gap_policy: GapPolicy | None = None,
) -> Preparation:
    """Held credentials → target → weighted requirements → gap → planning problem."""
    options = options or AdviceOptions()
    start = options.start or date.today()
    held = holdings(profile, earned, catalog, taxonomy)
    skills = (*profile.skills, *held.skills)
    used = profile.model_copy(update={"earned_credentials": tuple(sorted(held.credential_ids)), "skills": skills})
    matcher = SkillMatcher(taxonomy, similarity)
    notes = list(held.notes)
    if similarity is None:
        notes.append("No similarity model: skills matched by ESCO concept, hierarchy and relations only.")
    explored: tuple[OccupationOption, ...] = ()
    requirements: list[OccupationRequirement]
    if isinstance(target, PostingTarget):
        resolved, requirements = posting_requirements(target)
    elif isinstance(target, ExploreTarget):
        catalog_skills = frozenset(uri for c in catalog for uri in c.skill_uris)
        explored = tuple(
            explore_occupations(taxonomy, skills, matcher, catalog_skills=catalog_skills, limit=target.limit)
        )
        if not explored:
            resolved = ResolvedTarget(kind="explore", label="explore", reasons=("no occupation shares your skills",))
            requirements = []
        else:
            top = explored[0]
            resolved = ResolvedTarget(
                kind="explore",
                label=top.label,
                occupation_uri=top.occupation_uri,
                score=top.score,
                reasons=(f"best of {len(explored)} occupations ranked for this profile", *top.reasons),
            )
            requirements = taxonomy.requirements_for(top.occupation_uri)
    else:
        resolved = resolve_occupation(taxonomy, target, title_search)
        assert resolved.occupation_uri is not None
        requirements = taxonomy.requirements_for(resolved.occupation_uri)

    weighted = weigh(requirements, weights or WeightPolicy(), label_of=taxonomy.label_of)
    if weighted.hot_unlinked:
        names = weighted.hot_unlinked
        notes.append(
            f"O*NET also lists hot or in-demand technologies with no ESCO link (not scored): "
            f"{', '.join(names[:8])}{' …' if len(names) > 8 else ''}."
        )
    gap = analyse_gap(weighted, skills, matcher, gap_policy or GapPolicy())
    problem = build_problem(
        gap,
        catalog,
        profile.constraints,
        held.credential_ids,
        matcher,
        start=start,
        coverage_slack=options.coverage_slack,
    )
    notes.extend(problem.notes)
    if problem.total_need > 0:
        reach = problem.coverage_need(frozenset(problem.candidates)) / problem.total_need
        notes.append(f"Under these constraints the catalog can cover at most {reach:.0%} of the core gap's weight.")
    if problem.excluded:
        reasons = Counter(_reason_kind(why) for why in problem.excluded.values())
        notes.append(
            "Not planned: " + "; ".join(f"{n} {kind}" for kind, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
        )
    return Preparation(used, resolved, explored, gap, problem, matcher, start, tuple(notes))


def advise(
    profile: LearnerProfile,
    target: Target,
    *,
    taxonomy: Taxonomy,
    catalog: Catalog,
    similarity: SkillSimilarity | None = None,
    title_search: TitleSearch | None = None,
    planner: RoutePlanner | None = None,
    earned: Iterable[EarnedCredential] = (),
    options: AdviceOptions | None = None,
    weights: WeightPolicy | None = None,
    gap_policy: GapPolicy | None = None,
) -> AdviceResult:
    """Gap, recommendations and routes for one profile and target (see the module docstring)."""
    options = options or AdviceOptions()
    prep = prepare(
        profile,
        target,
        taxonomy=taxonomy,
        catalog=catalog,
        similarity=similarity,
        title_search=title_search,
        earned=earned,
        options=options,
        weights=weights,
        gap_policy=gap_policy,
    )
    problem, gap = prep.problem, prep.gap
    recommendations = recommend(problem, catalog, limit=options.max_recommendations)
    routes = plan_routes(problem, catalog, planner or AutoPlanner(), options.objectives)
    mentioned = {r.credential_id for r in recommendations}
    mentioned |= {s.credential_id for r in routes for s in r.route.steps}
    mentioned |= {p.target_id for r in routes for p in r.route.stacks_toward}
    mentioned |= set(prep.profile.earned_credentials)
    return AdviceResult(
        profile=prep.profile,
        target=prep.target,
        explored=prep.explored,
        gap=gap.items,
        met=gap.met,
        matches=gap.matches,
        required_weight=gap.required_weight,
        gap_weight=gap.gap_weight,
        core=gap.core,
        recommendations=recommendations,
        routes=tuple(routes),
        titles={cid: catalog.get(cid).title for cid in sorted(mentioned)},
        excluded=dict(problem.excluded),
        start=prep.start,
        notes=prep.notes,
    )


def _reason_kind(why: str) -> str:
    for key, kind in (
        ("already held", "already held"),
        ("delivered", "by delivery mode"),
        ("taught in", "by language"),
        ("EQF", "by EQF level"),
        ("budget", "over budget"),
        ("priced in", "in another currency"),
        ("deadline", "too long for the deadline"),
        ("h/week", "need more hours a week"),
        ("prerequisites", "with prerequisites out of reach"),
    ):
        if key in why:
            return kind
    return "other"
