"""Fixtures for the index tests: a deterministic fake embedder and small documents and catalogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from assistant.core.catalog import Catalog
from assistant.core.models import Credential, Institution, Occupation, OnetOccupation, Skill
from assistant.core.taxonomy import Taxonomy
from tests.fakes import FakeEmbedder

SKILL = "http://data.europa.eu/esco/skill/"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def make_fake_embedder() -> Callable[..., FakeEmbedder]:
    return FakeEmbedder


INSTITUTION = Institution(name="Test College", country="US", currency="USD")


def credential(cid: str, **overrides: Any) -> Credential:
    data: dict[str, Any] = {
        "id": cid,
        "title": f"Course {cid}",
        "kind": "micro-credential",
        "awarding_body": "Test College",
        "country": "US",
        "learning_outcomes": [f"Outcome of {cid}"],
        "workload_hours": 20,
        "eqf_level": 4,
        "assessment": "project",
        "delivery_mode": "online",
        "quality_assurance": "internal review",
        "cost": {"amount": 100},
        "duration_weeks": 4,
    }
    data.update(overrides)
    return Credential.model_validate(data)


@pytest.fixture
def make_credential() -> Callable[..., Credential]:
    return credential


@pytest.fixture
def small_catalog() -> Catalog:
    """Twelve credentials over three fields, varied in mode, level, cost, duration and language."""
    rows = [
        ("SQL-1", "SQL for data analysis", "Data", "online", 4, 300, 4, "en"),
        ("SQL-2", "Advanced SQL and query tuning", "Data", "onsite", 5, 900, 8, "en"),
        ("PY-1", "Python programming basics", "Data", "online", 3, 150, 6, "en"),
        ("PY-2", "Python for data science", "Data", "blended", 5, 1200, 12, "en"),
        ("WELD-1", "Welding safety and basics", "Trades", "onsite", 3, 400, 6, "en"),
        ("WELD-2", "Advanced welding techniques", "Trades", "onsite", 4, 1500, 10, "en"),
        ("NURSE-1", "Patient care fundamentals", "Health", "blended", 4, 600, 8, "en"),
        ("NURSE-2", "Medication administration", "Health", "onsite", 5, 800, 6, "de"),
        ("PM-1", "Project management essentials", "Business", "online", 4, 250, 4, "en"),
        ("PM-2", "Agile project management", "Business", "online", 5, 700, 6, "fr"),
        ("XL-1", "Spreadsheet skills with Excel", "Business", "online", 2, 90, 2, "en"),
        ("DATA-1", "Data visualisation and dashboards", "Data", "online", 4, 350, 5, "en"),
    ]
    credentials = [
        credential(
            cid,
            title=title,
            field=field,
            delivery_mode=mode,
            eqf_level=level,
            cost={"amount": cost},
            duration_weeks=weeks,
            language=lang,
            learning_outcomes=[f"Apply {title.lower()} at work", f"Explain the basics of {field.lower()}"],
            skills=[{"uri": f"{SKILL}{cid.lower()}", "label": f"{title.split()[0]} skill"}],
        )
        for cid, title, field, mode, level, cost, weeks, lang in rows
    ]
    return Catalog(INSTITUTION, credentials, source="small.yaml")


OCC = "http://data.europa.eu/esco/occupation/"


@pytest.fixture
def small_taxonomy() -> Taxonomy:
    """Eight skills and four occupations, two of them mapped to O*NET; one O*NET code unmapped."""
    skill_rows = {
        "sql": ("SQL", ("structured query language", "SQL")),
        "python": ("Python (computer programming)", ("Python", "python programming")),
        "weld": ("welding techniques", ("arc welding", "MIG welding")),
        "care": ("patient care", ("care for patients",)),
        "pm": ("project management", ("manage projects",)),
        "excel": ("use spreadsheets software", ("Excel", "spreadsheet skills")),
        "viz": ("data visualisation", ("dashboards", "charts")),
        "drive": ("drive trucks", ("truck driving",)),
    }
    skills = {
        SKILL + key: Skill(uri=SKILL + key, preferred_label=pref, alt_labels=alts)
        for key, (pref, alts) in skill_rows.items()
    }
    occupations = {
        OCC + "da": Occupation(
            uri=OCC + "da",
            preferred_label="data analyst",
            alt_labels=("data analysts", "business data analyst"),
            isco_group="2511",
            onet_codes=("15-2051.00",),
        ),
        OCC + "ds": Occupation(
            uri=OCC + "ds", preferred_label="data scientist", isco_group="2511", onet_codes=("15-2051.00",)
        ),
        OCC + "welder": Occupation(uri=OCC + "welder", preferred_label="welder", isco_group="7212"),
        OCC + "nurse": Occupation(uri=OCC + "nurse", preferred_label="general nurse", isco_group="2221"),
    }
    onet = {
        "15-2051.00": OnetOccupation(
            code="15-2051.00",
            title="Data Scientists",
            alt_titles=("Data Mining Analyst", "Quantitative Analyst"),
            reported_titles=("Data Scientist",),
        ),
        "53-3032.00": OnetOccupation(
            code="53-3032.00", title="Heavy and Tractor-Trailer Truck Drivers", alt_titles=("Truck Driver",)
        ),
    }
    return Taxonomy(skills=skills, occupations=occupations, relations=(), onet_occupations=onet)
