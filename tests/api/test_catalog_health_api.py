"""The catalog health report over HTTP: stable keys for an admin's tools, and an export for a committee."""

from __future__ import annotations

import pytest

from assistant.bootstrap import Stackwise
from assistant.core.access import Role
from assistant.core.taxonomy import Taxonomy
from tests.builders import api_world, lexical_root

KEYS = {"duplicates", "unaligned", "destinations", "demand_gaps", "coverage", "completeness"}


@pytest.fixture(scope="module")
def service(taxonomy: Taxonomy) -> Stackwise:
    return lexical_root(taxonomy)


def test_an_admin_gets_the_report_with_stable_keys_and_the_exports(service: Stackwise) -> None:
    with api_world(service) as world:
        _, key = world.store.create_user(Role.ADMIN, "Registrar")
        headers = {"Authorization": f"Bearer {key}"}
        report = world.client.get("/v1/catalog-health", params={"routes": "false"}, headers=headers)
        assert report.status_code == 200, report.text
        body = report.json()
        assert set(body) >= KEYS and body["credentials"] >= 80
        assert body["coverage"] and all(row["cheapest"] is None for row in body["coverage"])  # routes were off
        occupation = "http://data.europa.eu/esco/occupation/"
        assert all(row["occupation_uri"].startswith(occupation) for row in body["coverage"])
        markdown = world.client.get("/v1/catalog-health/export", params={"format": "md"}, headers=headers)
        assert markdown.status_code == 200 and markdown.text.startswith("# Catalog health")
        assert "## Demand gaps" in markdown.text and "## Coverage by occupation" in markdown.text
        pdf = world.client.get("/v1/catalog-health/export", params={"format": "pdf"}, headers=headers)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_learner_is_refused(service: Stackwise) -> None:
    with api_world(service) as world:
        _, key = world.store.create_user(Role.LEARNER, "Sam")
        answer = world.client.get("/v1/catalog-health", headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 403 and "administrator" in answer.json()["detail"]
