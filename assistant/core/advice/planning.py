"""Route planners behind one small protocol, and the policy that picks exact or heuristic.

Every planner answers the same question: for a :class:`PlanningProblem` and an objective, which
candidates to take and from which week. The exact planner (CP-SAT, in ``solver_cpsat``, imported
only when used so the rest of the core stays pure) proves optimality when it can; the greedy one
never claims it. :class:`AutoPlanner` uses the exact planner up to ``max_exact_candidates``
candidates (measured in ``eval/bench_advice.py``: the demo catalog's problems solve to proven
optimality in well under a second) and the heuristic above that, saying so in the plan's notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from assistant.core.advice.problem import PlanningProblem
from assistant.core.models import RouteObjective

PlanStatus = Literal["optimal", "feasible", "heuristic"]
EXACT_MAX_CANDIDATES = 400
DEFAULT_TIME_LIMIT_S = 5.0
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


class AutoPlanner:
    """Exact (CP-SAT) up to ``max_exact_candidates`` candidates, the greedy heuristic beyond or without OR-Tools."""

    def __init__(
        self,
        *,
        max_exact_candidates: int = EXACT_MAX_CANDIDATES,
        time_limit_s: float = DEFAULT_TIME_LIMIT_S,
        workers: int = 1,
    ) -> None:
        self.max_exact_candidates = max_exact_candidates
        self.time_limit_s = time_limit_s
        self.workers = workers

    @property
    def name(self) -> str:
        return "auto"

    def plan(self, problem: PlanningProblem, objectives: Sequence[RouteObjective]) -> list[Plan]:
        from assistant.core.advice.heuristic import GreedyPlanner

        size = len(problem.candidates)
        if size > self.max_exact_candidates:
            note = (
                f"{size} candidate credentials exceed the exact planner's limit of {self.max_exact_candidates}; "
                "the greedy heuristic planned these routes (not proven optimal)."
            )
            return [_with_note(plan, note) for plan in GreedyPlanner().plan(problem, objectives)]
        try:
            from assistant.core.advice.solver_cpsat import CpSatPlanner
        except ImportError as exc:  # OR-Tools is a dependency; this only guards a broken install
            note = f"exact planner unavailable ({exc}); the greedy heuristic planned these routes."
            return [_with_note(plan, note) for plan in GreedyPlanner().plan(problem, objectives)]
        return CpSatPlanner(time_limit_s=self.time_limit_s, workers=self.workers).plan(problem, objectives)


def _with_note(plan: Plan, note: str) -> Plan:
    return Plan(plan.objective, plan.chosen, plan.starts, plan.status, plan.solver, plan.seconds, (*plan.notes, note))
