"""Pure metrics for the advice evaluation: gap precision/recall, route coverage, constraint violations.

The violation checker re-derives every rule from the catalog and the learner's constraints rather
than trusting what the planner reports, so a planner bug shows up here as a violation:

* ``not-in-catalog`` — a recommended or planned id the catalog does not have;
* ``held`` — a credential the learner already holds, recommended or planned again;
* ``mode`` / ``level`` / ``language`` — outside the requested delivery modes, EQF range, languages;
* ``budget`` — a route's total (or the recommendations' total) over the budget, or priced in
  another currency than the budget;
* ``hours`` — some week of a route asks for more than the learner's hours per week;
* ``deadline`` — a route step ends after the last whole week before the deadline;
* ``duration`` — a step shorter than the credential's stated duration;
* ``prerequisite`` — a step starting before enough members of each prerequisite group are held or
  finished earlier in the route.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import fmean

from assistant.core.catalog import Catalog
from assistant.core.models import Constraints, Credential, Recommendation, Route

DEFAULT_HOURS_PER_WEEK = 10.0
_EPS = 1e-6


@dataclass(frozen=True)
class GapScore:
    precision: float
    recall: float
    true_positives: int
    predicted: int
    expected: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def gap_score(predicted: Collection[str], expected: Collection[str]) -> GapScore:
    """Precision and recall of predicted gap skill URIs against the hand-checked ones."""
    hits = len(set(predicted) & set(expected))
    return GapScore(
        precision=hits / len(set(predicted)) if predicted else (1.0 if not expected else 0.0),
        recall=hits / len(set(expected)) if expected else 1.0,
        true_positives=hits,
        predicted=len(set(predicted)),
        expected=len(set(expected)),
    )


@dataclass(frozen=True)
class GapSummary:
    n: int
    micro_precision: float
    micro_recall: float
    macro_precision: float
    macro_recall: float

    @property
    def micro_f1(self) -> float:
        total = self.micro_precision + self.micro_recall
        return 2 * self.micro_precision * self.micro_recall / total if total else 0.0


def summarise_gaps(scores: Sequence[GapScore]) -> GapSummary:
    """Micro (pooled counts) and macro (mean of cases) precision and recall."""
    if not scores:
        raise ValueError("no cases to summarise")
    tp = sum(s.true_positives for s in scores)
    predicted = sum(s.predicted for s in scores)
    expected = sum(s.expected for s in scores)
    return GapSummary(
        n=len(scores),
        micro_precision=tp / predicted if predicted else 1.0,
        micro_recall=tp / expected if expected else 1.0,
        macro_precision=fmean(s.precision for s in scores),
        macro_recall=fmean(s.recall for s in scores),
    )


def covered_by(route: Route, catalog: Catalog, skills: Collection[str]) -> set[str]:
    """Skills of ``skills`` that some credential of the route teaches (its aligned ESCO URIs or the step's covers)."""
    taught: set[str] = set()
    for step in route.steps:
        taught.update(step.covers)
        if step.credential_id in catalog:
            taught.update(catalog.get(step.credential_id).skill_uris)
    return taught & set(skills)


@dataclass(frozen=True)
class Violation:
    kind: str
    credential_id: str | None
    detail: str


def _credential_violations(
    cid: str, catalog: Catalog, constraints: Constraints, held: Collection[str], where: str
) -> list[Violation]:
    if cid not in catalog:
        return [Violation("not-in-catalog", cid, f"{where}: {cid} is not in the catalog")]
    out = []
    credential = catalog.get(cid)
    if cid in held:
        out.append(Violation("held", cid, f"{where}: {cid} is already held"))
    mode, level, cost = credential.delivery_mode, credential.eqf_level, credential.cost  # None: not stated, passes
    if constraints.delivery_modes and mode is not None and mode not in constraints.delivery_modes:
        out.append(Violation("mode", cid, f"{where}: {cid} is {mode.value}"))
    if constraints.min_eqf_level and level is not None and level < constraints.min_eqf_level:
        out.append(Violation("level", cid, f"{where}: {cid} is EQF {level}"))
    if constraints.max_eqf_level and level is not None and level > constraints.max_eqf_level:
        out.append(Violation("level", cid, f"{where}: {cid} is EQF {level}"))
    if constraints.languages and credential.language not in constraints.languages:
        out.append(Violation("language", cid, f"{where}: {cid} is taught in {credential.language}"))
    if constraints.budget is not None and cost is not None and cost.currency != constraints.currency:
        out.append(Violation("budget", cid, f"{where}: {cid} is priced in {cost.currency}"))
    return out


def _amount(credential: Credential) -> Decimal:
    """A stated price; an unstated one adds nothing to a total (the plan says it is not stated)."""
    return credential.cost.amount if credential.cost else Decimal(0)


def _budget(total: Decimal, constraints: Constraints, where: str) -> list[Violation]:
    if constraints.budget is not None and total > constraints.budget:
        return [Violation("budget", None, f"{where}: total {total} over the budget {constraints.budget}")]
    return []


def route_violations(
    route: Route, catalog: Catalog, constraints: Constraints, held: Collection[str], start: date
) -> list[Violation]:
    """Every rule of the module docstring a route breaks."""
    where = f"{route.objective.value} route"
    out: list[Violation] = []
    for step in route.steps:
        out.extend(_credential_violations(step.credential_id, catalog, constraints, held, where))
    steps = [s for s in route.steps if s.credential_id in catalog]
    total = sum((_amount(catalog.get(s.credential_id)) for s in steps), Decimal(0))
    out.extend(_budget(total, constraints, where))
    hours = constraints.hours_per_week or DEFAULT_HOURS_PER_WEEK
    last = max((s.end_week for s in steps), default=0)
    for week in range(1, last + 1):
        load = sum(
            (catalog.get(s.credential_id).workload_hours or 0.0) / (s.end_week - s.start_week + 1)
            for s in steps
            if s.start_week <= week <= s.end_week
        )
        if load > hours + _EPS:
            out.append(Violation("hours", None, f"{where}: week {week} needs {load:.1f} h, over {hours:g}"))
    if constraints.deadline is not None:
        horizon = (constraints.deadline - start).days // 7
        for s in steps:
            if s.end_week > horizon:
                out.append(Violation("deadline", s.credential_id, f"{where}: ends week {s.end_week} > {horizon}"))
    ends = {s.credential_id: s.end_week for s in steps}
    for s in steps:
        credential = catalog.get(s.credential_id)
        duration = credential.duration_weeks
        if duration is not None and s.end_week - s.start_week + 1 < math.ceil(duration - _EPS):
            out.append(
                Violation("duration", s.credential_id, f"{where}: shorter than {credential.duration_weeks} weeks")
            )
        for group in credential.prerequisites:
            done = sum(1 for ref in group.credential_ids if ref in held or ends.get(ref, 10**9) < s.start_week)
            if done < group.required_count:
                out.append(
                    Violation("prerequisite", s.credential_id, f"{where}: starts before {group.credential_ids} are met")
                )
    return out


def recommendation_violations(
    recommendations: Iterable[Recommendation], catalog: Catalog, constraints: Constraints, held: Collection[str]
) -> list[Violation]:
    """Per-credential rules for each recommendation, and the budget over all of them."""
    out: list[Violation] = []
    ids = [r.credential_id for r in recommendations]
    for cid in ids:
        out.extend(_credential_violations(cid, catalog, constraints, held, "recommendation"))
    total = sum((_amount(catalog.get(c)) for c in ids if c in catalog), Decimal(0))
    out.extend(_budget(total, constraints, "recommendations"))
    return out
