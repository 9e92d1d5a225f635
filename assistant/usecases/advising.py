"""Advice for a learner: gap, recommendations and routes toward a goal, a what-if comparison, suggestions.

Every entry point asks here with the same inputs (profile, earned badges, goal, limits), and this asks the
one :class:`~assistant.core.advice.AdviceService` through :func:`~assistant.core.advice.view.compute_view`,
as the chat does: the REST routes, the advisor's brief and ``stackwise advise`` cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from assistant.core.access import Principal
from assistant.core.advice import (
    AdviceOptions,
    AdviceResult,
    AdviceService,
    ExploreTarget,
    OccupationOption,
    OccupationTarget,
    PostingTarget,
    Target,
    WhatIf,
    compare_targets,
    holdings,
)
from assistant.core.advice.view import AdviceView, advice_view
from assistant.core.dialogue import ComparisonRow
from assistant.core.errors import ConflictError
from assistant.core.models import EarnedCredential, HeldSkill, LearnerProfile
from assistant.usecases.learners import Learners
from assistant.usecases.reading import Reader

#: how many occupations explore and suggestions rank (the chat's "which jobs fit me?" shows the same)
EXPLORE_LIMIT = 5


@dataclass(frozen=True)
class PostingText:
    """A job posting as pasted: read into skills (each citing its line) when advice is asked for."""

    text: str


Goal = OccupationTarget | PostingText | ExploreTarget


@dataclass(frozen=True)
class Suggestion:
    """An occupation ranked for the learner, with US wage and projected growth where they map, and how ready
    the learner is for it: the same readiness the advice and the what-if comparison give for that goal."""

    option: OccupationOption
    wage_median: float | None
    growth_pct: float | None
    readiness: float


@dataclass(frozen=True)
class Advising:
    advice: AdviceService
    learners: Learners
    reader: Reader
    today: Callable[[], date] = date.today

    # --- for any profile (the CLI, the chat's tools, the briefs) -----------------------------------------

    def target(self, goal: Goal) -> Target:
        """A goal as the core plans toward it; an occupation title that matches none fails here."""
        if isinstance(goal, PostingText):
            return self.reader.posting(goal.text)
        if isinstance(goal, OccupationTarget):
            self.advice.resolve(goal)
        return goal

    def result(
        self,
        profile: LearnerProfile,
        earned: Sequence[EarnedCredential],
        goal: Goal | PostingTarget,
        *,
        start: date | None = None,
    ) -> AdviceResult:
        target = goal if isinstance(goal, PostingTarget) else self.target(goal)
        return self.advice.advise(profile, target, earned=earned, options=AdviceOptions(start=start or self.today()))

    def view_for(
        self, profile: LearnerProfile, earned: Sequence[EarnedCredential], goal: Goal, *, start: date | None = None
    ) -> AdviceView:
        return advice_view(self.result(profile, earned, goal, start=start), self.advice.catalog, self.advice.taxonomy)

    def compare_for(
        self,
        profile: LearnerProfile,
        earned: Sequence[EarnedCredential],
        goals: Sequence[Goal | PostingTarget],
        *,
        start: date | None = None,
    ) -> WhatIf:
        targets = [goal if isinstance(goal, PostingTarget) else self.target(goal) for goal in goals]
        options = AdviceOptions(start=start or self.today())
        return compare_targets(self.advice, profile, targets, earned=earned, options=options)

    def shown_skills(
        self, profile: LearnerProfile, earned: Sequence[EarnedCredential]
    ) -> tuple[tuple[HeldSkill, ...], frozenset[str]]:
        """What occupations are explored from: the profile's skills and those its held credentials and badges
        teach, and the ids of the catalog credentials held."""
        held = holdings(profile, earned, self.advice.catalog, self.advice.taxonomy)
        return (*profile.skills, *held.skills), held.credential_ids

    def suggestions_for(self, profile: LearnerProfile, earned: Sequence[EarnedCredential]) -> list[Suggestion]:
        """Occupations ranked for the profile, its held credentials and badges, as explore ranks them."""
        skills, _ = self.shown_skills(profile, earned)
        if not skills:
            raise ConflictError("Add a résumé, skills or held credentials first.")
        taxonomy = self.advice.taxonomy
        out = []
        for option in self.advice.explore(skills, EXPLORE_LIMIT):
            wage = taxonomy.wage_for(option.occupation_uri)
            projection = taxonomy.projection_for(option.occupation_uri)
            goal = OccupationTarget(uri=option.occupation_uri)
            gap = self.advice.gap(profile, goal, earned=earned)
            out.append(
                Suggestion(
                    option,
                    wage.annual_median if wage else None,
                    projection.change_pct if projection else None,
                    round(gap.readiness, 4),
                )
            )
        return out

    # --- for a stored learner (the REST routes) ----------------------------------------------------------

    def view(self, caller: Principal, learner_id: str, goal: Goal) -> AdviceView:
        """Gap, recommendations and routes for a goal, computed from the stored profile, badges and limits."""
        profile, earned = self.learners.load(self.learners.access.learner(caller, learner_id))
        return self.view_for(profile, earned, goal)

    def compare(self, caller: Principal, learner_id: str, titles: Sequence[str]) -> tuple[ComparisonRow, ...]:
        """What-if: the same profile, badges and limits against two or three goals."""
        profile, earned = self.learners.load(self.learners.access.learner(caller, learner_id))
        goals = [OccupationTarget(title=title) for title in titles[:3]]
        return ComparisonRow.rows(self.compare_for(profile, earned, goals))

    def suggestions(self, caller: Principal, learner_id: str) -> list[Suggestion]:
        """Upskilling: occupations ranked for the stored profile and held credentials, with wage and growth."""
        profile, earned = self.learners.load(self.learners.access.learner(caller, learner_id))
        return self.suggestions_for(profile, earned)
