"""The planning problem: which catalog credentials may be planned, what each covers and costs in time.

Built once per advice and shared by recommendations, every route planner and the what-if view, so
all of them obey the same rules:

* Only credentials a learner enrols in are candidates; certificates, diplomas and degrees that are
  completed by stacking parts are reported as stack destinations instead.
* Held credentials are never candidates (they satisfy prerequisites and count toward stacks).
* Each candidate passes the learner's constraints through :class:`CredentialFilter` (mode, EQF
  level, language, its own cost within the budget and in the budget's currency).
* Time: with ``H`` hours a week (10 when not given), a self-paced credential takes
  ``max(⌈duration_weeks⌉, ⌈workload_hours / H⌉)`` weeks; a scheduled one exactly
  ``⌈duration_weeks⌉`` weeks and is left out when its weekly load exceeds ``H``. While it runs it
  uses ``workload_hours / weeks`` of the learner's ``H`` hours; several may run at once within ``H``.
  A deadline gives a horizon of whole weeks from the start date; a credential longer than that is out,
  and so is one that would take more than ``MAX_WEEKS`` (fifty years) at ``H``.
* Only the core gap items are planned for (``GapAnalysis.core``, see ``gap``); all with ``core_only=False``.
* A credential *covers* a gap skill when the matcher credits one of its skills at the held
  threshold or above (same skill, or a narrower one, or a near-synonym).
* Candidates are those covering a gap skill and relevant to the goal (``relevance.GoalFit``: close to
  the job, not padding from another field), plus every prerequisite that could unlock them; a
  candidate whose prerequisite groups cannot be met from held and candidate credentials is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import numpy as np

from assistant.core.advice.gap import GapAnalysis, need
from assistant.core.advice.matching import SkillMatcher
from assistant.core.advice.relevance import GoalFit
from assistant.core.catalog import Catalog
from assistant.core.models import Constraints, Credential, Pacing, PrerequisiteGroup, StackingRule
from assistant.core.ports import CredentialFilter

DEFAULT_HOURS_PER_WEEK = 10.0
#: longer than this at the learner's hours is out of reach; also keeps week counts finite integers when
#: ``H`` is tiny (any H > 0 is a valid limit: 5e-324 hours a week made ``workload / H`` infinite)
MAX_WEEKS = 52 * 50
#: a credential that alone covers less than this share of the core gap's weight adds too little to be planned
#: (unless it is made for the goal or unlocks one that is planned): the route stops where steps add little
MIN_GAIN = 0.03
_EPS = 1e-9


class Exclusion(StrEnum):
    """Which rule kept a credential out of the plan, one per rule of ``build_problem``, so readers test the
    kind, never the words; ``counted`` is how the planning note counts it ("Not planned: 6 far from the goal")."""

    HELD = "held"
    DELIVERY = "delivery"
    LANGUAGE = "language"
    LEVEL = "level"
    CURRENCY = "currency"
    BUDGET = "budget"
    CONSTRAINTS = "constraints"
    TOO_LONG = "too-long"
    HOURS = "hours"
    DEADLINE = "deadline"
    FAR_FROM_GOAL = "far-from-goal"
    ADDS_LITTLE = "adds-little"
    PREREQUISITES = "prerequisites"

    @property
    def counted(self) -> str:
        return _COUNTED[self]


_COUNTED = {
    Exclusion.HELD: "already held",
    Exclusion.DELIVERY: "by delivery mode",
    Exclusion.LANGUAGE: "by language",
    Exclusion.LEVEL: "by EQF level",
    Exclusion.CURRENCY: "in another currency",
    Exclusion.BUDGET: "over budget",
    Exclusion.CONSTRAINTS: "outside your other limits",
    Exclusion.TOO_LONG: "too long at your hours",
    Exclusion.HOURS: "need more hours a week",
    Exclusion.DEADLINE: "too long for the deadline",
    Exclusion.FAR_FROM_GOAL: "far from the goal",
    Exclusion.ADDS_LITTLE: "adding little to the gap",
    Exclusion.PREREQUISITES: "with prerequisites out of reach",
}

#: the kinds that leave out a credential covering part of the core gap (the page names these)
LEFT_OUT = frozenset({Exclusion.FAR_FROM_GOAL, Exclusion.ADDS_LITTLE})


@dataclass(frozen=True)
class Excluded:
    """Why one credential is not planned: the rule (``kind``) and the reason in words, with its figures."""

    kind: Exclusion
    reason: str
    #: a qualification made for the goal, out of reach through a part it requires (named to the learner)
    made_for_goal: bool = False


@dataclass(frozen=True)
class Candidate:
    """A credential the planner may choose, with the numbers it plans with."""

    id: str
    title: str
    cost: Decimal
    hours: float
    weeks: int
    load: float
    ects: float
    covers: frozenset[str]
    prerequisites: tuple[PrerequisiteGroup, ...]
    stacks_into: tuple[StackingRule, ...]
    made_for: bool = False
    #: in the plan only to unlock another candidate: on its own it is far from the goal, adds little or covers
    #: no gap skill (a recommendation lists it under what it unlocks, not ranked on its own)
    unlocks_only: bool = False
    #: made for the goal by its title, but the taxonomy links none of its listed skills to the core gap: it is
    #: recommended (made for the goal first), never planned for coverage it does not give
    uncounted: bool = False
    #: what the catalog does not state ("price", "workload", "length"): planned as 0 / one week, and said
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanningProblem:
    """Gap needs, candidates in catalog order and the learner's limits, ready for any planner."""

    needs: Mapping[str, float]
    labels: Mapping[str, str]
    candidates: Mapping[str, Candidate]
    held: frozenset[str]
    hours_per_week: float
    horizon: int | None
    budget: Decimal | None
    currency: str
    coverage_slack: float = 0.2
    excluded: Mapping[str, Excluded] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    goal: str | None = None
    #: core gap skills some catalog credential teaches, whatever the learner's limits (empty: the catalog
    #: has nothing for this gap, so no budget or hours would help)
    taught_anywhere: frozenset[str] = frozenset()
    #: the same within the learner's limits (before the relevance gate and the small-gain rule)
    taught_within_limits: frozenset[str] = frozenset()

    @property
    def total_need(self) -> float:
        return sum(self.needs.values())

    @property
    def coverable(self) -> frozenset[str]:
        return frozenset(uri for c in self.candidates.values() for uri in c.covers)

    def coverage_need(self, ids: Sequence[str] | frozenset[str]) -> float:
        covered = {uri for cid in ids for uri in self.candidates[cid].covers}
        return sum(self.needs[uri] for uri in covered)

    def shortfall(self, group: PrerequisiteGroup, taken: frozenset[str] | set[str]) -> int:
        """How many more members of ``group`` must be taken, given held credentials and ``taken``."""
        have = sum(1 for cid in group.credential_ids if cid in self.held or cid in taken)
        return max(0, group.required_count - have)

    def eligible(self, group: PrerequisiteGroup) -> tuple[str, ...]:
        """Members of a group that are candidates (so could be planned)."""
        return tuple(cid for cid in group.credential_ids if cid in self.candidates and cid not in self.held)


def credential_metadata(credential: Credential) -> dict[str, Any]:
    """The metadata keys :class:`CredentialFilter` reads, for a catalog record."""
    return {
        "id": credential.id,
        "delivery_mode": credential.delivery_mode.value if credential.delivery_mode else None,
        "eqf_level": credential.eqf_level,
        "cost": credential.cost.amount if credential.cost else None,
        "currency": credential.cost.currency if credential.cost else None,
        "duration_weeks": credential.duration_weeks,
        "language": credential.language,
        "kind": credential.kind.value,
        "field": credential.field,
    }


def schedule_weeks(credential: Credential, hours_per_week: float) -> tuple[int, float]:
    """Weeks a credential takes at ``hours_per_week`` and its weekly load (see the module docstring). What the
    catalog does not state is not guessed: with no workload the load is unknown (0 here, and the step says so),
    with no length either the credential is placed in one week."""
    duration, workload = credential.duration_weeks, credential.workload_hours
    floor = max(1, math.ceil(duration - _EPS)) if duration is not None else 1
    if workload is None:
        return floor, 0.0
    if credential.pacing is Pacing.SCHEDULED and duration is not None:
        weeks = floor
    else:
        needed = workload / hours_per_week - _EPS
        weeks = max(floor, math.ceil(min(needed, MAX_WEEKS + 1)))
    return weeks, workload / weeks


def not_stated(credential: Credential) -> tuple[str, ...]:
    """The planning facts a catalog record leaves unknown, in the words a learner reads."""
    checks = (
        ("price", credential.cost is None),
        ("workload", credential.workload_hours is None),
        ("length", credential.duration_weeks is None),
    )
    return tuple(name for name, missing in checks if missing)


def horizon_weeks(start: date, deadline: date | None) -> int | None:
    """Whole weeks from ``start`` to ``deadline`` (``None`` without a deadline)."""
    if deadline is None:
        return None
    return max(0, (deadline - start).days // 7)


def why_filtered(credential: Credential, constraints: Constraints) -> Excluded:
    """The first constraint a credential breaks, with why in words."""
    mode, level, cost = credential.delivery_mode, credential.eqf_level, credential.cost
    if constraints.delivery_modes and mode is not None and mode not in constraints.delivery_modes:
        modes = "/".join(sorted(m.value for m in constraints.delivery_modes))
        return Excluded(Exclusion.DELIVERY, f"delivered {mode.value}, you asked for {modes}")
    if constraints.languages and credential.language not in constraints.languages:
        return Excluded(Exclusion.LANGUAGE, f"taught in '{credential.language}'")
    if constraints.min_eqf_level and level is not None and level < constraints.min_eqf_level:
        return Excluded(Exclusion.LEVEL, f"EQF level {level} is below {constraints.min_eqf_level}")
    if constraints.max_eqf_level and level is not None and level > constraints.max_eqf_level:
        return Excluded(Exclusion.LEVEL, f"EQF level {level} is above {constraints.max_eqf_level}")
    if constraints.budget is not None and cost is not None and cost.currency != constraints.currency:
        return Excluded(Exclusion.CURRENCY, f"priced in {cost.currency}, your budget is in {constraints.currency}")
    if constraints.budget is not None and cost is not None and cost.amount > constraints.budget:
        over = f"costs {cost.amount} {cost.currency}, over the budget of {constraints.budget}"
        return Excluded(Exclusion.BUDGET, over)
    return Excluded(Exclusion.CONSTRAINTS, "outside your constraints")


def _qualifications_out_of_reach(
    catalog: Catalog, destinations: set[str], made_for: frozenset[str], excluded: Mapping[str, Excluded]
) -> dict[str, Excluded]:
    """A qualification made for the goal that a part it requires cannot be taken for (over the budget, more
    hours a week than the learner has, …): left out for that reason, so the learner is told why the credential
    made for their goal is not on any route (a destination is never planned itself, only stacked toward)."""
    out: dict[str, Excluded] = {}
    for cid in sorted(made_for & destinations):
        requirement = catalog.get(cid).stack_requirement
        for part in requirement.required_ids if requirement is not None else ():
            why = excluded.get(part)
            if why is not None and why.kind not in LEFT_OUT and why.kind is not Exclusion.HELD:
                reason = f"it requires {catalog.get(part).title} ({part}): {why.reason}"
                out[cid] = Excluded(why.kind, reason, made_for_goal=True)
                break
    return out


def build_problem(
    gap: GapAnalysis,
    catalog: Catalog,
    constraints: Constraints,
    held: frozenset[str],
    matcher: SkillMatcher,
    *,
    start: date,
    coverage_slack: float = 0.2,
    core_only: bool = True,
    fit: GoalFit | None = None,
) -> PlanningProblem:
    """Candidates for the gap under the constraints (rules in the module docstring)."""
    notes: list[str] = []
    hours = constraints.hours_per_week or DEFAULT_HOURS_PER_WEEK
    if constraints.hours_per_week is None:
        notes.append(f"No hours per week given: planned at {DEFAULT_HOURS_PER_WEEK:g} hours a week.")
    horizon = horizon_weeks(start, constraints.deadline)
    flt = CredentialFilter.from_constraints(constraints)
    destinations = {rule.target_id for c in catalog for rule in c.stacks_into}
    excluded: dict[str, Excluded] = {}
    passing: dict[str, tuple[Credential, int, float]] = {}
    for credential in catalog:
        if credential.id in held:
            excluded[credential.id] = Excluded(Exclusion.HELD, "already held")
            continue
        if credential.id in destinations:
            continue
        if not flt.matches(credential_metadata(credential)):
            excluded[credential.id] = why_filtered(credential, constraints)
            continue
        weeks, load = schedule_weeks(credential, hours)
        if weeks > MAX_WEEKS:
            too_long = f"would take more than {MAX_WEEKS // 52} years at {hours:g} h/week"
            excluded[credential.id] = Excluded(Exclusion.TOO_LONG, too_long)
            continue
        if load > hours + _EPS:
            fixed = f"runs on a fixed schedule needing {load:.1f} h/week; you have {hours:g}"
            excluded[credential.id] = Excluded(Exclusion.HOURS, fixed)
            continue
        if horizon is not None and weeks > horizon:
            late = f"takes {weeks} weeks; the deadline is {horizon} weeks away"
            excluded[credential.id] = Excluded(Exclusion.DEADLINE, late)
            continue
        passing[credential.id] = (credential, weeks, load)

    items = list(gap.core_items if core_only else gap.items)
    needs = {item.skill_uri: need(item) for item in items}
    labels = {item.skill_uri: item.label for item in items}
    offered = [c for c in catalog if c.id not in destinations and c.id not in held]
    covers_all = covered_by(offered, [(i.skill_uri, i.label) for i in items], matcher)
    covers = {cid: covers_all[cid] for cid in passing}

    wanted = set()
    total = sum(needs.values())
    for cid, uris in covers.items():
        gain = sum(needs[u] for u in uris) / total if total > 0 else 0.0
        made_for = fit is not None and cid in fit.made_for
        if uris and fit is not None and not fit.relevant(cid):
            excluded[cid] = Excluded(Exclusion.FAR_FROM_GOAL, fit.why_not(cid))
        elif uris and gain < MIN_GAIN and not made_for:
            little = f"adds little: it covers {gain:.1%} of the core gap's weight (under {MIN_GAIN:.0%})"
            excluded[cid] = Excluded(Exclusion.ADDS_LITTLE, little)
        elif uris:
            wanted.add(cid)
    # a title naming the job is weak evidence on its own ("Electric Cars" names an electrician, "Strategic Account
    # Management" an accountant): with no skill linked to the gap, it must also be close to the job (the gate)
    uncounted = {
        cid
        for cid, uris in covers.items()
        if not uris and fit is not None and cid in fit.named and fit.fit and fit.score(cid) >= fit.threshold_for(cid)
    }
    wanted |= uncounted
    for_itself = frozenset(wanted)
    frontier = list(wanted)
    while frontier:
        cid = frontier.pop()
        for group in passing[cid][0].prerequisites:
            for ref in group.credential_ids:
                if ref in passing and ref not in wanted and ref not in held:
                    excluded.pop(ref, None)  # far from the goal, but it unlocks a credential that is not
                    wanted.add(ref)
                    frontier.append(ref)
    changed = True
    while changed:
        changed = False
        for cid in sorted(wanted):
            credential = passing[cid][0]
            for group in credential.prerequisites:
                have = sum(1 for ref in group.credential_ids if ref in held or ref in wanted)
                if have < group.required_count:
                    why = f"its prerequisites ({' / '.join(group.credential_ids)}) cannot be taken or are not held"
                    blocked = next((ref for ref in group.credential_ids if ref in excluded), None)
                    made = fit is not None and cid in fit.made_for
                    if made and blocked is not None:  # say which prerequisite, and why, as for a qualification
                        why = f"it requires {catalog.get(blocked).title} ({blocked}): {excluded[blocked].reason}"
                    excluded[cid] = Excluded(Exclusion.PREREQUISITES, why, made_for_goal=made)
                    wanted.discard(cid)
                    changed = True
                    break
    if fit is not None:
        excluded |= _qualifications_out_of_reach(catalog, destinations, fit.made_for - held, excluded)
    candidates = {
        cid: Candidate(
            id=cid,
            title=credential.title,
            cost=credential.cost.amount if credential.cost else Decimal(0),
            hours=credential.workload_hours or 0.0,
            weeks=weeks,
            load=load,
            ects=credential.ects or 0.0,
            covers=frozenset(covers[cid]),
            prerequisites=credential.prerequisites,
            stacks_into=credential.stacks_into,
            made_for=fit is not None and cid in fit.made_for,
            unlocks_only=cid not in for_itself,
            uncounted=cid in uncounted,
            unknown=not_stated(credential),
        )
        for cid, (credential, weeks, load) in passing.items()
        if cid in wanted
    }
    problem = PlanningProblem(
        needs=needs,
        labels=labels,
        candidates=candidates,
        held=held,
        hours_per_week=hours,
        horizon=horizon,
        budget=constraints.budget,
        currency=catalog.institution.currency,
        coverage_slack=coverage_slack,
        excluded=excluded,
        notes=tuple(notes),
        goal=fit.goal if fit is not None else None,
        taught_anywhere=frozenset(uri for uris in covers_all.values() for uri in uris),
        taught_within_limits=frozenset(uri for uris in covers.values() for uri in uris),
    )
    uncovered = [labels[uri] for uri in needs if uri not in problem.coverable]
    if uncovered:
        shown = ", ".join(uncovered[:8]) + (f" and {len(uncovered) - 8} more" if len(uncovered) > 8 else "")
        notes.append(f"No credential you can take teaches: {shown}.")
    if horizon is not None:
        notes.append(f"Deadline: {horizon} whole weeks from the start date.")
    return replace(problem, notes=tuple(notes))


def covered_by(
    credentials: Sequence[Credential], gap: Sequence[tuple[str, str]], matcher: SkillMatcher
) -> dict[str, set[str]]:
    """Gap URIs each credential covers; every distinct taught skill is scored against the gap once."""
    taught = list(dict.fromkeys(uri for credential in credentials for uri in credential.skill_uris))
    if not taught or not gap:
        return {credential.id: set() for credential in credentials}
    credit = matcher.credit_matrix(taught, list(gap))
    row = {uri: i for i, uri in enumerate(taught)}
    met = credit >= matcher.policy.held_threshold
    out: dict[str, set[str]] = {}
    for credential in credentials:
        rows = [row[uri] for uri in credential.skill_uris]
        hit = met[rows].any(axis=0) if rows else np.zeros(len(gap), dtype=bool)
        out[credential.id] = {gap[int(j)][0] for j in np.flatnonzero(hit)}
    return out
