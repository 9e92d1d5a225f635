"""Catalog health on a small catalog with planted problems: each is found, and nothing else is."""

from __future__ import annotations

from assistant.core.advice.matching import SkillMatcher
from assistant.core.catalog import Catalog
from assistant.core.health import catalog_health, health_markdown
from assistant.core.health.structure import prerequisite_cycles
from assistant.core.models import CreditUnit, PrerequisiteGroup, StackingRule, StackRequirement
from assistant.core.taxonomy import Taxonomy
from tests.builders import INSTITUTION, SKILL_BASE, credential, small_catalog, small_taxonomy

SQL, PY = f"{SKILL_BASE}sql", f"{SKILL_BASE}python"


def _planted() -> Catalog:
    base = list(small_catalog())
    three = credential("x", skills=[{"uri": SQL}, {"uri": PY}, {"uri": f"{SKILL_BASE}excel"}]).skills
    outcomes = ("Write SQL queries that filter, join and aggregate sales tables", "Build dashboards from query results")
    base = [
        c.model_copy(update={"skills": three, "learning_outcomes": outcomes}) if c.id == "SQL-1" else c for c in base
    ]
    twin = base[0].model_copy(update={"id": "SQL-1B", "title": "SQL for data analysts"})
    bare = credential("BARE-1", title="Workplace orientation", skills=[], learning_outcomes=["Find your way around"])
    cert = credential(
        "CERT-X",
        kind="certificate",
        title="Certificate nothing completes",
        skills=[{"uri": SQL}],
        stack_requirement=StackRequirement(credits_required=6, credit_unit=CreditUnit.US_CREDIT_HOUR),
    )
    part = credential(
        "PART-X",
        title="A part worth too little",
        skills=[{"uri": PY}],
        stacks_into=[StackingRule(target_id="CERT-Y", credit=1, credit_unit=CreditUnit.US_CREDIT_HOUR)],
    )
    short = credential(
        "CERT-Y",
        kind="certificate",
        title="Certificate its parts cannot fill",
        skills=[{"uri": PY}],
        stack_requirement=StackRequirement(credits_required=3, credit_unit=CreditUnit.US_CREDIT_HOUR),
    )
    loop_a = credential("LOOP-A", skills=[{"uri": PY}], prerequisites=[PrerequisiteGroup(credential_ids=("LOOP-B",))])
    loop_b = credential("LOOP-B", skills=[{"uri": SQL}], prerequisites=[PrerequisiteGroup(credential_ids=("LOOP-A",))])
    return Catalog(INSTITUTION, [*base, twin, bare, cert, part, short, loop_a, loop_b], source="planted.yaml")


def test_planted_problems_are_all_found() -> None:
    taxonomy: Taxonomy = small_taxonomy()
    report = catalog_health(_planted(), taxonomy, SkillMatcher(taxonomy))
    pairs = {p.ids: p for p in report.duplicates}
    assert ("SQL-1", "SQL-1B") in pairs and pairs[("SQL-1", "SQL-1B")].suggestion == "merge"
    assert all("BARE-1" not in ids for ids in pairs)
    assert ("LOOP-A", "LOOP-B") not in pairs  # linked on purpose (however badly), not duplicates
    assert {(u.id, u.problem) for u in report.unaligned} >= {("BARE-1", "no aligned skills")}
    problems = {(d.id, d.problem) for d in report.destinations}
    assert ("CERT-X", "unreachable") in problems
    assert ("CERT-Y", "credit rule cannot be met") in problems
    assert ("LOOP-A", "prerequisite cycle") in problems
    assert report.completeness == ()  # every record states every Annex I element


def test_the_unplanted_catalog_is_clean() -> None:
    taxonomy = small_taxonomy()
    report = catalog_health(small_catalog(), taxonomy, SkillMatcher(taxonomy))
    assert report.duplicates == () and report.destinations == ()
    assert not [u for u in report.unaligned if u.problem == "no aligned skills"]


def test_an_onboarded_record_that_states_little_is_listed_with_what_it_lacks() -> None:
    taxonomy = small_taxonomy()
    sparse = credential(
        "EDX-1", learning_outcomes=[], cost=None, workload_hours=None, eqf_level=None, assessment=None,
        delivery_mode=None, quality_assurance=None,
    )  # fmt: skip
    report = catalog_health(Catalog(INSTITUTION, [sparse], source="x"), taxonomy, SkillMatcher(taxonomy))
    (row,) = report.completeness
    assert row.missing == (
        "learning outcomes", "notional workload", "level (EQF)", "type of assessment", "form of participation",
        "type of quality assurance",
    )  # fmt: skip
    assert report.completeness_summary["level (EQF)"] == 1
    text = health_markdown(report)
    assert "EDX-1" in text and "level (EQF): 1" in text


def test_each_cycle_is_reported_once() -> None:
    cycle = [
        credential("A", prerequisites=[PrerequisiteGroup(credential_ids=("B",))]),
        credential("B", prerequisites=[PrerequisiteGroup(credential_ids=("C",))]),
        credential("C", prerequisites=[PrerequisiteGroup(credential_ids=("A",))]),
        credential("D", prerequisites=[PrerequisiteGroup(credential_ids=("A",))]),
    ]
    assert prerequisite_cycles(Catalog(INSTITUTION, cycle, source="x")) == [("A", "B", "C")]
