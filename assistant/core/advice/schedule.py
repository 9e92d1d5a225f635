"""Weeks for a chosen set of credentials: prerequisites first, within the learner's weekly hours.

List scheduling: repeatedly place the credential that can start earliest, at the first week from
which it fits for all its weeks (the loads of credentials running at once add up to at most the
learner's hours per week). A prerequisite group of "k of these" is satisfied by held credentials
first, then by the chosen members that finish earliest. Weeks are 0-based here; a route shows them
1-based and inclusive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.core.advice.problem import PlanningProblem

CAPACITY_EPS = 1e-6


class ScheduleError(ValueError):
    """The chosen set does not include prerequisites its members need."""


def list_schedule(problem: PlanningProblem, chosen: Sequence[str]) -> dict[str, int]:
    """Start week (0-based) of each chosen credential; raises ScheduleError when one cannot start."""
    remaining = list(dict.fromkeys(chosen))
    chosen_set = frozenset(remaining)
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    usage: list[float] = []
    earliest: dict[str, int] = {}  # usage only grows, so a credential's earliest fit never moves back
    while remaining:
        best: tuple[int, int, str] | None = None
        for position, cid in enumerate(remaining):
            ready = _ready(problem, cid, chosen_set, ends)
            if ready is None:
                continue
            candidate = problem.candidates[cid]
            start = _first_fit(usage, max(ready, earliest.get(cid, 0)), candidate.weeks, candidate.load, problem)
            earliest[cid] = start
            if best is None or (start, position) < best[:2]:
                best = (start, position, cid)
        if best is None:
            raise ScheduleError(f"cannot order {', '.join(remaining)}: a prerequisite is neither held nor chosen")
        start, _, cid = best
        candidate = problem.candidates[cid]
        _reserve(usage, start, candidate.weeks, candidate.load)
        starts[cid] = start
        ends[cid] = start + candidate.weeks
        remaining.remove(cid)
    return starts


def makespan(problem: PlanningProblem, starts: Mapping[str, int]) -> int:
    return max((s + problem.candidates[cid].weeks for cid, s in starts.items()), default=0)


def _ready(problem: PlanningProblem, cid: str, chosen: frozenset[str], ends: Mapping[str, int]) -> int | None:
    """Earliest start allowed by prerequisites, or None while a needed prerequisite is unscheduled."""
    ready = 0
    for group in problem.candidates[cid].prerequisites:
        short = problem.shortfall(group, frozenset())
        if short == 0:
            continue
        members = [ref for ref in group.credential_ids if ref in chosen and ref not in problem.held]
        finished = sorted(ends[ref] for ref in members if ref in ends)
        if len(finished) >= short:
            ready = max(ready, finished[short - 1])
        elif len(members) >= short:
            return None
        else:
            raise ScheduleError(f"{cid} needs {short} of {', '.join(group.credential_ids)}, not chosen or held")
    return ready


def _first_fit(usage: list[float], ready: int, weeks: int, load: float, problem: PlanningProblem) -> int:
    start = ready
    limit = problem.hours_per_week + CAPACITY_EPS
    while True:
        clash = next(
            (t for t in range(start, start + weeks) if t < len(usage) and usage[t] + load > limit),
            None,
        )
        if clash is None:
            return start
        start = clash + 1


def _reserve(usage: list[float], start: int, weeks: int, load: float) -> None:
    if len(usage) < start + weeks:
        usage.extend([0.0] * (start + weeks - len(usage)))
    for t in range(start, start + weeks):
        usage[t] += load
