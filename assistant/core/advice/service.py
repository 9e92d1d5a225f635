"""The facade: profile + target + constraints in, gap, recommendations and routes out.

:class:`AdviceService` binds the data (taxonomy, catalog), the ports (similarity, title search,
planner) and the policies once; its ``advise`` runs the steps in order — held credentials → target →
weighted requirements → gap → planning problem → recommendations → routes — so the same call serves
the CLI, the API, the chat and the evaluation, and tests pass fakes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from pydantic import BaseModel, ConfigDict

from assistant.core.advice.gap import GapAnalysis, GapPolicy, analyse_gap, readiness_of, research_role
from assistant.core.advice.matching import SkillMatch, SkillMatcher, SkillSimilarity
from assistant.core.advice.planners import AutoPlanner
from assistant.core.advice.planning import ALL_OBJECTIVES, RoutePlanner
from assistant.core.advice.problem import Excluded, PlanningProblem, build_problem
from assistant.core.advice.profile import holdings
from assistant.core.advice.recommend import recommend
from assistant.core.advice.relevance import (
    Crowd,
    GoalFit,
    JobCrowd,
    credential_text,
    goal_fit,
    occupation_profile,
    skill_share,
)
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
    HeldSkill,
    LearnerProfile,
    OccupationRequirement,
    Recommendation,
    RelationType,
    RouteObjective,
)
from assistant.core.taxonomy import Taxonomy

RESOLVED_CACHE_SIZE = 1024


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
    excluded: Mapping[str, Excluded]
    #: core gap skills some catalog credential teaches, whatever the learner's limits
    taught_anywhere: frozenset[str] = frozenset()
    taught_within_limits: frozenset[str] = frozenset()
    start: date
    notes: tuple[str, ...] = ()

    @property
    def core_gap(self) -> tuple[GapItem, ...]:
        """Gap items routes are planned to close (base strength at least ``GapPolicy.core_weight``)."""
        return tuple(item for item in self.gap if item.skill_uri in self.core)

    @property
    def readiness(self) -> float:
        """Share of the required weight already met (``readiness_of``, as a gap analysis gives it)."""
        return readiness_of(self.gap_weight, self.required_weight)


Target = OccupationTarget | PostingTarget | ExploreTarget


@dataclass(frozen=True)
class _Assessed:
    """The first half of ``prepare``: the profile as used, the resolved target, its requirements and the gap."""

    profile: LearnerProfile
    target: ResolvedTarget
    explored: tuple[OccupationOption, ...]
    requirements: tuple[OccupationRequirement, ...]
    gap: GapAnalysis
    matcher: SkillMatcher
    held_ids: frozenset[str]
    notes: tuple[str, ...]


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


@dataclass(frozen=True)
class AdviceService:
    """Advice with its collaborators bound once: the data, the ports and the policies.

    One object serves the CLI, the API, the chat and the evaluation, so each caller passes only what
    differs per call (profile, earned badges, target, options) and none can forget a collaborator.
    """

    taxonomy: Taxonomy
    catalog: Catalog
    similarity: SkillSimilarity | None = None
    title_search: TitleSearch | None = None
    planner: RoutePlanner = field(default_factory=AutoPlanner)
    weights: WeightPolicy = field(default_factory=WeightPolicy)
    gap_policy: GapPolicy = field(default_factory=GapPolicy)
    crowd: JobCrowd | None = None
    _resolved: dict[tuple[str | None, str | None], ResolvedTarget] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _fits: dict[str, GoalFit] = field(default_factory=dict, init=False, repr=False, compare=False)
    _crowd: dict[str, Crowd] = field(default_factory=dict, init=False, repr=False, compare=False)

    def with_planner(self, planner: RoutePlanner) -> AdviceService:
        return replace(self, planner=planner)

    def resolve(self, target: OccupationTarget) -> ResolvedTarget:
        """The ESCO occupation a title names (raises NotFoundError when none does).

        Remembered per title, so a goal checked when it is set is not searched again when advised on.
        """
        key = (target.title, target.uri)
        resolved = self._resolved.get(key)
        if resolved is None:
            resolved = resolve_occupation(self.taxonomy, target, self.title_search)
            if len(self._resolved) >= RESOLVED_CACHE_SIZE:
                self._resolved.clear()
            self._resolved[key] = resolved
        return resolved

    def fit(
        self,
        occupation_uri: str,
        requirements: Sequence[OccupationRequirement] | None = None,
        matcher: SkillMatcher | None = None,
    ) -> GoalFit:
        """How close each catalog credential is to this goal occupation (``relevance``); it depends on the
        goal and the catalog only, so it is worked out once per goal."""
        known = self._fits.get(occupation_uri)
        if known is not None:
            return known
        if requirements is None:
            requirements = self.taxonomy.requirements_for(occupation_uri)
        matcher = matcher or SkillMatcher(self.taxonomy, self.similarity)
        required = [(r.skill_uri, r.label) for r in requirements if r.skill_uri]
        share = skill_share(self.catalog, required, matcher)
        essential = list(dict.fromkeys(r.label for r in requirements if r.relation is RelationType.ESSENTIAL))
        occupation = self.taxonomy.occupations[occupation_uri]
        fit = goal_fit(occupation, self.catalog, self.similarity, share, essential, self._crowds())
        if self.crowd is not None and not fit.crowd:
            return fit  # the profiles could not be read yet: not kept, so the next advice uses them
        if len(self._fits) >= RESOLVED_CACHE_SIZE:
            self._fits.clear()
        self._fits[occupation_uri] = fit
        return fit

    def _centrality(self, occupation_uri: str | None, required: Sequence[tuple[str, str]]) -> dict[str, float]:
        """How central each required skill is to the job: its label's cosine to the job's label and description.
        Orders a gap's equally weighted items ("use cooking techniques" before "assist customers" for a head chef)."""
        if self.similarity is None or occupation_uri is None or not required:
            return {}
        profile = occupation_profile(self.taxonomy.occupations[occupation_uri])
        row = self.similarity.similarity([profile], [label for _, label in required])[0]
        return {uri: float(score) for (uri, _), score in zip(required, row, strict=True)}

    def _crowds(self) -> Mapping[str, Crowd]:
        """Where each credential stands among all jobs (``relevance``): goal-free, worked out once."""
        if self.crowd is not None and not self._crowd and self.similarity is not None:
            items = list(self.catalog)
            values = self.crowd.crowd([credential_text(c) for c in items])
            if len(values) == len(items):  # none while the profiles cannot be read: the hand-set gate
                self._crowd.update(zip([c.id for c in items], values, strict=True))
        return self._crowd

    def explore(self, skills: Sequence[HeldSkill], limit: int) -> list[OccupationOption]:
        """Occupations ranked for these skills, among those the catalog can teach toward."""
        catalog_skills = frozenset(uri for c in self.catalog for uri in c.skill_uris)
        matcher = SkillMatcher(self.taxonomy, self.similarity)
        return explore_occupations(self.taxonomy, skills, matcher, catalog_skills=catalog_skills, limit=limit)

    def prepare(
        self,
        profile: LearnerProfile,
        target: Target,
        *,
        earned: Iterable[EarnedCredential] = (),
        options: AdviceOptions | None = None,
    ) -> Preparation:
        """Held credentials → target → weighted requirements → gap → planning problem."""
        options = options or AdviceOptions()
        start = options.start or date.today()
        assessed = self._assess(profile, target, earned)
        uri, matcher = assessed.target.occupation_uri, assessed.matcher
        fit = self.fit(uri, assessed.requirements, matcher) if uri else None
        problem = build_problem(
            assessed.gap,
            self.catalog,
            profile.constraints,
            assessed.held_ids,
            matcher,
            start=start,
            coverage_slack=options.coverage_slack,
            fit=fit,
        )
        notes = [*assessed.notes, *problem.notes]
        if problem.total_need > 0:
            reach = problem.coverage_need(frozenset(problem.candidates)) / problem.total_need
            notes.append(f"Under these constraints the catalog can cover at most {reach:.0%} of the core gap's weight.")
        if problem.excluded:
            reasons = Counter(why.kind.counted for why in problem.excluded.values())
            ranked = sorted(reasons.items(), key=lambda kv: -kv[1])
            notes.append("Not planned: " + "; ".join(f"{n} {kind}" for kind, n in ranked))
        return Preparation(
            assessed.profile, assessed.target, assessed.explored, assessed.gap, problem, matcher, start, tuple(notes)
        )

    def gap(self, profile: LearnerProfile, target: Target, *, earned: Iterable[EarnedCredential] = ()) -> GapAnalysis:
        """The gap alone, as ``prepare`` finds it, without the planning problem: what readiness needs (the
        alumni suggestions give one per occupation, and the problem was about half of that time)."""
        return self._assess(profile, target, earned).gap

    def _assess(self, profile: LearnerProfile, target: Target, earned: Iterable[EarnedCredential]) -> _Assessed:
        """Held credentials → target → weighted requirements → gap."""
        taxonomy, catalog = self.taxonomy, self.catalog
        held = holdings(profile, earned, catalog, taxonomy)
        skills = (*profile.skills, *held.skills, *product_skills(profile, taxonomy))
        used = profile.model_copy(update={"earned_credentials": tuple(sorted(held.credential_ids)), "skills": skills})
        matcher = SkillMatcher(taxonomy, self.similarity)
        notes = list(held.notes)
        if self.similarity is None:
            notes.append("No similarity model: skills matched by ESCO concept, hierarchy and relations only.")
        explored: tuple[OccupationOption, ...] = ()
        requirements: list[OccupationRequirement]
        if isinstance(target, PostingTarget):
            resolved, requirements = posting_requirements(target)
        elif isinstance(target, ExploreTarget):
            explored = tuple(self.explore(skills, target.limit))
            if not explored:
                none = ("no occupation shares your skills",)
                resolved = ResolvedTarget(kind="explore", label="explore", reasons=none)
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
            resolved = self.resolve(target)
            assert resolved.occupation_uri is not None
            requirements = taxonomy.requirements_for(resolved.occupation_uri)

        weighted = weigh(requirements, self.weights, label_of=taxonomy.label_of)
        if weighted.hot_unlinked:
            notes.append(technology_note(weighted.hot_unlinked, {t.name for t in profile.technologies}))
        gap = analyse_gap(
            weighted,
            skills,
            matcher,
            self.gap_policy,
            suggested=profile.unconfirmed,
            research_core=research_role(resolved.label),
            centrality=self._centrality(resolved.occupation_uri, [(r.skill_uri, r.label) for r in weighted.linked]),
        )
        return _Assessed(used, resolved, explored, tuple(requirements), gap, matcher, held.credential_ids, tuple(notes))

    def advise(
        self,
        profile: LearnerProfile,
        target: Target,
        *,
        earned: Iterable[EarnedCredential] = (),
        options: AdviceOptions | None = None,
    ) -> AdviceResult:
        """Gap, recommendations and routes for one profile and target (see the module docstring)."""
        options = options or AdviceOptions()
        catalog = self.catalog
        prep = self.prepare(profile, target, earned=earned, options=options)
        problem, gap = prep.problem, prep.gap
        recommendations = recommend(problem, catalog, limit=options.max_recommendations)
        routes = plan_routes(problem, catalog, self.planner, options.objectives)
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
            taught_anywhere=problem.taught_anywhere,
            taught_within_limits=problem.taught_within_limits,
            start=prep.start,
            notes=prep.notes,
        )


def product_skills(profile: LearnerProfile, taxonomy: Taxonomy) -> tuple[HeldSkill, ...]:
    """The ESCO skills of the products the résumé names ("Structured query language SQL" → SQL), as held
    skills citing the product's line; products are read by name, so these count like kept links."""
    held = profile.skill_uris
    out: dict[str, HeldSkill] = {}
    for product in profile.technologies:
        uri = product.skill_uri
        if uri and uri not in held and uri not in out:
            label = taxonomy.label_of(uri) or product.name
            out[uri] = HeldSkill(skill_uri=uri, label=label, confidence=0.9, evidence=product.evidence[:1])
    return tuple(out.values())


def technology_note(hot: Sequence[str], used: Collection[str]) -> str:
    """O*NET's hot or in-demand products for the goal that no ESCO skill stands for: those the learner already
    names, then the others. Not scored: a product is not a skill the catalog teaches."""
    have = [name for name in hot if name in used]
    missing = [name for name in hot if name not in used]
    text = "O*NET also lists hot or in-demand technologies for this goal (not scored, no ESCO link)"
    if have:
        text += f"; you already use {', '.join(have[:8])}{' …' if len(have) > 8 else ''}"
    if missing:
        lead = "; not in your profile: " if have else ": "
        text += f"{lead}{', '.join(missing[:8])}{' …' if len(missing) > 8 else ''}"
    return text + "."
