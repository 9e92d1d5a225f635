"""The catalog health use case: only administrators see it, and route planning is bounded per request."""

from __future__ import annotations

import pytest

from assistant.bootstrap import Stackwise
from assistant.core.access import AccessDenied, Principal, Role
from assistant.core.taxonomy import Taxonomy
from tests.builders import lexical_root


@pytest.fixture(scope="module")
def root(taxonomy: Taxonomy) -> Stackwise:
    return lexical_root(taxonomy)


def test_routes_are_planned_a_few_seconds_at_a_time_and_kept(root: Stackwise) -> None:
    health = root.catalog_health
    first = health.report(routes=True, budget_s=0.0)  # nothing may be planned in this call
    assert first.coverage and first.routes_pending == len(first.coverage)
    assert not any(row.routes_planned for row in first.coverage)
    done = health.report(routes=True)  # no budget: plans the rest
    assert done.routes_pending == 0 and all(row.routes_planned for row in done.coverage)
    planned = [row for row in done.coverage if row.cheapest is not None]
    assert planned and all(row.cheapest.credential_ids for row in planned if row.cheapest)
    assert health.report(routes=True, budget_s=0.0) is done  # the finished report is kept


def test_only_an_administrator_sees_it(root: Stackwise) -> None:
    with pytest.raises(AccessDenied):
        root.catalog_health.for_staff(Principal("u1", Role.ADVISOR), routes=False)
    assert root.catalog_health.for_staff(Principal("a1", Role.ADMIN), routes=False).credentials >= 80
