"""Every entry point gives the same advice: the chat, REST ``/advice``, the advisor's brief and ``stackwise
advise`` agree on the gap, the recommendations and the routes for one profile, goal, limits and earned badges.

The learner holds a catalog credential and an Open Badge that matches no catalog credential but names an
ESCO skill (Python): the badge's skill must count everywhere. Before the advice had one path, only REST
``/advice`` counted it; the chat and the brief listed Python as a gap.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.advise_cli import make_advise_command
from assistant.bootstrap import Stackwise
from assistant.core.access import Role
from assistant.core.taxonomy import Taxonomy
from tests.builders import ApiWorld, api_world, lexical_root

TODAY = date(2026, 3, 16)
GOAL = "data analyst"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
BADGE = Path(__file__).resolve().parents[1] / "fixtures" / "badges" / "python_for_data_work.json"
RESUME = (
    "Jordan Lee\nOperations Coordinator\n\nSKILLS\nExcel, SQL, customer service, statistics\n\n"
    "EXPERIENCE\nOperations Coordinator, Harbor Freight Lines, 2020 - 2024\n"
    "- Built weekly reports from SQL queries and spreadsheets.\n"
)


@pytest.fixture(scope="module")
def world(taxonomy: Taxonomy) -> Iterator[ApiWorld]:
    """A learner with a résumé, limits, a held catalog credential and an Open Badge, all through the API."""
    with api_world(lexical_root(taxonomy, today=TODAY)) as world:
        learner = world.user("learner")
        advisor = world.user("advisor", Role.ADVISOR)
        world.store.assign(advisor, learner)
        for method, url, kwargs in (
            ("PUT", "/v1/learners/me/resume/text", {"json": {"text": RESUME}}),
            ("PUT", "/v1/learners/me/constraints", {"json": {"budget": 1500, "hours_per_week": 8}}),
            ("PUT", "/v1/learners/me/credentials", {"json": {"credential_ids": ["LPC-DA-101"]}}),
            ("POST", "/v1/learners/me/badges", {"files": {"file": ("badge.json", BADGE.read_bytes())}}),
        ):
            response = world.call("learner", method, url, **kwargs)
            assert response.status_code == 200, response.text
        yield world


def _from_view(view: dict[str, Any]) -> dict[str, Any]:
    """What must agree, read from an advice view (REST, chat, brief)."""
    return {
        "target": view["target"]["occupation_uri"],
        "gap": [row["skill_uri"] for row in view["skills"] if row["status"] != "held"],
        "recommendations": [card["credential_id"] for card in view["recommendations"]],
        "routes": [
            (route["objective"], [step["credential_id"] for step in route["steps"]], str(route["total_cost"]))
            for route in view["routes"]
        ],
    }


def _from_result(result: dict[str, Any]) -> dict[str, Any]:
    """The same, read from ``stackwise advise --json`` (the full advice result)."""
    return {
        "target": result["target"]["occupation_uri"],
        "gap": [item["skill_uri"] for item in result["gap"]],
        "recommendations": [rec["credential_id"] for rec in result["recommendations"]],
        "routes": [
            (
                report["route"]["objective"],
                [step["credential_id"] for step in report["route"]["steps"]],
                str(report["route"]["total_cost"]),
            )
            for report in result["routes"]
        ],
    }


def test_chat_rest_brief_and_cli_give_the_same_advice(world: ApiWorld, tmp_path: Path) -> None:
    learner_id = world.ids["learner"]
    rest = world.call(
        "learner", "POST", "/v1/learners/me/advice", json={"target": {"kind": "occupation", "title": GOAL}}
    )
    assert rest.status_code == 200, rest.text

    session = world.call("learner", "POST", "/v1/sessions", json={}).json()
    said = world.call(
        "learner", "POST", f"/v1/sessions/{session['id']}/messages", json={"text": f"I want to become a {GOAL}"}
    )
    assert said.status_code == 200, said.text
    chat = said.json()["reply"]["view"]

    brief = world.call("advisor", "POST", f"/v1/learners/{learner_id}/briefs", json={"goal": GOAL})
    assert brief.status_code == 201, brief.text

    profile, _ = world.root.learners.load(learner_id)
    profile_file = tmp_path / "profile.json"
    profile_file.write_text(profile.model_dump_json(), encoding="utf-8")
    args = ["--profile", str(profile_file), "--badges", str(BADGE), "--target", GOAL]
    args += ["--start", TODAY.isoformat(), "--time-limit", "2", "--json"]
    cli = CliRunner().invoke(make_advise_command(lambda: world.root), args, catch_exceptions=False)
    assert cli.exit_code == 0, cli.output

    expected = _from_view(rest.json())
    assert expected["gap"] and expected["recommendations"] and expected["routes"]
    assert PYTHON not in expected["gap"], "the badge's skill counts as held"
    assert "LPC-DA-101" not in expected["recommendations"], "a held credential is not offered again"
    assert _from_view(chat) == expected
    assert _from_view(brief.json()["view"]) == expected
    assert _from_result(json.loads(cli.output)) == expected


def test_a_stored_profile_is_advised_the_same_through_the_use_case(world: ApiWorld) -> None:
    """The use case itself, asked with the stored inputs, gives what the routes return."""
    root: Stackwise = world.root
    profile, earned = root.learners.load(world.ids["learner"])
    from assistant.core.advice import OccupationTarget

    view = root.advising.view_for(profile, earned, OccupationTarget(title=GOAL))
    rest = world.call(
        "learner", "POST", "/v1/learners/me/advice", json={"target": {"kind": "occupation", "title": GOAL}}
    )
    assert _from_view(view.model_dump(mode="json")) == _from_view(rest.json())
    held = {row.skill_uri for row in view.skills if row.status == "held"}
    assert PYTHON in held


def test_suggestions_comparison_and_advice_give_one_readiness_per_goal(world: ApiWorld) -> None:
    """Alumni saw "69% fit" in the suggestions and "19% ready now" in the comparison for the same goal: the
    suggestions now carry the advice's readiness, and the three agree to the rounding the wire keeps."""
    suggested = world.call("learner", "GET", "/v1/learners/me/suggestions")
    assert suggested.status_code == 200, suggested.text
    options = suggested.json()["options"][:2]
    assert len(options) == 2
    compared = world.call("learner", "POST", "/v1/learners/me/compare", json={"goals": [o["label"] for o in options]})
    assert compared.status_code == 200, compared.text
    rows = {row["target"]: row["readiness"] for row in compared.json()["rows"]}
    for option in options:
        assert option["readiness"] == pytest.approx(rows[option["label"]], abs=1e-4), option["label"]
        goal = {"kind": "occupation", "title": option["label"]}
        advice = world.call("learner", "POST", "/v1/learners/me/advice", json={"target": goal})
        assert advice.status_code == 200, advice.text
        assert option["readiness"] == pytest.approx(advice.json()["readiness"], abs=1e-4)
    assert any(o["readiness"] != o["score"] for o in options)  # the rank is not shown as a share
