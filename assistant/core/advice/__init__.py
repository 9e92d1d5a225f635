"""Gap analysis, recommendations and stacking routes: one flat public API over small modules.

    advice = AdviceService(taxonomy, catalog, similarity=..., title_search=..., planner=...)
    advice.advise(profile, target, earned=badges) → AdviceResult(profile, target, gap, met, recommendations, routes)
    compare_targets(advice, profile, [target_a, target_b]) → WhatIf
    render_markdown(result) / render_whatif(comparison)

Ports a caller supplies: :class:`SkillSimilarity` (cosine between skill labels; ``EmbedderSimilarity``
wraps any ``Embedder``), :class:`TitleSearch` (``IndexTitleSearch`` wraps the occupations index,
``RankerTitleSearch`` the title normalizer) and
a :class:`RoutePlanner` (default :class:`AutoPlanner`: CP-SAT when the problem is small enough, the
greedy heuristic beyond). OR-Tools is imported only inside ``solver_cpsat`` when a plan is solved.
"""

from assistant.core.advice.gap import GapAnalysis, GapPolicy, analyse_gap, need
from assistant.core.advice.heuristic import GreedyPlanner
from assistant.core.advice.matching import (
    EmbedderSimilarity,
    LexicalSimilarity,
    MatchKind,
    MatchPolicy,
    SkillMatch,
    SkillMatcher,
    SkillSimilarity,
)
from assistant.core.advice.planners import EXACT_MAX_CANDIDATES, AutoPlanner
from assistant.core.advice.planning import Plan, RoutePlanner
from assistant.core.advice.problem import DEFAULT_HOURS_PER_WEEK, Candidate, PlanningProblem, build_problem
from assistant.core.advice.profile import (
    Holdings,
    TypedTerms,
    extract_skills,
    holdings,
    read_terms,
    skills_from_terms,
    technologies_from_terms,
    technology_lexicon_for,
)
from assistant.core.advice.recommend import recommend
from assistant.core.advice.render import render_markdown, render_whatif
from assistant.core.advice.requirements import WeightedRequirement, WeightedRequirements, WeightPolicy, weigh
from assistant.core.advice.routes import RouteReport, build_route, plan_routes, stack_progress
from assistant.core.advice.schedule import ScheduleError, list_schedule
from assistant.core.advice.service import AdviceOptions, AdviceResult, AdviceService, Preparation, Target
from assistant.core.advice.targets import (
    ExplorePolicy,
    ExploreTarget,
    IndexTitleSearch,
    OccupationOption,
    OccupationTarget,
    PostingSkill,
    PostingTarget,
    RankerTitleSearch,
    ResolvedTarget,
    TargetSpec,
    TitleCandidate,
    TitleSearch,
    explore_occupations,
    is_optional_line,
    posting_requirements,
    resolve_occupation,
)
from assistant.core.advice.whatif import WhatIf, WhatIfRow, compare_targets

__all__ = [
    "DEFAULT_HOURS_PER_WEEK",
    "EXACT_MAX_CANDIDATES",
    "AdviceOptions",
    "AdviceResult",
    "AdviceService",
    "AutoPlanner",
    "Candidate",
    "EmbedderSimilarity",
    "ExplorePolicy",
    "ExploreTarget",
    "GapAnalysis",
    "GapPolicy",
    "GreedyPlanner",
    "Holdings",
    "IndexTitleSearch",
    "LexicalSimilarity",
    "MatchKind",
    "MatchPolicy",
    "OccupationOption",
    "OccupationTarget",
    "Plan",
    "PlanningProblem",
    "PostingSkill",
    "PostingTarget",
    "Preparation",
    "RankerTitleSearch",
    "ResolvedTarget",
    "RoutePlanner",
    "RouteReport",
    "ScheduleError",
    "SkillMatch",
    "SkillMatcher",
    "SkillSimilarity",
    "Target",
    "TargetSpec",
    "TitleCandidate",
    "TitleSearch",
    "TypedTerms",
    "WeightPolicy",
    "WeightedRequirement",
    "WeightedRequirements",
    "WhatIf",
    "WhatIfRow",
    "analyse_gap",
    "build_problem",
    "build_route",
    "compare_targets",
    "explore_occupations",
    "extract_skills",
    "holdings",
    "is_optional_line",
    "list_schedule",
    "need",
    "plan_routes",
    "posting_requirements",
    "read_terms",
    "recommend",
    "render_markdown",
    "render_whatif",
    "resolve_occupation",
    "skills_from_terms",
    "stack_progress",
    "technologies_from_terms",
    "technology_lexicon_for",
    "weigh",
]
