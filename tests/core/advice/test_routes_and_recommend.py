"""Routes carry totals and stack progress; recommendations skip what is held and say why."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from assistant.core.advice import AutoPlanner, GreedyPlanner, SkillMatcher, plan_routes, recommend, stack_progress
from assistant.core.advice.recommend import ranked
from assistant.core.catalog import Catalog
from assistant.core.models import RouteObjective
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.test_problem import problem

OBJECTIVES = (RouteObjective.MOST_COVERAGE, RouteObjective.CHEAPEST, RouteObjective.FASTEST)


def test_route_totals_coverage_and_stacks(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher)
    reports = plan_routes(p, tiny_catalog, AutoPlanner(), OBJECTIVES)
    most = reports[0].route
    assert most.optimal and most.solver == "cp-sat" and reports[0].status == "optimal"
    ids = [s.credential_id for s in most.steps]
    assert ids.index("C-101") < ids.index("C-110") < ids.index("C-130")
    assert most.total_cost == sum((tiny_catalog.get(c).cost.amount for c in ids), Decimal(0))
    assert most.total_hours == sum(tiny_catalog.get(c).workload_hours for c in ids)
    assert most.weeks == max(s.end_week for s in most.steps)
    assert most.coverage == 1.0  # every core gap skill is taught ("think critically", 0.48, is not core)
    cert = next(s for s in most.stacks_toward if s.target_id == "CERT")
    assert cert.credit_required == 4 and cert.credit_earned >= 4
    assert any("Certificate" in n or "CERT" in n for n in reports[0].notes)
    assert reports[0].terms == -(-most.weeks // 15)


def test_stack_progress_counts_held_parts(tiny_catalog: Catalog) -> None:
    (progress,) = stack_progress(tiny_catalog, ["C-110"], held=["C-101"])
    assert (progress.target_id, progress.credit_earned, progress.complete) == ("CERT", 2.0, False)


def test_identical_routes_are_flagged(tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher)
    reports = plan_routes(p, tiny_catalog, GreedyPlanner(), [RouteObjective.MOST_COVERAGE] * 2)
    assert "the same credentials as the most-coverage route" in reports[1].notes


def test_a_prerequisite_relevant_on_its_own_is_ranked_before_what_it_unlocks(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    """One there only to unlock (C-101 covers no gap skill) is listed under its pick; one the goal wants on its
    own is a recommendation in its own right, taken first."""
    p = problem(tiny_taxonomy, tiny_catalog, matcher)
    assert p.candidates["C-101"].unlocks_only and not p.candidates["C-110"].unlocks_only
    recs = recommend(p, tiny_catalog)
    ids = [r.credential_id for r in recs]
    assert ids.index("C-101") == ids.index("C-110") + 1 and recs[ids.index("C-101")].prerequisite_of == "C-110"
    wanted = replace(p, candidates={**p.candidates, "C-101": replace(p.candidates["C-101"], unlocks_only=False)})
    recs = recommend(wanted, tiny_catalog)
    ids = [r.credential_id for r in recs]
    assert ids.index("C-101") == ids.index("C-110") - 1 and recs[ids.index("C-101")].prerequisite_of is None
    assert recs[ids.index("C-101")].reasons[0] == "prerequisite of C-110 (" + tiny_catalog.get("C-110").title + ")"


def test_recommendations_skip_held_fit_budget_and_explain(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    p = problem(tiny_taxonomy, tiny_catalog, matcher, held=frozenset({"C-105"}), budget=Decimal(1100))
    recs = recommend(p, tiny_catalog)
    ids = [r.credential_id for r in recs]
    assert "C-105" not in ids
    assert sum(tiny_catalog.get(c).cost.amount for c in ids) <= 1100
    assert all(r.covers or r.reasons[0].startswith("prerequisite of") for r in recs)
    first = next(r for r in recs if not r.reasons[0].startswith("prerequisite of"))
    assert (
        any(reason.startswith(("chosen over", "ranked before")) for reason in first.reasons)
        or "no other credential" in first.reasons[-1]
    )
    if "C-110" in ids:
        # a prerequisite comes with what needs it, listed right after it and marked as its prerequisite
        assert ids.index("C-101") == ids.index("C-110") + 1
        assert recs[ids.index("C-101")].prerequisite_of == "C-110"
        assert [r.credential_id for r in ranked(recs)] == [r.credential_id for r in recs if r.prerequisite_of is None]
    assert any("toward Course CERT" in reason for r in recs for reason in r.reasons)


def test_a_runner_up_that_is_recommended_too_is_ranked_after_not_passed_over(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    """Seen in the page: "chosen over LPC-MO-101" above LPC-MO-101's own card. A runner-up also recommended is
    "ranked before"; "chosen over" names only what is not recommended."""
    for budget in (Decimal(600), Decimal(1100), Decimal(5000)):
        recs = recommend(problem(tiny_taxonomy, tiny_catalog, matcher, budget=budget), tiny_catalog)
        ids = {r.credential_id for r in recs}
        for reason in (reason for r in recs for reason in r.reasons):
            if reason.startswith(("chosen over ", "ranked before ")):
                other = reason.split()[2]
                assert (other in ids) == reason.startswith("ranked before "), reason
                assert ("also recommended" in reason) == (other in ids)


def test_a_stack_note_names_a_missing_part_by_its_title(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, matcher: SkillMatcher
) -> None:
    """ "still requires C-110" told a learner only a code; the note names the part as the catalog titles it."""
    from assistant.core.advice.planning import Plan
    from assistant.core.advice.routes import build_route

    p = problem(tiny_taxonomy, tiny_catalog, matcher)
    plan = Plan(RouteObjective.CHEAPEST, ("C-101",), {"C-101": 0}, "feasible", "test", 0.0)
    note = next(n for n in build_route(p, plan, tiny_catalog).notes if n.startswith("Stacks toward"))
    assert f"still requires {tiny_catalog.get('C-110').title} (C-110)" in note
