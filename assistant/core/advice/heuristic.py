"""Greedy weighted set cover with prerequisite closure: the heuristic planner and the recommender.

Each step considers every candidate not yet taken together with the cheapest way to unlock it (its
missing prerequisites, recursively: a *bundle*), and takes the bundle with the most newly covered gap
need per unit of effort, provided the budget still holds and, with a deadline, the list schedule of
everything taken still ends in time. Effort is normalised by the candidates' mean cost, hours and
weeks: most-coverage weighs cost and hours equally; cheapest weighs cost (hours only break ties);
fastest weighs weeks (cost breaks ties). Cheapest and fastest stop once they reach
``(1 − coverage_slack)`` of the coverage the most-coverage pass reached. Finally credentials whose
removal loses no coverage and strands no prerequisite are dropped. Nothing here is proven optimal.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from assistant.core.advice.planning import Plan
from assistant.core.advice.problem import PlanningProblem
from assistant.core.advice.schedule import ScheduleError, list_schedule, makespan
from assistant.core.models import RouteObjective

_EPS = 1e-9


@dataclass(frozen=True)
class Alternative:
    """The best bundle a pick was preferred to, for the 'chosen over' reason."""

    id: str
    gain: float
    cost: float
    hours: float
    ratio: float


@dataclass(frozen=True)
class Pick:
    """One greedy step: ``bundle`` is the prerequisites it needed, then ``id`` itself."""

    id: str
    bundle: tuple[str, ...]
    gain: float
    new_covers: frozenset[str]
    ratio: float
    runner_up: Alternative | None


class _Effort:
    def __init__(self, problem: PlanningProblem, objective: RouteObjective) -> None:
        values = list(problem.candidates.values())
        self.problem = problem
        self.objective = objective
        self.cost = _mean([float(c.cost) for c in values])
        self.hours = _mean([c.hours for c in values])
        self.weeks = _mean([float(c.weeks) for c in values])

    def of(self, ids: Sequence[str]) -> float:
        cs = [self.problem.candidates[cid] for cid in ids]
        cost = sum(float(c.cost) for c in cs) / self.cost
        hours = sum(c.hours for c in cs) / self.hours
        weeks = sum(c.weeks for c in cs) / self.weeks
        if self.objective is RouteObjective.CHEAPEST:
            return cost + 0.05 * hours + 0.01
        if self.objective is RouteObjective.FASTEST:
            return weeks + 0.05 * cost + 0.01
        return 0.5 * cost + 0.5 * hours + 0.01


def _mean(values: list[float]) -> float:
    """Mean for normalising effort; 1 when there is nothing (or only zeros) to normalise by."""
    return (fmean(values) if values else 0.0) or 1.0


def closure(problem: PlanningProblem, cid: str, taken: set[str], effort: _Effort) -> list[str] | None:
    """Prerequisites (prerequisites first) to add so ``cid`` can be taken after ``taken``; None if impossible."""
    local = set(taken)
    order: list[str] = []

    def unlock(current: str, path: frozenset[str]) -> bool:
        for group in problem.candidates[current].prerequisites:
            short = problem.shortfall(group, local)
            options = sorted(
                (p for p in problem.eligible(group) if p not in local and p not in path),
                key=lambda p: effort.of([p]),
            )
            for option in options:
                if short == 0:
                    break
                snapshot_local, snapshot_order = set(local), list(order)
                if unlock(option, path | {option}):
                    local.add(option)
                    order.append(option)
                    short -= 1
                else:
                    local.clear()
                    local.update(snapshot_local)
                    order[:] = snapshot_order
            if short > 0:
                return False
        return True

    return order if unlock(cid, frozenset({cid})) else None


def greedy_picks(
    problem: PlanningProblem,
    objective: RouteObjective,
    *,
    stop_at: float | None = None,
    limit: int | None = None,
    made_for_first: bool = False,
) -> list[Pick]:
    """The greedy steps (rules in the module docstring), in the order they were taken; with
    ``made_for_first``, credentials made for the goal are taken before piecemeal coverage."""
    effort = _Effort(problem, objective)
    taken: set[str] = set()
    order: list[str] = []
    covered: set[str] = set()
    cost = 0.0
    picks: list[Pick] = []
    budget = float(problem.budget) if problem.budget is not None else None
    rank = {cid: i for i, cid in enumerate(problem.candidates)}
    while limit is None or len(picks) < limit:
        if stop_at is not None and sum(problem.needs[u] for u in covered) >= stop_at - _EPS:
            break
        scored = []
        for cid, candidate in problem.candidates.items():
            # made for the goal by its title though it covers no gap skill: a recommendation, after those that do
            named = made_for_first and candidate.uncounted
            if cid in taken or not (candidate.covers - covered or named):
                continue
            extra = closure(problem, cid, taken, effort)
            if extra is None:
                continue
            bundle = (*extra, cid)
            new = frozenset().union(*(problem.candidates[b].covers for b in bundle)) - covered
            gain = sum(problem.needs[u] for u in new)
            if gain <= _EPS and not named:
                continue
            scored.append((gain / effort.of(bundle), gain, cid, bundle, new))
        scored.sort(key=lambda s: (made_for_first and not problem.candidates[s[2]].made_for, -s[0], -s[1], rank[s[2]]))
        chosen = None
        for position, entry in enumerate(scored):
            _, gain, cid, bundle, new = entry
            bundle_cost = sum(float(problem.candidates[b].cost) for b in bundle)
            if budget is not None and cost + bundle_cost > budget + _EPS:
                continue
            if problem.horizon is not None and not _fits(problem, [*order, *bundle]):
                continue
            chosen = (position, entry, bundle_cost)
            break
        if chosen is None:
            break
        position, (ratio, gain, cid, bundle, new), bundle_cost = chosen
        runner = next((s for i, s in enumerate(scored) if i != position and s[2] not in bundle), None)
        alternative = None
        if runner is not None:
            alt = problem.candidates[runner[2]]
            alternative = Alternative(runner[2], runner[1], float(alt.cost), alt.hours, runner[0])
        picks.append(Pick(cid, bundle, gain, new, ratio, alternative))
        taken.update(bundle)
        order.extend(bundle)
        covered |= new
        cost += bundle_cost
    return picks


def _fits(problem: PlanningProblem, ids: Sequence[str]) -> bool:
    try:
        starts = list_schedule(problem, ids)
    except ScheduleError:
        return False
    return problem.horizon is None or makespan(problem, starts) <= problem.horizon


def prune(problem: PlanningProblem, order: list[str]) -> list[str]:
    """Drop credentials (latest first) whose removal keeps coverage and every prerequisite met."""
    kept = list(order)
    target = problem.coverage_need(kept)
    for cid in reversed(order):
        trial = [c for c in kept if c != cid]
        if problem.coverage_need(trial) < target - _EPS:
            continue
        rest = set(trial)
        if all(
            problem.shortfall(group, rest) == 0 for other in trial for group in problem.candidates[other].prerequisites
        ):
            kept = trial
    return kept


class GreedyPlanner:
    """The heuristic planner: greedy picks, pruning, then the list schedule."""

    @property
    def name(self) -> str:
        return "greedy"

    def plan(self, problem: PlanningProblem, objectives: Sequence[RouteObjective]) -> list[Plan]:
        started = time.perf_counter()
        best = _selection(problem, RouteObjective.MOST_COVERAGE, None)
        reach = problem.coverage_need(best)
        out = []
        for objective in objectives:
            t0 = time.perf_counter()
            if objective is RouteObjective.MOST_COVERAGE:
                chosen = best
            else:
                chosen = _selection(problem, objective, (1 - problem.coverage_slack) * reach)
            starts = list_schedule(problem, chosen)
            elapsed = time.perf_counter() - (started if objective is RouteObjective.MOST_COVERAGE else t0)
            out.append(Plan(objective, tuple(chosen), starts, "heuristic", "greedy", round(elapsed, 6)))
        return out


def _selection(problem: PlanningProblem, objective: RouteObjective, stop_at: float | None) -> list[str]:
    picks = greedy_picks(problem, objective, stop_at=stop_at)
    order = [cid for pick in picks for cid in pick.bundle]
    return prune(problem, order)
