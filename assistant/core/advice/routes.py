"""Plans become routes: ordered steps in weeks, totals, coverage and progress toward bigger credentials.

A route is what a planner chose, in start order, with each step's weeks (1-based, inclusive),
total cost, hours, ECTS and weeks, the share of the gap's need it covers (over the whole gap, so a
skill no credential teaches keeps coverage below 100 %), and for every bigger credential its steps
stack into, the credit it would then hold there (credentials already held count too) against what
that credential requires. ``optimal`` and ``solver`` repeat what the planner proved, nothing more.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from assistant.core.advice.planning import Plan, RoutePlanner
from assistant.core.advice.problem import PlanningProblem
from assistant.core.catalog import Catalog
from assistant.core.formatting import count, credits
from assistant.core.models import Route, RouteObjective, RouteStep, StackProgress

TERM_WEEKS = 15


class RouteReport(BaseModel):
    """A route with how it was planned and what a learner should know about it."""

    model_config = ConfigDict(frozen=True)

    route: Route
    status: str
    seconds: float
    hours_per_week: float
    deadline_weeks: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def terms(self) -> int:
        """Terms of ``TERM_WEEKS`` weeks the route spans (for people who plan in terms)."""
        return -(-self.route.weeks // TERM_WEEKS) if self.route.weeks else 0


def stack_progress(catalog: Catalog, route_ids: Collection[str], held: Collection[str]) -> tuple[StackProgress, ...]:
    """Progress toward every bigger credential a route step stacks into, and toward the credentials those
    stack into in turn (a certificate completed on the way counts toward its diploma), best progress first."""
    owned = set(route_ids) | set(held)
    targets: dict[str, None] = {}
    frontier = [rule.target_id for cid in route_ids for rule in catalog.get(cid).stacks_into]
    while frontier:
        target_id = frontier.pop(0)
        if target_id not in targets:
            targets[target_id] = None
            frontier += [rule.target_id for rule in catalog.get(target_id).stacks_into]
    earned_on_the_way = True
    while earned_on_the_way:  # a destination completed by the route counts toward what it stacks into
        earned_on_the_way = False
        for target_id in targets:
            if target_id not in owned and _completes(catalog, target_id, owned):
                owned.add(target_id)
                earned_on_the_way = True
    out = [item for target_id in targets if (item := _progress(catalog, target_id, owned)) is not None]
    out.sort(key=lambda p: (-p.credit_earned / p.credit_required, p.target_id))
    return tuple(out)


def _completes(catalog: Catalog, target_id: str, owned: Collection[str]) -> bool:
    item = _progress(catalog, target_id, owned)
    requirement = catalog.get(target_id).stack_requirement
    required = requirement.required_ids if requirement else ()
    return (
        item is not None
        and item.complete
        and not (requirement and requirement.additional_credits)
        and all(cid in owned for cid in required)
    )


def _progress(catalog: Catalog, target_id: str, owned: Collection[str]) -> StackProgress | None:
    requirement = catalog.get(target_id).stack_requirement
    if requirement is None:
        return None
    earned = sum(
        rule.credit
        for part in catalog.parts_of(target_id)
        if part.id in owned
        for rule in part.stacks_into
        if rule.target_id == target_id and rule.credit_unit == requirement.credit_unit
    )
    return StackProgress(
        target_id=target_id,
        credit_earned=round(earned, 4),
        credit_required=requirement.credits_required,
        credit_unit=requirement.credit_unit,
    )


def build_route(problem: PlanningProblem, plan: Plan, catalog: Catalog) -> RouteReport:
    """Turn a plan into a :class:`Route` with totals, coverage and stack progress."""
    steps = []
    for cid in plan.chosen:
        candidate = problem.candidates[cid]
        start = plan.starts[cid]
        covers = tuple(uri for uri in problem.needs if uri in candidate.covers)
        unlocks = tuple(
            other
            for other in plan.chosen
            if other != cid and any(cid in g.credential_ids for g in problem.candidates[other].prerequisites)
        )
        steps.append(
            RouteStep(
                credential_id=cid,
                start_week=start + 1,
                end_week=start + candidate.weeks,
                covers=covers,
                unlocks=unlocks,
                made_for_goal=candidate.made_for,
                why=step_reason(problem, catalog, cid, covers, unlocks),
            )
        )
    steps.sort(key=lambda s: (s.start_week, s.end_week, plan.chosen.index(s.credential_id)))
    total = problem.total_need
    covered = problem.coverage_need(plan.chosen)
    progress = stack_progress(catalog, plan.chosen, problem.held)
    route = Route(
        objective=plan.objective,
        steps=tuple(steps),
        total_cost=sum((problem.candidates[c].cost for c in plan.chosen), Decimal(0)),
        currency=problem.currency,
        total_hours=round(sum(problem.candidates[c].hours for c in plan.chosen), 4),
        total_ects=round(sum(problem.candidates[c].ects for c in plan.chosen), 4),
        weeks=max((s.end_week for s in steps), default=0),
        coverage=round(min(1.0, covered / total), 4) if total > 0 else 1.0,
        stacks_toward=progress,
        optimal=plan.optimal,
        solver=plan.solver,
    )
    notes = list(plan.notes)
    for item in progress[:3]:
        notes.append(_stack_note(catalog, item, plan.chosen, problem.held))
    return RouteReport(
        route=route,
        status=plan.status,
        seconds=plan.seconds,
        hours_per_week=problem.hours_per_week,
        deadline_weeks=problem.horizon,
        notes=tuple(notes),
    )


def step_reason(
    problem: PlanningProblem, catalog: Catalog, cid: str, covers: Sequence[str], unlocks: Sequence[str]
) -> str:
    """Why a step is on the route, in one plain sentence: what of the gap it teaches, what it unlocks."""
    labels = [problem.labels[u] for u in covers]
    shown = ", ".join(labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
    parts = []
    if problem.candidates[cid].made_for:
        parts.append(f"made for your goal ({problem.goal})" if problem.goal else "made for your goal")
    if labels:
        parts.append(f"covers from your gap: {shown}")
    if unlocks:
        parts.append("needed before " + " and ".join(catalog.get(u).title for u in unlocks[:2]))
    if not parts:
        return "It is on the route."
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def plan_routes(
    problem: PlanningProblem,
    catalog: Catalog,
    planner: RoutePlanner,
    objectives: Sequence[RouteObjective],
) -> list[RouteReport]:
    """One route per objective; a route identical to an earlier one says so instead of repeating silently."""
    reports = [build_route(problem, plan, catalog) for plan in planner.plan(problem, objectives)]
    out: list[RouteReport] = []
    for report in reports:
        same = next((r for r in out if _same_steps(r.route, report.route)), None)
        if same is not None:
            note = f"the same credentials as the {same.route.objective.value} route"
            report = report.model_copy(update={"notes": (*report.notes, note)})
        out.append(report)
    return out


def _same_steps(a: Route, b: Route) -> bool:
    return {s.credential_id for s in a.steps} == {s.credential_id for s in b.steps}


def _stack_note(catalog: Catalog, progress: StackProgress, chosen: Sequence[str], held: Collection[str]) -> str:
    destination = catalog.get(progress.target_id)
    requirement = destination.stack_requirement
    owned = set(chosen) | set(held)
    missing = [cid for cid in (requirement.required_ids if requirement else ()) if cid not in owned]
    unit = progress.credit_unit.value
    text = (
        f"Stacks toward {destination.title} ({destination.id}): "
        f"{credits(progress.credit_earned, progress.credit_required, unit)}"
    )
    if progress.complete and not missing:
        return text + " — complete."
    if missing:
        named = (f"{catalog.get(cid).title} ({cid})" if cid in catalog else cid for cid in missing)
        text += f"; still requires {', '.join(named)}"
    if requirement and requirement.additional_credits:
        text += f"; plus {count(requirement.additional_credits, unit)} earned outside these micro-credentials"
    return text + "."
