"""What every route planner shares: the :class:`Plan` it returns and the :class:`RoutePlanner` protocol.

Every planner answers the same question: for a :class:`PlanningProblem` and an objective, which
candidates to take and from which week. The planners live in their own modules and import only this
one: the greedy heuristic (``heuristic``), the exact CP-SAT planner (``solver_cpsat``, warm-started by
a planner passed in) and the chooser between them (``planners.AutoPlanner``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from assistant.core.advice.problem import PlanningProblem
from assistant.core.models import RouteObjective

PlanStatus = Literal["optimal", "feasible", "heuristic"]
ALL_OBJECTIVES: tuple[RouteObjective, ...] = (
    RouteObjective.MOST_COVERAGE,
    RouteObjective.CHEAPEST,
    RouteObjective.FASTEST,
)


@dataclass(frozen=True)
class Plan:
    """Chosen credentials with their 0-based start weeks; ``status`` says what is proven."""

    objective: RouteObjective
    chosen: tuple[str, ...]
    starts: Mapping[str, int]
    status: PlanStatus
    solver: str
    seconds: float
    notes: tuple[str, ...] = ()

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


@runtime_checkable
class RoutePlanner(Protocol):
    """Plans one route per objective for a problem (objectives may share work, hence a batch)."""

    @property
    def name(self) -> str: ...

    def plan(self, problem: PlanningProblem, objectives: Sequence[RouteObjective]) -> list[Plan]: ...


def with_note(plan: Plan, note: str) -> Plan:
    """The same plan with one more note (which planner ran, and why)."""
    return Plan(plan.objective, plan.chosen, plan.starts, plan.status, plan.solver, plan.seconds, (*plan.notes, note))
