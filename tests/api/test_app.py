"""The HTTP API through the real app, on the real bundle and demo catalog."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.bootstrap import Stackwise
from assistant.core.taxonomy import Taxonomy
from tests.builders import api_world, lexical_root


@pytest.fixture(scope="module")
def client(taxonomy: Taxonomy) -> Iterator[TestClient]:
    with api_world(Stackwise(taxonomy=taxonomy)) as world:
        yield world.client


@pytest.fixture(scope="module")
def lexical(taxonomy: Taxonomy) -> Iterator[TestClient]:
    """The app over the real data with advice matched by ESCO structure only: no model is loaded."""
    with api_world(lexical_root(taxonomy)) as world:
        yield world.client


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    ready = client.get("/ready").json()
    assert ready == {"ready": True, "checks": {"taxonomy": "ok", "catalog": "ok", "storage": "ok"}}


def test_stats(client: TestClient) -> None:
    stats = client.get("/v1/stats").json()
    assert stats["skills"] == 13_896
    assert stats["stack_destinations"] >= 8


def test_catalog_filters(client: TestClient) -> None:
    page = client.get("/v1/catalog", params={"field": "data-it", "delivery_mode": "online", "max_cost": 500}).json()
    assert page["total"] > 0
    for item in page["items"]:
        assert item["field"] == "data-it"
        assert item["delivery_mode"] == "online"
        assert float(item["cost"]) <= 500


def test_catalog_word_search_and_detail(client: TestClient) -> None:
    page = client.get("/v1/catalog", params={"q": "SQL"}).json()
    assert any(item["id"] == "LPC-DA-110" for item in page["items"])
    detail = client.get("/v1/catalog/LPC-DA-110").json()
    assert detail["learning_outcomes"]
    assert any(skill["label"] == "SQL" for skill in detail["skills"])


def test_catalog_says_what_each_filter_hides(client: TestClient) -> None:
    everything = client.get("/v1/catalog", params={"limit": 200}).json()
    assert everything["hidden_by"] == {}
    over = [i for i in everything["items"] if i["cost"] is None or float(i["cost"]) > 2000]
    page = client.get("/v1/catalog", params={"max_cost": 2000, "limit": 200}).json()
    assert page["total"] == everything["total"] - len(over) and page["hidden_by"] == {"max_cost": len(over)}
    words = client.get("/v1/catalog", params={"q": "welding"}).json()
    assert set(words["hidden_by"]) == {"q"} and words["hidden_by"]["q"] == everything["total"] - words["total"]


def test_prerequisites_and_stacking_come_with_titles_and_how_many_are_needed(client: TestClient) -> None:
    items = {i["id"]: i for i in client.get("/v1/catalog", params={"limit": 200}).json()["items"]}
    choice = items["LPC-TA-130"]["prerequisite_groups"]  # the catalog: LPC-TA-101 or LPC-EC-101
    assert [g["required"] for g in choice] == [1]
    assert [(c["id"], bool(c["title"])) for c in choice[0]["credentials"]] == [
        ("LPC-TA-101", True),
        ("LPC-EC-101", True),
    ]
    both = items["LPC-TA-190"]["prerequisite_groups"]  # LPC-TA-101 and LPC-TA-120
    assert [(g["required"], len(g["credentials"])) for g in both] == [(1, 1), (1, 1)]
    assert items["LPC-DA-110"]["counts_toward"][0] == {"id": "LPC-CERT-DA", "title": "Certificate in Data Analytics"}
    detail = client.get("/v1/catalog/LPC-TA-130").json()
    assert detail["prerequisite_groups"] == choice


def test_an_occupation_lists_the_credentials_that_build_toward_it_with_routes(lexical: TestClient) -> None:
    uri = lexical.get("/v1/occupations", params={"q": "welder"}).json()[0]["uri"]
    found = lexical.get("/v1/occupations/credentials", params={"uri": uri})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["label"] == "welder" and body["occupation_uri"] == uri
    assert body["hours_per_week"] >= 10 and body["core_skills"] > 0
    rows = body["credentials"]
    assert rows[0]["made_for"] and rows[0]["teaches"] and rows[0]["title"]
    assert {"LPC-WD-110", "LPC-CERT-WELD"} <= {r["id"] for r in rows}
    assert all(r["made_for"] or r["teaches"] for r in rows)
    routes = body["routes"]
    assert {r["objective"] for r in routes} == {"most-coverage", "cheapest", "fastest"}
    assert all(step["title"] for r in routes for step in r["steps"])
    assert lexical.get("/v1/occupations/credentials", params={"uri": "http://x"}).status_code == 404
    assert lexical.get("/v1/occupations/credentials").status_code == 422


def test_unknown_credential_is_404_with_a_hint(client: TestClient) -> None:
    response = client.get("/v1/catalog/LPC-DA-11")
    assert response.status_code == 404
    assert "LPC-DA-11" in response.json()["detail"]


def test_occupation_search_and_detail(client: TestClient) -> None:
    hits = client.get("/v1/occupations", params={"q": "software developer"}).json()
    assert hits[0]["label"] == "software developer"
    detail = client.get("/v1/occupations/detail", params={"uri": hits[0]["uri"]}).json()
    assert detail["onet_codes"][0] == "15-1252.00"  # Software Developers, hand-checked (not Computer Programmers)
    assert detail["annual_median_wage_usd"] > 50_000
    assert "BLS OEWS May 2025" in detail["wage_source"]
    sources = {r["source"] for r in detail["requirements"]}
    # O*NET 29.2 has no Skills ratings for 15-1252.00; its technology skills are cited
    assert {"esco-essential", "onet-technology"} <= sources
    assert all(r["citation"] for r in detail["requirements"])


def test_occupation_detail_cites_every_source(client: TestClient) -> None:
    hits = client.get("/v1/occupations", params={"q": "web developer"}).json()
    assert hits[0]["label"] == "web developer"
    detail = client.get("/v1/occupations/detail", params={"uri": hits[0]["uri"]}).json()
    sources = {r["source"] for r in detail["requirements"]}
    assert {"esco-essential", "onet-skill", "onet-technology"} <= sources
    assert all(r["citation"] for r in detail["requirements"])


def test_goals_resolve_resolves_asks_or_says_nothing_is_close(client: TestClient) -> None:
    resolved = client.get("/v1/goals/resolve", params={"q": "i want to move into project managment"}).json()
    assert resolved["status"] == "resolved" and resolved["occupation"]["label"] == "project manager"
    unclear = client.get("/v1/goals/resolve", params={"q": "teacher"}).json()
    assert unclear["status"] == "clarify" and unclear["occupation"] is None
    assert 2 <= len(unclear["options"]) <= 8 and all(o["label"] for o in unclear["options"])
    assert client.get("/v1/goals/resolve", params={"q": "unicorn wrangler"}).json()["status"] == "not_found"


def test_bad_queries_are_422_or_404(client: TestClient) -> None:
    assert client.get("/v1/occupations", params={"q": ""}).status_code == 422
    assert client.get("/v1/catalog", params={"limit": 0}).status_code == 422
    assert client.get("/v1/occupations/detail", params={"uri": "http://x"}).status_code == 404


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/ready", "/v1/catalog", "/v1/occupations", "/v1/occupations/detail"} <= set(paths)


def test_the_served_app_is_warmed_up_before_it_listens(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``uvicorn --factory`` calls ``app_from_settings`` before it listens: the model and indexes are loaded then,
    so the first learner after a start waits no longer than the next (issue 19)."""
    from assistant.api import app as app_module

    monkeypatch.setenv("STACKWISE_STATE_DIR", str(tmp_path))
    warmed: list[Stackwise] = []
    monkeypatch.setattr(Stackwise, "warm_up", lambda self: warmed.append(self) or 0.5)
    monkeypatch.setattr("assistant.adapters.search.faiss_store.set_search_threads", lambda threads: None)
    monkeypatch.setattr("threadpoolctl.threadpool_limits", lambda limits: None)
    app_module.app_from_settings()
    assert len(warmed) == 1
    assert warmed[0].settings.embedding.threads == 1  # one thread per request: see Stackwise.serving


def test_serving_runs_one_thread_per_request_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.settings import Settings

    searches: list[int] = []
    pools: list[int] = []
    monkeypatch.setattr("assistant.adapters.search.faiss_store.set_search_threads", searches.append)
    monkeypatch.setattr("threadpoolctl.threadpool_limits", lambda limits: pools.append(limits))
    assert Stackwise.serving(Settings()).settings.embedding.threads == 1
    told = Settings(embedding={"threads": 2})
    assert Stackwise.serving(told).settings.embedding.threads == 2
    assert searches == [1, 2] and pools == [1, 2]


def test_a_start_without_indexes_still_serves_and_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    from assistant.api import app as app_module
    from assistant.core.errors import DataSourceError

    monkeypatch.setenv("STACKWISE_STATE_DIR", str(tmp_path))

    def fails(self: Stackwise) -> float:
        raise DataSourceError("index not built in /nowhere\nmore")

    monkeypatch.setattr(Stackwise, "warm_up", fails)
    monkeypatch.setattr("assistant.adapters.search.faiss_store.set_search_threads", lambda threads: None)
    monkeypatch.setattr("threadpoolctl.threadpool_limits", lambda limits: None)
    with caplog.at_level("WARNING"):
        app_module.app_from_settings()
    assert "not warmed up: index not built in /nowhere" in caplog.text


def test_warm_up_loads_the_model_indexes_linker_and_dialogue(small_real_stack: Stackwise) -> None:
    root = small_real_stack.sharing()
    assert root.warm_up() > 0
    # the dialogue engine (intent examples embedded, skill lexicon) too: the first chat reply after a start took
    # 4.7 to 6.5 s against 0.04 s for later ones (eval.page_speed), and the first guest page load paid for it
    assert {"embedder", "indexes", "skill_linker", "reader", "engine", "intent_classifier"} <= set(root.__dict__)
