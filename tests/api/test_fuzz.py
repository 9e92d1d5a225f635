"""schemathesis against the app's own OpenAPI spec: no request, however odd, may get a server error (5xx).

The fuzz is ``eval.api_fuzz`` (``make fuzz`` runs it long, on the full index) with a few cases per operation,
on the small real stack with a seeded learner, advisor and admin. Below it, regression tests for what the
fuzzer found, each through HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.bootstrap import Stackwise
from eval.api_fuzz import World, fuzz, fuzzable

GOAL = {"target": {"kind": "occupation", "title": "data analyst"}}


@pytest.fixture(scope="module")
def world(small_real_stack: Stackwise, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = fuzzable(small_real_stack, database_url=f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    yield World.seed(create_app(root), root.store)
    root.close()


@pytest.fixture
def learner(world: World) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A fresh learner with the seeded learner's skills, and a client for the same app."""
    _, key = world.disposable_learner()
    with TestClient(world.app) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def test_no_request_gets_a_server_error(world: World) -> None:
    report = fuzz(world, max_examples=5, seed=1)  # every phase: examples, coverage, fuzzing, stateful
    print(report.summary())
    documented = world.app.openapi()["paths"]
    assert len(report.operations) == sum(len(methods) for methods in documented.values())
    assert all(row.requests for row in report.operations.values()), "an operation the fuzzer never called"
    assert report.server_errors == 0, "\n\n".join([*report.tracebacks, *(e for r in report.rows for e in r.examples)])
    assert report.errors == []
    assert report.world_intact  # DELETEs were pointed at throw-away objects


# --- found by the fuzzer -------------------------------------------------------------------------------


def test_a_vanishingly_small_weekly_budget_of_hours_is_advised_not_a_500(
    learner: tuple[TestClient, dict[str, str]],
) -> None:
    """5e-324 hours a week is a valid limit (> 0); it made ``workload / hours`` infinite and the planner
    raised OverflowError: 500 on advice, chat and briefs. Now every credential is out, with the reason."""
    client, headers = learner
    put = client.put("/v1/learners/me/constraints", json={"hours_per_week": 5e-324}, headers=headers)
    assert put.status_code == 200, put.text
    advice = client.post("/v1/learners/me/advice", json=GOAL, headers=headers)
    assert advice.status_code == 200, advice.text
    view = advice.json()
    assert view["recommendations"] == []
    assert all(route["steps"] == [] for route in view["routes"])
    session = client.post("/v1/sessions", json={}, headers=headers).json()
    reply = client.post(f"/v1/sessions/{session['id']}/messages", json={"text": "show me the route"}, headers=headers)
    assert reply.status_code == 200, reply.text


def test_constraints_that_contradict_each_other_are_refused_in_plain_words(
    learner: tuple[TestClient, dict[str, str]],
) -> None:
    client, headers = learner
    bad = client.put("/v1/learners/me/constraints", json={"min_eqf_level": 6, "max_eqf_level": 4}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["detail"] == "min_eqf_level is above max_eqf_level."


def test_a_number_is_not_a_deadline(learner: tuple[TestClient, dict[str, str]]) -> None:
    """The schema says a date string; 0 was read as 1970-01-01."""
    client, headers = learner
    assert client.put("/v1/learners/me/constraints", json={"deadline": 0}, headers=headers).status_code == 422
    ok = client.put("/v1/learners/me/constraints", json={"deadline": "2031-06-30"}, headers=headers)
    assert ok.json()["constraints"]["deadline"] == "2031-06-30"


def test_a_goal_without_its_kind_is_refused_and_the_spec_says_so(
    world: World, learner: tuple[TestClient, dict[str, str]]
) -> None:
    """``kind`` picks the goal's shape; the spec gave it a default, so ``{"target": {}}`` looked valid."""
    client, headers = learner
    assert client.post("/v1/learners/me/advice", json={"target": {}}, headers=headers).status_code == 422
    schemas = world.app.openapi()["components"]["schemas"]
    assert all("kind" in schemas[name]["required"] for name in ("OccupationGoal", "PostingGoal", "ExploreGoal"))


def test_the_spec_lists_the_error_statuses_each_route_answers(world: World) -> None:
    paths = world.app.openapi()["paths"]
    profile = paths["/v1/learners/{learner_id}/profile"]["get"]["responses"]
    assert {"200", "400", "401", "404", "422", "429"} <= set(profile)
    assert "Retry-After" in profile["429"]["headers"]
    upload = paths["/v1/learners/{learner_id}/resume"]["put"]["responses"]
    assert {"403", "413", "415"} <= set(upload)
    assert "401" not in paths["/v1/catalog"]["get"]["responses"]
    # one error shape: plain words, or FastAPI's field list when validation fails
    detail = world.app.openapi()["components"]["schemas"]["ErrorOut"]["properties"]["detail"]
    assert {alternative["type"] for alternative in detail["anyOf"]} == {"string", "array"}
