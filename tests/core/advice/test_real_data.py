"""On the real taxonomy and demo catalog: a data analyst who lists Python is not told Python is missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.core.advice import AdviceOptions, AdviceService, OccupationTarget, extract_skills
from assistant.core.catalog import Catalog
from assistant.core.models import Constraints, DeliveryMode, EvidenceSource, LearnerProfile
from assistant.core.taxonomy import Taxonomy

DEMO = Path(__file__).resolve().parents[3] / "index" / "data" / "catalogs" / "demo" / "catalog.yaml"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
RESUME = [
    "Data analyst with five years of experience in retail reporting.",
    "Automated a forecasting pipeline in Python (pandas, scikit-learn).",
    "Wrote SQL queries for weekly revenue dashboards.",
    "Relevant coursework: Statistics, Database Systems.",
]


@pytest.fixture(scope="module")
def demo_catalog(taxonomy: Taxonomy) -> Catalog:
    from index.catalogs import load_catalog

    return load_catalog(DEMO, known_skill_uris=taxonomy.skills.keys())


def test_data_analyst_with_python(taxonomy: Taxonomy, demo_catalog: Catalog) -> None:
    lines = [(n, text, "experience") for n, text in enumerate(RESUME, 1)]
    skills = extract_skills(taxonomy, lines, EvidenceSource.RESUME)
    assert PYTHON in {s.skill_uri for s in skills}
    budget, deadline = Decimal(2500), date(2026, 12, 18)
    constraints = Constraints(
        budget=budget,
        hours_per_week=10,
        deadline=deadline,
        delivery_modes=frozenset({DeliveryMode.ONLINE, DeliveryMode.BLENDED}),
    )
    profile = LearnerProfile(skills=tuple(skills), earned_credentials=("LPC-DA-101",), constraints=constraints)
    result = AdviceService(taxonomy, demo_catalog).advise(
        profile, OccupationTarget(title="data analyst"), options=AdviceOptions(start=date(2026, 1, 5))
    )
    assert PYTHON not in {item.skill_uri for item in result.gap}
    python = next(m for m in result.met if m.skill_uri == PYTHON)  # O*NET lists Python as a hot technology
    assert python.evidence is not None and python.evidence.line_no == 2
    planned = [r.credential_id for r in result.recommendations]
    planned += [s.credential_id for report in result.routes for s in report.route.steps]
    assert planned and "LPC-DA-101" not in planned
    for cid in planned:
        credential = demo_catalog.get(cid)
        assert credential.delivery_mode in constraints.delivery_modes
    for report in result.routes:
        route = report.route
        assert route.optimal and route.solver == "cp-sat"
        assert route.total_cost <= budget
        assert route.weeks <= (deadline - date(2026, 1, 5)).days // 7
        assert route.coverage > 0.3
    assert any(p.target_id == "LPC-CERT-DA" for p in result.routes[0].route.stacks_toward)


def test_research_skills_do_not_fill_a_practitioner_s_core_gap(taxonomy: Taxonomy, demo_catalog: Catalog) -> None:
    """ESCO gives a data scientist its whole researcher block (funding bids, publishing…): not planned for.
    A software developer's one research skill stays, as it is the job's own listing."""
    service = AdviceService(taxonomy, demo_catalog)
    scientist = service.advise(LearnerProfile(), OccupationTarget(title="data scientist"))
    core = {item.label for item in scientist.core_gap}
    assert "apply for research funding" not in core and "publish academic research" not in core
    assert "apply for research funding" in {item.label for item in scientist.gap}  # still shown
    assert {"statistics", "data mining"} <= core
    developer = service.advise(LearnerProfile(), OccupationTarget(title="software developer"))
    assert "perform scientific research" in {item.label for item in developer.core_gap}
