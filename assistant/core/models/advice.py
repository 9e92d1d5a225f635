"""What Stackwise computes for a learner: the gap, recommended credentials and stacking routes."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from assistant.core.models._base import Record
from assistant.core.models.credentials import CreditUnit
from assistant.core.models.learner import Evidence
from assistant.core.models.taxonomy import OccupationRequirement


class GapStatus(StrEnum):
    MISSING = "missing"
    WEAK = "weak"


class GapItem(Record):
    """A required skill the learner lacks or shows only partly.

    ``requirements`` cite where the requirement comes from; ``closest`` is the résumé evidence that
    came nearest (``None`` when nothing did) and ``credit`` the partial credit it earned in [0, 1).
    """

    skill_uri: str
    label: str
    weight: float = Field(ge=0)
    status: GapStatus
    requirements: tuple[OccupationRequirement, ...] = Field(min_length=1)
    closest: Evidence | None = None
    credit: float = Field(default=0, ge=0, lt=1)


class Recommendation(Record):
    """A catalog credential chosen to close part of the gap, with the reasons it was chosen."""

    credential_id: str
    covers: tuple[str, ...] = Field(description="gap skill URIs this credential covers")
    score: float
    reasons: tuple[str, ...] = ()
    prerequisite_of: str | None = Field(
        default=None, description="the recommended credential this one is there only to unlock (listed right after it)"
    )


class RouteObjective(StrEnum):
    FASTEST = "fastest"
    CHEAPEST = "cheapest"
    MOST_COVERAGE = "most-coverage"


class RouteStep(Record):
    """One credential in a route, scheduled into weeks from the start (inclusive, 1-based)."""

    credential_id: str
    start_week: int = Field(ge=1)
    end_week: int = Field(ge=1)
    covers: tuple[str, ...] = Field(default=(), description="core gap skill URIs this step teaches")
    unlocks: tuple[str, ...] = Field(default=(), description="route steps this one is a prerequisite of")
    made_for_goal: bool = Field(default=False, description="the credential's title names the goal job")
    why: str = Field(default="", description="one plain sentence: why this step is on the route")


class StackProgress(Record):
    """How far a route gets toward a bigger credential."""

    target_id: str
    credit_earned: float = Field(ge=0)
    credit_required: float = Field(gt=0)
    credit_unit: CreditUnit = CreditUnit.ECTS

    @property
    def complete(self) -> bool:
        return self.credit_earned >= self.credit_required


class Route(Record):
    """An ordered plan with prerequisites met; ``optimal`` says whether a solver proved it so."""

    objective: RouteObjective
    steps: tuple[RouteStep, ...]
    total_cost: Decimal = Field(ge=0)
    currency: str = "USD"
    total_hours: float = Field(ge=0)
    total_ects: float = Field(ge=0)
    weeks: int = Field(ge=0)
    coverage: float = Field(ge=0, le=1, description="share of gap weight the route covers")
    stacks_toward: tuple[StackProgress, ...] = ()
    optimal: bool = False
    solver: str = ""
