"""The exact route planner: an OR-Tools CP-SAT model, solved lexicographically.

The only module of the core that imports OR-Tools, and only when a plan is asked for.

Model (one per objective, the same variables each time):

* ``x_c`` — take candidate ``c``; it runs as an optional interval of ``weeks_c`` weeks from
  ``start_c`` in ``[0, horizon − weeks_c]`` (horizon: weeks to the deadline, else the sum of all
  candidates' weeks), using ``⌈100·load_c⌉`` of a weekly capacity of ``⌊100·hours_per_week⌋``
  (a cumulative constraint: credentials may overlap while their loads fit).
* Prerequisites: for each group of ``c`` still short of ``k`` after held credentials, booleans
  ``u_cp ≤ x_p`` per eligible member, ``Σ_p u_cp ≥ k·x_c``, and ``u_cp ⇒ start_c ≥ start_p + weeks_p``.
* Budget: ``Σ cents_c·x_c ≤ budget``. Deadline: through the horizon. Makespan ``M ≥ end_c`` if ``x_c``.
* Coverage: ``y_g ⇒ OR(x_c : c covers g)`` and ``coverage = Σ_g round(1000·need_g)·y_g``.

Objectives, each stage fixing the previous optimum as a bound (a stage that ends FEASIBLE fixes
the value it found, and the route is then reported as not optimal):

* shared first stage: maximise coverage (``V``);
* most-coverage: coverage ≥ V → min cost → min makespan → min hours;
* cheapest: coverage ≥ ⌈(1 − slack)·V⌉ → min cost → max coverage → min makespan → min hours;
* fastest: coverage ≥ ⌈(1 − slack)·V⌉ → min makespan → max coverage → min cost → min hours.

The search starts from the route the ``warm_start`` planner (the greedy heuristic, passed in by
``planners.AutoPlanner``) gives for the same objective (a solution hint), and
each stage's choice is carried into the next with its weeks re-packed by the list scheduler of
``schedule`` (a stage that optimises cost leaves weeks arbitrary). An unproven route gets the same
re-packing, and is never worse than the warm-start route it started from.

A route is ``optimal`` only when every stage, the shared one included, was proven OPTIMAL within the
time limit (``time_limit_s`` for the shared stage, then per objective, shared by its stages). With
one worker the search is deterministic, so the same problem gives the same route.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

from ortools.sat.python import cp_model

from assistant.core.advice.planning import Plan, PlanStatus, RoutePlanner, with_note
from assistant.core.advice.problem import PlanningProblem
from assistant.core.advice.schedule import ScheduleError, list_schedule, makespan
from assistant.core.models import RouteObjective

NEED_SCALE = 1000
LOAD_SCALE = 100


class _Model:
    """The variables and constraints shared by every stage."""

    def __init__(self, problem: PlanningProblem) -> None:
        self.problem = problem
        m = cp_model.CpModel()
        self.model = m
        ids = list(problem.candidates)
        self.ids = ids
        cands = problem.candidates
        horizon = problem.horizon if problem.horizon is not None else sum(c.weeks for c in cands.values())
        self.x = {cid: m.new_bool_var(f"x[{cid}]") for cid in ids}
        self.start = {}
        intervals, demands = [], []
        capacity = max(1, math.floor(problem.hours_per_week * LOAD_SCALE + 1e-6))
        for cid in ids:
            c = cands[cid]
            latest = horizon - c.weeks
            if latest < 0:
                m.add(self.x[cid] == 0)
                latest = 0
            start = m.new_int_var(0, latest, f"s[{cid}]")
            m.add(start == 0).only_enforce_if(~self.x[cid])
            self.start[cid] = start
            intervals.append(m.new_optional_fixed_size_interval_var(start, c.weeks, self.x[cid], f"i[{cid}]"))
            demands.append(min(capacity, math.ceil(c.load * LOAD_SCALE - 1e-6)))
        m.add_cumulative(intervals, demands, capacity)
        self.makespan = m.new_int_var(0, max(horizon, 0), "makespan")
        for cid in ids:
            m.add(self.makespan >= self.start[cid] + cands[cid].weeks).only_enforce_if(self.x[cid])
        for cid in ids:
            for g, group in enumerate(cands[cid].prerequisites):
                short = problem.shortfall(group, frozenset())
                if short == 0:
                    continue
                members = problem.eligible(group)
                if len(members) < short:
                    m.add(self.x[cid] == 0)
                    continue
                uses = []
                for p in members:
                    u = m.new_bool_var(f"u[{cid},{g},{p}]")
                    m.add_implication(u, self.x[p])
                    m.add_implication(u, self.x[cid])
                    m.add(self.start[cid] >= self.start[p] + cands[p].weeks).only_enforce_if(u)
                    uses.append(u)
                m.add(sum(uses) >= short).only_enforce_if(self.x[cid])
        self.cost = sum(round(float(cands[cid].cost) * 100) * self.x[cid] for cid in ids)
        if problem.budget is not None:
            m.add(self.cost <= math.floor(float(problem.budget) * 100 + 1e-6))
        self.hours = sum(round(cands[cid].hours) * self.x[cid] for cid in ids)
        terms = []
        for uri in sorted(problem.coverable):
            y = m.new_bool_var(f"y[{uri}]")
            m.add_bool_or([self.x[cid] for cid in ids if uri in cands[cid].covers]).only_enforce_if(y)
            terms.append(round(problem.needs[uri] * NEED_SCALE) * y)
        self.coverage = sum(terms)
        self.hint: dict[Any, int] = {}

    def solution(self, solver: cp_model.CpSolver) -> tuple[tuple[str, ...], dict[str, int]]:
        chosen = [cid for cid in self.ids if solver.value(self.x[cid])]
        starts = {cid: int(solver.value(self.start[cid])) for cid in chosen}
        order = {cid: i for i, cid in enumerate(self.ids)}
        chosen.sort(key=lambda cid: (starts[cid], order[cid]))
        return tuple(chosen), starts


class CpSatPlanner:
    """Exact planner; see the module docstring for the model and how optimality is reported."""

    def __init__(self, *, warm_start: RoutePlanner, time_limit_s: float = 5.0, workers: int = 1) -> None:
        self.warm_start = warm_start
        self.time_limit_s = time_limit_s
        self.workers = workers

    @property
    def name(self) -> str:
        return "cp-sat"

    def plan(self, problem: PlanningProblem, objectives: Sequence[RouteObjective]) -> list[Plan]:
        started = time.perf_counter()
        if not problem.coverable:
            note = "no candidate credential covers the gap, so the empty route is optimal"
            return [Plan(objective, (), {}, "optimal", self.name, 0.0, (note,)) for objective in objectives]
        wanted = tuple(dict.fromkeys((RouteObjective.MOST_COVERAGE, *objectives)))
        warm = {plan.objective: plan for plan in self.warm_start.plan(problem, wanted)}
        base = _Model(problem)
        _hint(base, _solution(warm[RouteObjective.MOST_COVERAGE]))
        status, solver = self._stage(base, base.coverage, maximise=True, deadline=started + self.time_limit_s)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return self._fallback(problem, objectives, "the exact planner found no solution in time")
        best = round(solver.objective_value)
        proven = status == cp_model.OPTIMAL
        first_seconds = time.perf_counter() - started
        plans = []
        for objective in objectives:
            t0 = time.perf_counter()
            plans.append(self._objective(problem, objective, best, proven, warm[objective], t0, first_seconds))
        return plans

    # -- stages ---------------------------------------------------------------------------------
    def _objective(
        self,
        problem: PlanningProblem,
        objective: RouteObjective,
        best: int,
        proven: bool,
        warm: Plan,
        t0: float,
        first_seconds: float,
    ) -> Plan:
        model = _Model(problem)
        m = model.model
        if objective is RouteObjective.MOST_COVERAGE:
            floor = best
            stages = [(model.cost, False), (model.makespan, False), (model.hours, False)]
        else:
            floor = math.ceil((1 - problem.coverage_slack) * best - 1e-9)
            first = (model.cost, False) if objective is RouteObjective.CHEAPEST else (model.makespan, False)
            second = (model.makespan, False) if objective is RouteObjective.CHEAPEST else (model.cost, False)
            stages = [first, (model.coverage, True), second, (model.hours, False)]
        m.add(model.coverage >= floor)
        solution = _solution(warm)
        _hint(model, solution)
        deadline = t0 + self.time_limit_s
        for expr, maximise in stages:
            status, solver = self._stage(model, expr, maximise=maximise, deadline=deadline)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                proven = False
                break
            proven = proven and status == cp_model.OPTIMAL
            solution = model.solution(solver)
            _hint(model, _compact(problem, solution))
        notes: tuple[str, ...] = ()
        if not proven:
            solution = _compact(problem, solution)
            notes = ("the time limit ended the search before optimality was proven",)
            heuristic = _solution(warm)
            if _coverage(problem, heuristic[0]) >= floor and _key(problem, objective, heuristic) < _key(
                problem, objective, solution
            ):
                solution = heuristic
                notes += (f"the {self.warm_start.name} route it started from was still the best found",)
        chosen, starts = solution
        plan_status: PlanStatus = "optimal" if proven else "feasible"
        seconds = time.perf_counter() - t0 + (first_seconds if objective is RouteObjective.MOST_COVERAGE else 0)
        return Plan(objective, chosen, starts, plan_status, "cp-sat", round(seconds, 6), notes)

    def _stage(self, model: _Model, expr: Any, *, maximise: bool, deadline: float) -> tuple[Any, cp_model.CpSolver]:
        m = model.model
        if maximise:
            m.maximize(expr)
        else:
            m.minimize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = 0
        status = solver.solve(m)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            value = round(solver.objective_value)
            m.add(expr >= value) if maximise else m.add(expr <= value)
        return status, solver

    def _fallback(self, problem: PlanningProblem, objectives: Sequence[RouteObjective], why: str) -> list[Plan]:
        note = f"{why}; the {self.warm_start.name} planner planned this route."
        return [with_note(plan, note) for plan in self.warm_start.plan(problem, objectives)]


Solution = tuple[tuple[str, ...], dict[str, int]]


def _solution(plan: Plan) -> Solution:
    return tuple(plan.chosen), dict(plan.starts)


def _coverage(problem: PlanningProblem, chosen: Sequence[str]) -> int:
    """Coverage as the model counts it (integer need units)."""
    covered = {uri for cid in chosen for uri in problem.candidates[cid].covers}
    return sum(round(problem.needs[uri] * NEED_SCALE) for uri in covered)


def _key(problem: PlanningProblem, objective: RouteObjective, solution: Solution) -> tuple[int, ...]:
    """The objective's lexicographic order, smaller is better (to compare two unproven routes)."""
    chosen, starts = solution
    coverage = _coverage(problem, chosen)
    cost = sum(round(float(problem.candidates[c].cost) * 100) for c in chosen)
    weeks = makespan(problem, starts)
    hours = sum(round(problem.candidates[c].hours) for c in chosen)
    if objective is RouteObjective.CHEAPEST:
        return (cost, -coverage, weeks, hours)
    if objective is RouteObjective.FASTEST:
        return (weeks, -coverage, cost, hours)
    return (-coverage, cost, weeks, hours)


def _compact(
    problem: PlanningProblem, solution: tuple[tuple[str, ...], dict[str, int]]
) -> tuple[tuple[str, ...], dict[str, int]]:
    """The same credentials list-scheduled, when that ends no later (a good hint, and a tidier unproven route).

    A stage that only selects credentials leaves their weeks arbitrary; the list schedule keeps
    prerequisites and weekly hours and usually ends far earlier. Never worse: the solver's weeks
    are kept when the list schedule would end later or past the horizon.
    """
    chosen, starts = solution
    try:
        compact = list_schedule(problem, chosen)
    except ScheduleError:
        return solution
    end = makespan(problem, compact)
    if end > makespan(problem, starts) or (problem.horizon is not None and end > problem.horizon):
        return solution
    order = {cid: i for i, cid in enumerate(problem.candidates)}
    return tuple(sorted(chosen, key=lambda cid: (compact[cid], order[cid]))), compact


def _hint(model: _Model, solution: tuple[tuple[str, ...], dict[str, int]]) -> None:
    chosen, starts = solution
    m = model.model
    m.clear_hints()  # type: ignore[no-untyped-call]
    for cid in model.ids:
        m.add_hint(model.x[cid], cid in chosen)
        m.add_hint(model.start[cid], starts.get(cid, 0))
