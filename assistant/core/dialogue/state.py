"""What a conversation remembers between turns, and what one turn returns.

The state is a plain, JSON-serialisable record: the service stores it per session and hands it back on
the next message, so any worker can answer any turn and a restart loses nothing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.core.advice import OccupationTarget, PostingTarget, WhatIf
from assistant.core.advice.view import AdviceView
from assistant.core.models import EarnedCredential, LearnerProfile, RouteObjective


class ComparisonRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    target: str
    readiness: float
    gap_items: int
    best_coverage: float
    cheapest_cost: str | None
    fastest_weeks: int | None
    wage_median: float | None = None
    growth_pct: float | None = None

    @classmethod
    def rows(cls, comparison: WhatIf) -> tuple[ComparisonRow, ...]:
        """A what-if as the chat and the pages show it: one row a goal."""
        return tuple(
            cls(
                target=row.target,
                readiness=row.readiness,
                gap_items=row.gap_items,
                best_coverage=row.best_coverage,
                cheapest_cost=str(row.cheapest_cost) if row.cheapest_cost is not None else None,
                fastest_weeks=row.fastest_weeks,
                wage_median=row.wage_median,
                growth_pct=row.growth_pct,
            )
            for row in comparison.rows
        )


class UndoPoint(BaseModel):
    """What the learner had before the last change the assistant made, so "undo" can put it back."""

    model_config = ConfigDict(frozen=True)

    profile: LearnerProfile
    earned: tuple[EarnedCredential, ...] = ()
    target: OccupationTarget | PostingTarget | None = Field(default=None, discriminator="kind")
    objective: RouteObjective = RouteObjective.MOST_COVERAGE
    changes: tuple[str, ...] = ()


class ConversationState(BaseModel):
    """The learner's profile, goal and limits as said so far, plus the last advice computed for them."""

    model_config = ConfigDict(extra="ignore")

    profile: LearnerProfile = LearnerProfile()
    earned: tuple[EarnedCredential, ...] = ()
    target: OccupationTarget | PostingTarget | None = Field(default=None, discriminator="kind")
    objective: RouteObjective = RouteObjective.MOST_COVERAGE
    focus: str | None = Field(default=None, description="the credential id the learner last looked at")
    view: AdviceView | None = None
    comparison: tuple[ComparisonRow, ...] = ()
    previous_goals: tuple[str, ...] = ()
    turns: int = 0
    awaiting: Literal["goal", "profile", "budget"] | None = None
    goal_options: tuple[str, ...] = Field(default=(), description="the jobs offered when a goal was unclear")
    pending_resume: str | None = Field(
        default=None, description="a pasted résumé waiting for 'replace' or 'add'; dropped on the next turn"
    )
    undo: UndoPoint | None = None

    @property
    def goal_label(self) -> str | None:
        if self.view is not None:
            return self.view.target.label
        return self.target.title if self.target else None


class GuardReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    ok: bool
    violations: tuple[str, ...] = ()
    regenerated: bool = False
    fell_back: bool = False


class Reply(BaseModel):
    """One assistant turn: Markdown text, the advice it speaks about, and how it was checked."""

    model_config = ConfigDict(frozen=True)

    text: str
    intent: str
    mode: Literal["embedded", "llm"] = "embedded"
    view: AdviceView | None = None
    comparison: tuple[ComparisonRow, ...] = ()
    focus: str | None = None
    suggestions: tuple[str, ...] = ()
    guard: GuardReport = GuardReport(ok=True)
    tools: tuple[str, ...] = ()
