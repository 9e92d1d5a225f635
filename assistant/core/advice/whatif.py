"""What-if: the same profile and constraints against two or three targets, side by side.

Each target gets the full advice; the comparison keeps the figures a learner weighs — how ready
they are, how much of the gap the best route closes, what the cheapest and fastest routes cost in
money and weeks, and the pay and growth the labour-market data shows — and says which target wins
on each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from assistant.core.advice.service import AdviceOptions, AdviceResult, AdviceService, Target
from assistant.core.models import EarnedCredential, LearnerProfile, RouteObjective
from assistant.core.taxonomy import Taxonomy


class WhatIfRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    target: str
    occupation_uri: str | None
    readiness: float
    gap_items: int
    best_coverage: float
    cheapest_cost: Decimal | None
    cheapest_coverage: float
    fastest_weeks: int | None
    fastest_coverage: float
    optimal: bool
    wage_median: float | None = None
    growth_pct: float | None = None


class WhatIf(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: tuple[WhatIfRow, ...]
    results: tuple[AdviceResult, ...]
    summary: tuple[str, ...]


def compare_targets(
    advice: AdviceService,
    profile: LearnerProfile,
    targets: Sequence[Target],
    *,
    earned: Iterable[EarnedCredential] = (),
    options: AdviceOptions | None = None,
) -> WhatIf:
    """Advise on each of 2–3 targets with the same profile, badges, limits and options."""
    if not 2 <= len(targets) <= 3:
        raise ValueError(f"a what-if compares two or three targets, not {len(targets)}")
    badges = tuple(earned)
    results = tuple(advice.advise(profile, target, earned=badges, options=options) for target in targets)
    rows = tuple(_row(result, advice.taxonomy) for result in results)
    return WhatIf(rows=rows, results=results, summary=tuple(_summary(rows)))


def _route(result: AdviceResult, objective: RouteObjective) -> Any:
    return next((r.route for r in result.routes if r.route.objective is objective), None)


def _row(result: AdviceResult, taxonomy: Taxonomy) -> WhatIfRow:
    best = _route(result, RouteObjective.MOST_COVERAGE)
    cheap = _route(result, RouteObjective.CHEAPEST)
    fast = _route(result, RouteObjective.FASTEST)
    uri = result.target.occupation_uri
    wage = taxonomy.wage_for(uri) if uri else None
    projection = taxonomy.projection_for(uri) if uri else None
    return WhatIfRow(
        target=result.target.label,
        occupation_uri=uri,
        readiness=round(result.readiness, 4),
        gap_items=len(result.gap),
        best_coverage=best.coverage if best else 0.0,
        cheapest_cost=cheap.total_cost if cheap else None,
        cheapest_coverage=cheap.coverage if cheap else 0.0,
        fastest_weeks=fast.weeks if fast else None,
        fastest_coverage=fast.coverage if fast else 0.0,
        optimal=all(r.route.optimal for r in result.routes),
        wage_median=wage.annual_median if wage else None,
        growth_pct=projection.change_pct if projection else None,
    )


def _summary(rows: Sequence[WhatIfRow]) -> list[str]:
    lines = []

    def best(key: Callable[[WhatIfRow], float], text: Callable[[WhatIfRow], str], label: str) -> None:
        ranked = sorted(rows, key=lambda r: (-key(r), r.target))
        lines.append(f"{label}: {ranked[0].target} ({text(ranked[0])})")

    best(lambda r: r.readiness, lambda r: f"{r.readiness:.0%} of the required weight already met", "Closest fit")
    best(lambda r: r.best_coverage, lambda r: f"best route closes {r.best_coverage:.0%} of the gap", "Most closable")
    priced = [r for r in rows if r.cheapest_cost is not None and r.cheapest_coverage > 0]
    if priced:
        r = min(priced, key=lambda r: (float(r.cheapest_cost or 0) / r.cheapest_coverage, r.target))
        lines.append(f"Least cost per gap closed: {r.target} ({r.cheapest_cost} for {r.cheapest_coverage:.0%})")
    timed = [r for r in rows if r.fastest_weeks is not None and r.fastest_coverage > 0]
    if timed:
        r = min(timed, key=lambda r: ((r.fastest_weeks or 0) / r.fastest_coverage, r.target))
        lines.append(f"Quickest per gap closed: {r.target} ({r.fastest_weeks} weeks for {r.fastest_coverage:.0%})")
    paid = [r for r in rows if r.wage_median is not None]
    if paid:
        r = max(paid, key=lambda r: (r.wage_median or 0, r.target))
        lines.append(f"Highest US median wage: {r.target} (${r.wage_median:,.0f})")
    return lines
