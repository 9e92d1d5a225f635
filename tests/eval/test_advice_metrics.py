"""The advice metrics catch every kind of violation; the generator is deterministic and valid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from assistant.core.models import Constraints, DeliveryMode, Recommendation, Route, RouteObjective, RouteStep
from eval.advice_metrics import (
    covered_by,
    gap_score,
    recommendation_violations,
    route_violations,
    summarise_gaps,
)
from eval.catalog_gen import generate_catalog
from tests.core.advice.tiny import DA, DEV, SQL, START, WELDER, make_catalog, make_taxonomy

CATALOG = make_catalog()


def _route(*steps: tuple[str, int, int]) -> Route:
    return Route(
        objective=RouteObjective.CHEAPEST,
        steps=tuple(RouteStep(credential_id=c, start_week=s, end_week=e) for c, s, e in steps),
        total_cost=Decimal(0),
        total_hours=0,
        total_ects=0,
        weeks=max((e for _, _, e in steps), default=0),
        coverage=0,
    )


def test_gap_scores() -> None:
    score = gap_score({"a", "b", "c"}, {"a", "b", "d", "e"})
    assert (score.precision, score.recall) == (2 / 3, 0.5)
    assert score.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    summary = summarise_gaps([score, gap_score(set(), set())])
    assert summary.micro_precision == 2 / 3 and summary.macro_recall == 0.75


def test_a_clean_route_has_no_violations() -> None:
    constraints = Constraints(budget=Decimal(1000), hours_per_week=10, deadline=date(2026, 6, 1))
    route = _route(("C-101", 1, 2), ("C-110", 3, 6))
    assert route_violations(route, CATALOG, constraints, set(), START) == []
    assert covered_by(route, CATALOG, {SQL, "x"}) == {SQL}


def test_every_kind_of_violation_is_caught() -> None:
    constraints = Constraints(
        budget=Decimal(500),
        hours_per_week=10,
        deadline=date(2026, 2, 9),  # 5 weeks
        delivery_modes=frozenset({DeliveryMode.ONLINE}),
        max_eqf_level=4,
        languages=frozenset({"en"}),
    )
    route = _route(
        ("NOPE", 1, 1),
        ("C-101", 1, 2),  # held
        ("C-110", 1, 2),  # EQF 5, shorter than its 4 weeks
        ("C-130", 2, 4),  # onsite, starts before its prerequisite C-110 has ended
        ("C-160", 2, 9),  # onsite, Spanish, past the deadline; weeks 2-5 overload with the others
    )
    kinds = {v.kind for v in route_violations(route, CATALOG, constraints, {"C-101"}, START)}
    expected = {"not-in-catalog", "held", "level", "prerequisite", "duration", "mode", "language", "deadline"}
    assert kinds == expected | {"hours", "budget"}
    recs = [Recommendation(credential_id=c, covers=(), score=0) for c in ("C-101", "C-160", "GONE")]
    rec_kinds = {v.kind for v in recommendation_violations(recs, CATALOG, constraints, {"C-101"})}
    assert rec_kinds == {"held", "mode", "language", "not-in-catalog", "budget"}


def test_generated_catalog_is_deterministic_and_valid() -> None:
    taxonomy = make_taxonomy()
    first = generate_catalog(taxonomy, [DA, DEV, WELDER], size=60, seed=3)
    again = generate_catalog(taxonomy, [DA, DEV, WELDER], size=60, seed=3)
    other = generate_catalog(taxonomy, [DA, DEV, WELDER], size=60, seed=4)
    assert len(first) == 60 and first.credentials == again.credentials != other.credentials
    assert first.validate() == []  # no dangling references, no cycles, credit sums add up
    tier = {c.id: c.id.split("-")[2][0] for c in first}
    order = {"I": 0, "M": 1, "A": 2}
    for credential in first.micro_credentials():
        for ref in credential.prerequisite_ids:
            assert order[tier[ref]] < order[tier[credential.id]]
    assert first.stack_destinations() and all(c.stacks_into for c in first.micro_credentials())
