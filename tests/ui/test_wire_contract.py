"""The pages' wire types and the fake service agree with the real API's OpenAPI document."""

from __future__ import annotations

import typing

import httpx

import ui.schema
from tests.ui.fake_api import FakeApi
from tests.ui.wire_contract import COMPONENTS, answer_problems, typed_dict_drift


def test_every_page_type_mirrors_an_api_component() -> None:
    typed = {name for name, value in vars(ui.schema).items() if typing.is_typeddict(value)}
    assert typed == set(COMPONENTS), "a TypedDict without a component to check it against"
    problems = [p for name, schema in COMPONENTS.items() for p in typed_dict_drift(getattr(ui.schema, name), schema)]
    assert problems == []


def test_the_check_notices_drift() -> None:
    class Message(typing.TypedDict, total=False):
        id: str  # the API sends an integer
        txt: str  # no such field

    problems = typed_dict_drift(Message, "MessageOut")
    assert any("Message.id" in p for p in problems)
    assert any("Message.txt" in p for p in problems)
    assert any("'role'" in p for p in problems), "a field the API always sends is missing"


def test_an_answer_the_api_would_not_give_is_caught() -> None:
    request = httpx.Request("GET", "http://fake/v1/learners/u1/profile")
    assert answer_problems(request, httpx.Response(200, json={"learner_id": "u1"})) != []
    assert answer_problems(request, httpx.Response(418, json={"detail": "teapot"})) != []
    assert answer_problems(httpx.Request("GET", "http://fake/v1/nowhere"), httpx.Response(200, json={})) != []
    assert answer_problems(request, httpx.Response(404, json={"detail": "No learner."})) == []


def test_the_fake_service_answers_as_the_api_does() -> None:
    """The routes the pages use, through the fake, each answer checked against the real schema (the page tests
    check every answer the same way)."""
    api = FakeApi(check_answers=True)
    learner = api.add_user("learner", "Maya")
    advisor = api.add_user("advisor", "Dana")
    api.advisees_of[api.keys[advisor]] = [api.keys[learner]]
    client = api.factory()
    as_learner, as_advisor = client(learner), client(advisor)
    as_learner.profile()
    as_learner.put_resume_text("Maya\nSQL, Python, statistics\nData analyst at Acme\n")
    session = as_learner.create_session()
    as_learner.send_message(session["id"], "I want to become a data analyst")
    as_learner.compare(["data analyst", "web developer"])
    as_learner.suggestions()
    as_advisor.advisees()
    as_advisor.create_brief(api.keys[learner], "data analyst")
    anyone = client(None)  # the Explore page, signed in or not
    anyone.catalog(max_cost=500, q="data")
    uri = anyone.occupations("data analyst")[0]["uri"]
    anyone.occupation(uri)
    anyone.occupation_credentials(uri)
    assert "GET /v1/occupations/credentials" in api.calls
    assert api.calls and api.answer_problems == []


def test_the_fake_explore_answers_are_checked() -> None:
    """The check notices a fake Explore answer the API would not give (a field of the wrong type)."""
    request = httpx.Request("GET", "http://fake/v1/occupations/credentials", params={"uri": "u"})
    assert answer_problems(request, httpx.Response(200, json={"label": "data analyst"})) != []
    page = httpx.Request("GET", "http://fake/v1/catalog")
    wrong = {"total": 0, "items": [], "hidden_by": {"max_cost": "seventeen"}}
    assert answer_problems(page, httpx.Response(200, json=wrong)) != []
