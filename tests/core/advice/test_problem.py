"""Candidates obey every constraint, with the reason for each one left out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.core.advice import PlanningProblem, SkillMatcher, analyse_gap, build_problem, weigh
from assistant.core.advice.problem import Excluded, Exclusion
from assistant.core.catalog import Catalog
from assistant.core.models import Constraints, DeliveryMode
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import DA, START


def problem(
    taxonomy: Taxonomy, catalog: Catalog, matcher: SkillMatcher, held: frozenset[str] = frozenset(), **limits: object
) -> PlanningProblem:
    gap = analyse_gap(weigh(taxonomy.requirements_for(DA), label_of=taxonomy.label_of), [], matcher)
    return build_problem(gap, catalog, Constraints.model_validate(limits), held, matcher, start=START)


def test_relevant_candidates_and_prerequisites_only(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher)
    # C-105 teaches only Python (optional, so not core) but is one way into C-120
    assert set(p.candidates) == {"C-101", "C-105", "C-110", "C-120", "C-130", "C-140", "C-150"}
    assert "CERT" not in p.candidates and "C-160" not in p.candidates  # a stack destination; off target
    assert p.hours_per_week == 10 and any("10 hours a week" in n for n in p.notes)
    assert p.candidates["C-150"].weeks == 10 and p.candidates["C-101"].weeks == 2


def test_constraints_exclude_with_reasons(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    p = problem(
        tiny_taxonomy,
        tiny_catalog,
        matcher,
        held=frozenset({"C-101"}),
        budget=Decimal(380),
        delivery_modes={DeliveryMode.ONLINE, DeliveryMode.BLENDED},
        hours_per_week=8,
    )
    assert p.excluded["C-101"] == Excluded(Exclusion.HELD, "already held")
    assert p.excluded["C-120"].kind is Exclusion.BUDGET and "budget" in p.excluded["C-120"].reason
    assert p.excluded["C-130"].kind is Exclusion.DELIVERY and "onsite" in p.excluded["C-130"].reason
    # scheduled: 40 h in 4 weeks is more than 8 h a week
    assert p.excluded["C-140"].kind is Exclusion.HOURS and "h/week" in p.excluded["C-140"].reason
    assert set(p.candidates) == {"C-110", "C-150"}  # C-110 needs only the held C-101
    assert p.candidates["C-150"].weeks == 10 and p.candidates["C-110"].weeks == 5


def test_deadline_and_unreachable_prerequisites(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher, deadline=date(2026, 2, 12), max_eqf_level=4)
    assert p.horizon == 5
    assert p.excluded["C-150"].kind is Exclusion.DEADLINE and "deadline" in p.excluded["C-150"].reason
    assert p.excluded["C-110"].kind is Exclusion.LEVEL and "EQF" in p.excluded["C-110"].reason
    assert p.excluded["C-130"].kind is Exclusion.PREREQUISITES  # needs C-110, which is out
    assert any("No credential you can take teaches" in n for n in p.notes)


def test_a_credential_that_states_no_price_or_workload_is_planned_and_said_to_be_unknown(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    """An onboarded course with no price and no workload: a budget does not rule it out (nothing says it is over),
    it is planned as taking its stated weeks with an unknown load, and every total says what it leaves out."""
    from assistant.core.advice import AutoPlanner, plan_routes
    from assistant.core.advice.problem import schedule_weeks
    from assistant.core.advice.view import unstated_notes
    from assistant.core.models import RouteObjective

    unpriced = tiny_catalog.get("C-150").model_copy(update={"cost": None, "workload_hours": None})
    catalog = Catalog(tiny_catalog.institution, [unpriced if c.id == "C-150" else c for c in tiny_catalog], source="t")
    p = problem(tiny_taxonomy, catalog, matcher, budget=Decimal(120))
    assert "C-150" in p.candidates and p.candidates["C-150"].unknown == ("price", "workload")
    assert schedule_weeks(unpriced, 10) == (10, 0.0)
    assert schedule_weeks(unpriced.model_copy(update={"duration_weeks": None}), 10) == (1, 0.0)
    route = plan_routes(p, catalog, AutoPlanner(), (RouteObjective.CHEAPEST,))[0].route
    assert "C-150" in [s.credential_id for s in route.steps] and route.total_cost <= 120

    class Step:
        credential_id, not_stated = "C-150", ("price", "workload")

    notes = unstated_notes([Step()])  # type: ignore[list-item]
    assert notes == (
        "C-150 does not state a price: the total cost counts only stated prices.",
        "C-150 does not state a workload: the hours and weeks count only stated workloads.",
    )


def test_a_price_in_another_currency_is_not_counted_over_budget(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    """The planning note read the reason's words, and "your budget is in EUR" counted as "over budget"."""
    p = problem(tiny_taxonomy, tiny_catalog, matcher, budget=Decimal(5000), currency="EUR")
    kinds = {why.kind for why in p.excluded.values()}
    assert Exclusion.CURRENCY in kinds and Exclusion.BUDGET not in kinds
    assert all("priced in USD" in why.reason for why in p.excluded.values() if why.kind is Exclusion.CURRENCY)


def test_every_exclusion_kind_has_words_for_the_planning_note() -> None:
    assert all(kind.counted for kind in Exclusion)
