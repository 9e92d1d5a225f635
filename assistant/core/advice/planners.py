"""The policy that picks a planner: exact (CP-SAT) when the problem is small enough, greedy beyond.

The exact planner proves optimality when it can; the greedy one never claims it. :class:`AutoPlanner`
uses the exact planner up to ``max_exact_candidates`` candidates (measured in ``eval/bench_advice.py``:
the demo catalog's problems solve to proven optimality in well under a second) and the heuristic above
that, saying so in the plan's notes. OR-Tools is imported only when an exact plan is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.core.advice.heuristic import GreedyPlanner
from assistant.core.advice.planning import Plan, with_note
from assistant.core.advice.problem import PlanningProblem
from assistant.core.models import RouteObjective

EXACT_MAX_CANDIDATES = 400
DEFAULT_TIME_LIMIT_S = 5.0


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
        greedy = GreedyPlanner()
        size = len(problem.candidates)
        if size > self.max_exact_candidates:
            note = (
                f"{size} candidate credentials exceed the exact planner's limit of {self.max_exact_candidates}; "
                "the greedy heuristic planned these routes (not proven optimal)."
            )
            return [with_note(plan, note) for plan in greedy.plan(problem, objectives)]
        try:
            from assistant.core.advice.solver_cpsat import CpSatPlanner
        except ImportError as exc:  # OR-Tools is a dependency; this only guards a broken install
            note = f"exact planner unavailable ({exc}); the greedy heuristic planned these routes."
            return [with_note(plan, note) for plan in greedy.plan(problem, objectives)]
        planner = CpSatPlanner(time_limit_s=self.time_limit_s, workers=self.workers, warm_start=greedy)
        return planner.plan(problem, objectives)
