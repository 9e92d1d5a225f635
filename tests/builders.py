"""Builders the suites share: the demo catalog, wiring roots on fakes, profiles, and an API world.

One place for the set-up the API, dialogue and evaluation tests repeated: a root over the real taxonomy
and demo catalog with a fake embedder and a small linker (no model, no index files), the app over it with
an in-memory store, and users signed in by role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.bootstrap import Stackwise
from assistant.core.access import Role
from assistant.core.advice import AdviceService
from assistant.core.advice.profile import lexicon_for
from assistant.core.catalog import Catalog
from assistant.core.linking import SkillLinker
from assistant.core.models import (
    Constraints,
    Credential,
    Evidence,
    EvidenceSource,
    HeldSkill,
    Institution,
    LearnerProfile,
    Occupation,
    OnetOccupation,
    Skill,
)
from assistant.core.ports import SKILL
from assistant.core.store import Store
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings
from tests.fakes import BruteForceIndex, FakeEmbedder

SKILL_BASE = "http://data.europa.eu/esco/skill/"
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
            skills=[{"uri": f"{SKILL_BASE}{cid.lower()}", "label": f"{title.split()[0]} skill"}],
        )
        for cid, title, field, mode, level, cost, weeks, lang in rows
    ]
    return Catalog(INSTITUTION, credentials, source="small.yaml")


OCC = "http://data.europa.eu/esco/occupation/"


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
        SKILL_BASE + key: Skill(uri=SKILL_BASE + key, preferred_label=pref, alt_labels=alts)
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


@cache
def demo_catalog(taxonomy: Taxonomy) -> Catalog:
    """The bundled demo catalog, loaded and checked as the product loads it (once per taxonomy)."""
    return Stackwise(taxonomy=taxonomy).catalog


def small_linker(taxonomy: Taxonomy, catalog: Catalog, embedder: FakeEmbedder) -> SkillLinker:
    """The linker over the catalog's skills only, exact search on fake embeddings: no model, no index file."""
    uris = sorted({uri for credential in catalog for uri in credential.skill_uris})
    entries = [(SKILL, uri, taxonomy.skills[uri].preferred_label, "preferred-label") for uri in uris]
    return SkillLinker(taxonomy.skills, embedder, BruteForceIndex(embedder, entries), lexicon=lexicon_for(taxonomy))


def lexical_root(
    taxonomy: Taxonomy,
    *,
    settings: Settings | None = None,
    store: Store | None = None,
    catalog: Catalog | None = None,
    today: date | None = None,
) -> Stackwise:
    """The real data wired as the product wires it, but lexical: a fake embedder, advice matched by ESCO
    structure only (no similarity, no title search) and the small linker."""
    catalog = catalog or demo_catalog(taxonomy)
    embedder = FakeEmbedder()
    return Stackwise(
        settings or Settings(),
        taxonomy=taxonomy,
        catalog=catalog,
        embedder=embedder,
        skill_linker=small_linker(taxonomy, catalog, embedder),
        advice=AdviceService(taxonomy, catalog),
        store=store,
        today=today,
    )


def held(uri: str, label: str, text: str | None = None, *, line: int | None = None) -> HeldSkill:
    """A skill the learner holds, citing a résumé line (its label when no text is given)."""
    evidence = Evidence(source=EvidenceSource.RESUME, text=text or label, line_no=line)
    return HeldSkill(skill_uri=uri, label=label, confidence=0.9, evidence=(evidence,))


def profile(*skills: HeldSkill, held_ids: tuple[str, ...] = (), **limits: Any) -> LearnerProfile:
    return LearnerProfile(skills=skills, earned_credentials=held_ids, constraints=Constraints.model_validate(limits))


@dataclass
class ApiWorld:
    """The real app over a root and an in-memory store, with users signed in by name."""

    root: Stackwise
    store: Store
    app: FastAPI
    client: TestClient
    ids: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)

    def user(self, name: str, role: Role = Role.LEARNER) -> str:
        """Create a user called ``name`` (its id and key kept under that name); returns its id."""
        user, key = self.store.create_user(role, name)
        self.ids[name], self.keys[name] = user.id, key
        return user.id

    def headers(self, name: str) -> dict[str, str]:
        return {} if name == "anonymous" else {"Authorization": f"Bearer {self.keys[name]}"}

    def call(self, name: str, method: str, url: str, **kwargs: Any) -> Any:
        return self.client.request(method, url, headers=self.headers(name), **kwargs)


@contextmanager
def api_world(root: Stackwise, settings: Settings | None = None) -> Iterator[ApiWorld]:
    """The app over a root sharing ``root``'s loaded parts, with a fresh in-memory store; the client is open
    (one event loop for all requests) until the block ends."""
    in_memory = (settings or root.settings).model_copy(update={"database_url": "sqlite:///:memory:"})
    world_root = root.sharing(in_memory)
    app = create_app(world_root)
    with TestClient(app) as client:
        yield ApiWorld(world_root, world_root.store, app, client)
    world_root.close()
