"""CP-SAT proves what brute force confirms; the greedy heuristic never claims optimality."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from assistant.core.advice import AutoPlanner, GreedyPlanner, PlanningProblem, ScheduleError, list_schedule
from assistant.core.advice.schedule import makespan
from assistant.core.advice.solver_cpsat import CpSatPlanner
from assistant.core.catalog import Catalog
from assistant.core.models import RouteObjective
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.test_problem import problem

OBJECTIVES = (RouteObjective.MOST_COVERAGE, RouteObjective.CHEAPEST, RouteObjective.FASTEST)


def _feasible(p: PlanningProblem, ids: tuple[str, ...]) -> bool:
    taken = set(ids)
    if any(p.shortfall(g, taken) for cid in ids for g in p.candidates[cid].prerequisites):
        return False
    if p.budget is not None and sum(p.candidates[c].cost for c in ids) > p.budget:
        return False
    return p.horizon is None or makespan(p, list_schedule(p, ids)) <= p.horizon


def _brute_force(p: PlanningProblem) -> tuple[float, Decimal]:
    best: tuple[float, Decimal] = (0.0, Decimal(0))
    for r in range(len(p.candidates) + 1):
        for ids in itertools.combinations(p.candidates, r):
            if _feasible(p, ids):
                cov = round(p.coverage_need(ids), 6)
                cost = sum((p.candidates[c].cost for c in ids), Decimal(0))
                if cov > best[0] or (cov == best[0] and cost < best[1]):
                    best = (cov, cost)
    return best


@pytest.mark.parametrize(
    "limits",
    [{}, {"budget": Decimal(700)}, {"deadline": date(2026, 3, 16)}, {"budget": Decimal(900), "hours_per_week": 12}],
)
def test_cpsat_matches_brute_force(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: object, limits: dict[str, object]
) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher, **limits)  # type: ignore[arg-type]
    plans = CpSatPlanner(time_limit_s=10, warm_start=GreedyPlanner()).plan(p, OBJECTIVES)
    best_cov, best_cost = _brute_force(p)
    most = plans[0]
    assert most.optimal and most.solver == "cp-sat"
    assert p.coverage_need(most.chosen) == pytest.approx(best_cov)
    assert sum(p.candidates[c].cost for c in most.chosen) == best_cost
    for plan in plans:
        assert _feasible(p, plan.chosen)
        assert p.coverage_need(plan.chosen) >= (1 - p.coverage_slack) * best_cov - 1e-6
        _check_schedule(p, plan.starts)
    cheapest, fastest = plans[1], plans[2]
    cost = {plan.objective: sum(p.candidates[c].cost for c in plan.chosen) for plan in plans}
    weeks = {plan.objective: makespan(p, plan.starts) for plan in plans}
    assert cost[RouteObjective.CHEAPEST] == min(cost.values())
    assert weeks[RouteObjective.FASTEST] == min(weeks.values())
    assert cheapest.optimal and fastest.optimal


def _check_schedule(p: PlanningProblem, starts: dict[str, int] | object) -> None:
    assert isinstance(starts, dict)
    for cid, start in starts.items():
        for group in p.candidates[cid].prerequisites:
            done = sum(
                1
                for ref in group.credential_ids
                if ref in p.held or (ref in starts and starts[ref] + p.candidates[ref].weeks <= start)
            )
            assert done >= group.required_count, cid
    horizon = max((s + p.candidates[c].weeks for c, s in starts.items()), default=0)
    for week in range(horizon):
        load = sum(p.candidates[c].load for c, s in starts.items() if s <= week < s + p.candidates[c].weeks)
        assert load <= p.hours_per_week + 1e-6


def test_greedy_is_feasible_and_honest(tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: object) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher, budget=Decimal(700))  # type: ignore[arg-type]
    for plan in GreedyPlanner().plan(p, OBJECTIVES):
        assert plan.status == "heuristic" and not plan.optimal and plan.solver == "greedy"
        assert _feasible(p, plan.chosen)
        _check_schedule(p, plan.starts)


def test_auto_planner_falls_back_above_its_limit(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: object
) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher)  # type: ignore[arg-type]
    plans = AutoPlanner(max_exact_candidates=2).plan(p, OBJECTIVES[:1])
    assert plans[0].solver == "greedy" and "exceed the exact planner's limit" in plans[0].notes[-1]
    assert AutoPlanner().plan(p, OBJECTIVES[:1])[0].solver == "cp-sat"


def test_schedule_respects_prerequisites_and_capacity(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: object
) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher, hours_per_week=20)  # type: ignore[arg-type]
    starts = list_schedule(p, ["C-130", "C-110", "C-101", "C-150"])
    assert (starts["C-101"], starts["C-110"], starts["C-130"]) == (0, 2, 6)
    assert starts["C-150"] == 0  # 6 h/week alongside the 10 h/week of C-101 fits in 20
    _check_schedule(p, starts)
    with pytest.raises(ScheduleError):
        list_schedule(p, ["C-130"])
