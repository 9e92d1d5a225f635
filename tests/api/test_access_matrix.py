"""Who may call what: every /v1 route of the real app, for every kind of caller, against the contract.

The matrix below names every route; a route added to the app without a row here fails
``test_the_matrix_covers_every_route``. Each cell runs on a fresh app and in-memory store seeded with:
learner A (the owner of the data), learner B, advisor X (A's advisor), advisor Y (B's advisor, not A's)
and an admin; A has a résumé, a profile, a session with messages and a brief written by X.

The service is the real one on the real taxonomy bundle and demo catalog, with a fake embedder, a lexical
advisor and a skill linker over a small in-memory index, so no model is loaded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from assistant.bootstrap import Stackwise
from assistant.core.access import Role
from assistant.core.dialogue import ConversationState
from assistant.core.models import LearnerProfile
from assistant.core.store import BriefRecord, ProfileRecord, ResumeRecord, utcnow
from assistant.core.taxonomy import Taxonomy
from tests.builders import ApiWorld, api_world, lexical_root

CALLERS = ("anonymous", "owner", "other", "advisor", "stranger", "admin")
RESUME_TEXT = "Maya Okafor\nData Analyst\nSKILLS\nSQL, Python, statistics\nEXPERIENCE\nData Analyst, Acme 2021 - 2024\n"
BADGE_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "badges" / "python_for_data_work.json"
BADGE: dict[str, Any] = json.loads(BADGE_FILE.read_text(encoding="utf-8"))


# --- the service and a seeded world ------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(taxonomy: Taxonomy) -> Stackwise:
    """The real data with a fake embedder, a lexical advisor and a small linker: no model, no index files."""
    return lexical_root(taxonomy)


@dataclass
class World(ApiWorld):
    """The API world seeded with learner A (``owner``), learner B (``other``), A's advisor, B's advisor
    (``stranger``) and an admin; A has a profile, a résumé, a conversation and a brief."""

    session_id: str = ""
    brief_id: str = ""
    b_session_id: str = ""

    @property
    def a(self) -> str:
        return self.ids["owner"]


@contextmanager
def seeded(service: Stackwise) -> Iterator[World]:
    with api_world(service) as base:
        world = World(**vars(base))
        for caller, role, name in (
            ("owner", Role.LEARNER, "Learner A"),
            ("other", Role.LEARNER, "Learner B"),
            ("advisor", Role.ADVISOR, "Advisor X"),
            ("stranger", Role.ADVISOR, "Advisor Y"),
            ("admin", Role.ADMIN, "Admin"),
        ):
            user, key = world.store.create_user(role, name)
            world.ids[caller], world.keys[caller] = user.id, key
        store, ids = world.store, world.ids
        store.assign(ids["advisor"], ids["owner"])
        store.assign(ids["stranger"], ids["other"])
        a = ids["owner"]
        state, _ = world.root.advisor.add_skills(ConversationState(), "SQL, statistics")
        profile = LearnerProfile(learner_id=a, skills=state.profile.skills)
        store.save_profile(ProfileRecord(learner_id=a, profile_json=profile.model_dump_json(), updated_at=utcnow()))
        store.save_resume(ResumeRecord(learner_id=a, filename="cv.txt", text=RESUME_TEXT, uploaded_at=utcnow()))
        session = store.create_session(a, "Toward data analyst", ConversationState(profile=profile).model_dump_json())
        store.add_message(session.id, "user", "I want to become a data analyst")
        store.add_message(session.id, "assistant", "Your goal: **data analyst**.")
        notes = "# Learner A\n\n## Advisor notes\n\n_(none yet)_\n"
        brief = store.save_brief(BriefRecord.new(a, ids["advisor"], "Learner A: data analyst", notes))
        b_session = store.create_session(ids["other"], "B's conversation", ConversationState().model_dump_json())
        store.add_message(b_session.id, "user", "hello")
        world.session_id, world.brief_id, world.b_session_id = session.id, brief.id, b_session.id
        yield world


@pytest.fixture
def world(service: Stackwise) -> Iterator[World]:
    with seeded(service) as fresh:
        yield fresh


@pytest.fixture(scope="module")
def shared(service: Stackwise) -> Iterator[World]:
    """One world for the access cells that neither delete nor reassign (see ``FRESH``)."""
    with seeded(service) as one:
        yield one


# --- the matrix --------------------------------------------------------------------------------------

Request = Callable[[World], tuple[str, dict[str, Any]]]


def public(code: int = 200) -> dict[str, int]:
    return dict.fromkeys(CALLERS, code)


def signed_in(code: int = 200) -> dict[str, int]:
    return {**dict.fromkeys(CALLERS, code), "anonymous": 401}


def admin_only(code: int) -> dict[str, int]:
    return {**dict.fromkeys(CALLERS, 403), "anonymous": 401, "admin": code}


#: reading A's data: A, A's advisor and an admin; anyone else learns nothing, not even that A exists
READ = {"anonymous": 401, "owner": 200, "other": 404, "advisor": 200, "stranger": 404, "admin": 200}


def write(code: int) -> dict[str, int]:
    """Changing A's data: A and an admin; A's advisor may read but not change it (403)."""
    return {"anonymous": 401, "owner": code, "other": 404, "advisor": 403, "stranger": 404, "admin": code}


def brief_write(code: int) -> dict[str, int]:
    """Briefs are written by A's advisor or an admin; A reads them but may not change them (403)."""
    return {"anonymous": 401, "owner": 403, "other": 404, "advisor": code, "stranger": 404, "admin": code}


GOAL = {"json": {"target": {"kind": "occupation", "title": "data analyst"}}}


def learner(suffix: str = "", **kwargs: Any) -> Request:
    return lambda w: (f"/v1/learners/{w.a}{suffix}", kwargs)


def session(suffix: str = "", **kwargs: Any) -> Request:
    return lambda w: (f"/v1/sessions/{w.session_id}{suffix}", kwargs)


def brief(suffix: str = "", **kwargs: Any) -> Request:
    return lambda w: (f"/v1/briefs/{w.brief_id}{suffix}", kwargs)


def fixed(url: str, **kwargs: Any) -> Request:
    return lambda w: (url, kwargs)


MATRIX: dict[tuple[str, str], tuple[Request, dict[str, int]]] = {
    # public
    ("GET", "/v1/stats"): (fixed("/v1/stats"), public()),
    ("GET", "/v1/catalog"): (fixed("/v1/catalog", params={"q": "SQL"}), public()),
    ("GET", "/v1/catalog/{credential_id}"): (fixed("/v1/catalog/LPC-DA-110"), public()),
    ("GET", "/v1/occupations"): (fixed("/v1/occupations", params={"q": "data analyst"}), public()),
    ("GET", "/v1/skills"): (fixed("/v1/skills", params={"q": "sql"}), public()),
    ("GET", "/v1/goals/resolve"): (fixed("/v1/goals/resolve", params={"q": "teacher"}), public()),
    ("GET", "/v1/occupations/detail"): (
        lambda w: ("/v1/occupations/detail", {"params": {"uri": _occupation_uri(w)}}),
        public(),
    ),
    ("GET", "/v1/occupations/credentials"): (
        lambda w: ("/v1/occupations/credentials", {"params": {"uri": _occupation_uri(w)}}),
        public(),
    ),
    ("POST", "/v1/auth/guest"): (fixed("/v1/auth/guest", json={"display_name": "Guest"}), public(201)),
    # accounts
    ("GET", "/v1/me"): (fixed("/v1/me"), signed_in()),
    ("POST", "/v1/users"): (fixed("/v1/users", json={"role": "learner", "display_name": "New"}), admin_only(201)),
    ("GET", "/v1/users"): (fixed("/v1/users"), admin_only(200)),
    ("GET", "/v1/catalog-health"): (fixed("/v1/catalog-health", params={"routes": "false"}), admin_only(200)),
    ("GET", "/v1/catalog-health/export"): (fixed("/v1/catalog-health/export"), admin_only(200)),
    ("PUT", "/v1/advisors/{advisor_id}/advisees/{learner_id}"): (
        lambda w: (f"/v1/advisors/{w.ids['stranger']}/advisees/{w.a}", {}),
        admin_only(204),
    ),
    ("DELETE", "/v1/advisors/{advisor_id}/advisees/{learner_id}"): (
        lambda w: (f"/v1/advisors/{w.ids['advisor']}/advisees/{w.a}", {}),
        admin_only(204),
    ),
    ("GET", "/v1/advisees"): (
        fixed("/v1/advisees"),
        {"anonymous": 401, "owner": 403, "other": 403, "advisor": 200, "stranger": 200, "admin": 403},
    ),
    # learner data
    ("PUT", "/v1/learners/{learner_id}/resume"): (
        learner("/resume", files={"file": ("cv.txt", RESUME_TEXT.encode(), "text/plain")}),
        write(200),
    ),
    ("PUT", "/v1/learners/{learner_id}/resume/text"): (learner("/resume/text", json={"text": RESUME_TEXT}), write(200)),
    ("PUT", "/v1/learners/{learner_id}/resume/text/stream"): (
        learner("/resume/text/stream", json={"text": RESUME_TEXT}),
        write(200),
    ),
    ("PUT", "/v1/learners/{learner_id}/resume/stream"): (
        learner("/resume/stream", files={"file": ("cv.txt", RESUME_TEXT.encode(), "text/plain")}),
        write(200),
    ),
    ("DELETE", "/v1/learners/{learner_id}/resume"): (learner("/resume"), write(204)),
    ("GET", "/v1/learners/{learner_id}/profile"): (learner("/profile"), READ),
    ("PATCH", "/v1/learners/{learner_id}/skills"): (
        learner("/skills", json={"text": "Excel, statistics"}),
        write(200),
    ),
    ("PUT", "/v1/learners/{learner_id}/constraints"): (
        learner("/constraints", json={"budget": 800, "hours_per_week": 6, "delivery_modes": ["online"]}),
        write(200),
    ),
    ("PUT", "/v1/learners/{learner_id}/credentials"): (
        learner("/credentials", json={"credential_ids": ["LPC-DA-101"]}),
        write(200),
    ),
    ("POST", "/v1/learners/{learner_id}/badges"): (
        learner("/badges", files={"file": ("badge.json", json.dumps(BADGE).encode(), "application/json")}),
        write(200),
    ),
    ("POST", "/v1/learners/{learner_id}/advice"): (learner("/advice", **GOAL), READ),
    ("POST", "/v1/learners/{learner_id}/gap"): (learner("/gap", **GOAL), READ),
    ("POST", "/v1/learners/{learner_id}/recommendations"): (learner("/recommendations", **GOAL), READ),
    ("POST", "/v1/learners/{learner_id}/routes"): (learner("/routes", **GOAL), READ),
    ("POST", "/v1/learners/{learner_id}/compare"): (
        learner("/compare", json={"goals": ["data analyst", "welder"]}),
        READ,
    ),
    ("GET", "/v1/learners/{learner_id}/suggestions"): (learner("/suggestions"), READ),
    ("DELETE", "/v1/learners/{learner_id}"): (learner(), write(200)),
    # conversations
    ("POST", "/v1/sessions"): (lambda w: ("/v1/sessions", {"json": {"learner_id": w.a}}), write(201)),
    ("GET", "/v1/sessions"): (lambda w: ("/v1/sessions", {"params": {"learner_id": w.a}}), READ),
    ("GET", "/v1/sessions/{session_id}"): (session(), READ),
    ("DELETE", "/v1/sessions/{session_id}"): (session(), write(204)),
    ("POST", "/v1/sessions/{session_id}/messages"): (session("/messages", json={"text": "hi"}), write(200)),
    ("POST", "/v1/sessions/{session_id}/messages/stream"): (
        session("/messages/stream", json={"text": "show my gap"}),
        write(200),
    ),
    # briefs
    ("POST", "/v1/learners/{learner_id}/briefs"): (learner("/briefs", json={}), brief_write(201)),
    ("GET", "/v1/learners/{learner_id}/briefs"): (learner("/briefs"), READ),
    ("GET", "/v1/briefs/{brief_id}"): (brief(), READ),
    ("PATCH", "/v1/briefs/{brief_id}"): (brief(json={"notes": "Discussed SQL first."}), brief_write(200)),
    ("DELETE", "/v1/briefs/{brief_id}"): (brief(), brief_write(204)),
    ("GET", "/v1/briefs/{brief_id}/export"): (brief("/export", params={"format": "md"}), READ),
}


#: cells that delete data or change who sees what get a world of their own; the rest share one (their writes
#: change data, never an access decision of another cell)
FRESH = frozenset(route for route in MATRIX if route[0] == "DELETE" or route[1].startswith("/v1/advisors/"))


def _occupation_uri(world: World) -> str:
    hits = world.client.get("/v1/occupations", params={"q": "data analyst"}).json()
    return str(hits[0]["uri"])


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, including those of included routers (FastAPI wraps them in ``_IncludedRouter``)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)


def test_the_matrix_covers_every_route(world: World) -> None:
    routes = {(method, route.path) for route in api_routes(world.app.routes) for method in route.methods or ()}
    documented = {(m.upper(), path) for path, ops in world.app.openapi()["paths"].items() for m in ops}
    assert routes == documented  # the walk above found them all
    v1 = {(method, path) for method, path in routes if path.startswith("/v1")}
    assert len(v1) >= 38
    assert v1 - set(MATRIX) == set(), "a route without an access test"
    assert set(MATRIX) - v1 == set(), "a test for a route that no longer exists"


@pytest.mark.parametrize(
    ("route", "caller"),
    [(route, caller) for route in MATRIX for caller in CALLERS],
    ids=[f"{method} {path} as {caller}" for method, path in MATRIX for caller in CALLERS],
)
def test_access(request: pytest.FixtureRequest, route: tuple[str, str], caller: str) -> None:
    world: World = request.getfixturevalue("world" if route in FRESH else "shared")
    call, expected = MATRIX[route]
    url, kwargs = call(world)
    response = world.call(caller, route[0], url, **kwargs)
    assert response.status_code == expected[caller], response.text
    if response.status_code >= 400:
        assert isinstance(response.json()["detail"], str)
    if response.status_code == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    if response.status_code == 404:
        body = response.text
        assert "Learner A" not in body and "SQL" not in body and RESUME_TEXT[:20] not in body


# --- the acceptance cases, spelled out ---------------------------------------------------------------


def test_an_advisor_cannot_reach_another_advisors_advisee(world: World) -> None:
    a = world.a
    for url in (
        f"/v1/learners/{a}/profile",
        f"/v1/sessions?learner_id={a}",
        f"/v1/sessions/{world.session_id}",
        f"/v1/learners/{a}/briefs",
        f"/v1/briefs/{world.brief_id}",
        f"/v1/briefs/{world.brief_id}/export?format=md",
        f"/v1/briefs/{world.brief_id}/export?format=pdf",
    ):
        assert world.call("stranger", "GET", url).status_code == 404, url
        assert world.call("advisor", "GET", url).status_code == 200, url
    assert [x["id"] for x in world.call("stranger", "GET", "/v1/advisees").json()] == [world.ids["other"]]
    mine = world.call("advisor", "GET", "/v1/advisees").json()
    assert [(x["id"], x["has_resume"], x["skills"]) for x in mine] == [(a, True, 2)]


def test_an_advisor_loses_access_when_unassigned(world: World) -> None:
    url = f"/v1/learners/{world.a}/profile"
    assert world.call("advisor", "GET", url).status_code == 200
    path = f"/v1/advisors/{world.ids['advisor']}/advisees/{world.a}"
    assert world.call("admin", "DELETE", path).status_code == 204
    assert world.call("advisor", "GET", url).status_code == 404
    assert world.call("advisor", "GET", f"/v1/briefs/{world.brief_id}").status_code == 404
    assert world.call("admin", "DELETE", path).status_code == 404  # no such assignment any more


def test_a_learner_cannot_read_another_learners_sessions(world: World) -> None:
    assert world.call("other", "GET", f"/v1/sessions/{world.session_id}").status_code == 404
    assert world.call("other", "GET", "/v1/sessions", params={"learner_id": world.a}).status_code == 404
    post = world.call("other", "POST", f"/v1/sessions/{world.session_id}/messages", json={"text": "hi"})
    assert post.status_code == 404
    assert len(world.store.messages(world.session_id)) == 2  # nothing was added
    own = world.call("other", "GET", "/v1/sessions").json()
    assert [s["id"] for s in own] == [world.b_session_id]
    assert world.call("owner", "GET", f"/v1/sessions/{world.b_session_id}").status_code == 404


def test_me_names_the_calling_learner_only(world: World) -> None:
    profile = world.call("owner", "GET", "/v1/learners/me/profile")
    assert profile.status_code == 200
    assert profile.json()["learner_id"] == world.a
    for caller in ("advisor", "admin"):
        assert world.call(caller, "GET", "/v1/learners/me/profile").status_code == 400
        assert world.call(caller, "GET", "/v1/sessions").status_code == 422
    assert world.call("other", "GET", "/v1/learners/me/profile").json()["learner_id"] == world.ids["other"]


def test_ids_that_are_not_learners_are_404_even_for_an_admin(world: World) -> None:
    for learner_id in ("no-such-learner", world.ids["advisor"], world.ids["admin"]):
        assert world.call("admin", "GET", f"/v1/learners/{learner_id}/profile").status_code == 404


def test_keys_are_checked(world: World) -> None:
    assert world.client.get("/v1/me", headers={"Authorization": "Bearer sw_not-a-key"}).status_code == 401
    assert world.client.get("/v1/me", headers={"X-API-Key": world.keys["owner"]}).json()["id"] == world.a
    assert world.client.get("/v1/me", headers={"X-API-Key": ""}).status_code == 401


def test_an_advisors_writes_are_refused_and_change_nothing(world: World) -> None:
    before = world.call("owner", "GET", "/v1/learners/me/profile").json()
    put = world.call("advisor", "PUT", f"/v1/learners/{world.a}/constraints", json={"budget": 1})
    assert put.status_code == 403
    assert world.call("advisor", "DELETE", f"/v1/learners/{world.a}").status_code == 403
    assert world.call("advisor", "DELETE", f"/v1/sessions/{world.session_id}").status_code == 403
    assert world.call("owner", "GET", "/v1/learners/me/profile").json() == before
    assert world.store.get_session(world.session_id) is not None


def test_an_advisor_writes_a_brief_for_an_advisee(world: World) -> None:
    created = world.call("advisor", "POST", f"/v1/learners/{world.a}/briefs", json={"goal": "data analyst"})
    assert created.status_code == 201
    body = created.json()
    assert body["learner_id"] == world.a
    assert body["advisor_id"] == world.ids["advisor"]
    assert body["view"]["target"]["label"] == "data analyst"
    patched = world.call("advisor", "PATCH", f"/v1/briefs/{body['id']}", json={"notes": "Start with SQL."})
    assert "Start with SQL." in patched.json()["content_md"]
    assert world.call("owner", "GET", f"/v1/briefs/{body['id']}").json()["notes"] == "Start with SQL."
    assert world.call("stranger", "GET", f"/v1/briefs/{body['id']}").status_code == 404


def test_only_the_author_or_an_admin_changes_a_brief(world: World) -> None:
    """A second advisor of the same learner reads a colleague's brief but cannot edit or delete it."""
    co_advisor, key = world.store.create_user(Role.ADVISOR, "Advisor Z")
    world.store.assign(co_advisor.id, world.a)
    headers = {"Authorization": f"Bearer {key}"}
    url = f"/v1/briefs/{world.brief_id}"
    assert world.client.get(url, headers=headers).status_code == 200
    edit = world.client.patch(url, json={"notes": "Overwritten."}, headers=headers)
    assert edit.status_code == 403 and "author" in edit.json()["detail"]
    assert world.client.delete(url, headers=headers).status_code == 403
    assert world.store.get_brief(world.brief_id) is not None
    assert world.call("advisor", "PATCH", url, json={"notes": "Mine."}).status_code == 200
    assert world.call("admin", "PATCH", url, json={"notes": "Admin fix."}).status_code == 200


# --- erasure -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["owner", "admin"])
def test_deleting_a_learner_erases_everything(world: World, caller: str) -> None:
    a, store = world.a, world.store
    owner_key = world.headers("owner")
    said = world.call("owner", "POST", f"/v1/sessions/{world.session_id}/messages", json={"text": "hi"})
    assert said.status_code == 200
    url = f"/v1/learners/{a}" if caller == "admin" else "/v1/learners/me"
    report = world.call(caller, "DELETE", url)
    assert report.status_code == 200
    assert report.json() == {
        "learner_id": a,
        "resumes": 1,
        "profiles": 1,
        "sessions": 1,
        "messages": 4,
        "briefs": 1,
        "assignments": 1,
    }
    assert store.get_user(a) is None
    assert store.get_resume(a) is None
    assert store.get_profile(a) is None
    assert store.list_sessions(a) == []
    assert store.get_session(world.session_id) is None
    assert store.messages(world.session_id) == []
    assert store.list_briefs(learner_id=a) == []
    assert store.get_brief(world.brief_id) is None
    assert store.advisors_of(a) == []
    assert a not in store.advisees(world.ids["advisor"])
    # A's key no longer opens anything; the others' data is untouched
    assert world.client.get("/v1/me", headers=owner_key).status_code == 401
    assert world.client.get("/v1/learners/me/profile", headers=owner_key).status_code == 401
    assert world.call("admin", "GET", f"/v1/learners/{a}/profile").status_code == 404
    assert store.get_session(world.b_session_id) is not None
    assert world.call("other", "GET", "/v1/me").status_code == 200
    assert world.call("admin", "DELETE", f"/v1/learners/{a}").status_code == 404  # already gone


def test_the_reading_stream_checks_access_before_it_starts(world: World) -> None:
    """A refused caller of the résumé stream gets a plain status, and the profile is not touched."""
    url = f"/v1/learners/{world.a}/resume/text/stream"
    before = world.call("owner", "GET", f"/v1/learners/{world.a}/profile").json()
    for caller, status in (("other", 404), ("stranger", 404), ("advisor", 403), ("anonymous", 401)):
        refused = world.call(caller, "PUT", url, json={"text": RESUME_TEXT + "\nWelding and forklift driving"})
        assert refused.status_code == status
        assert refused.headers["content-type"].startswith("application/json")
    assert world.call("owner", "GET", f"/v1/learners/{world.a}/profile").json() == before


def test_the_stream_checks_access_before_it_starts(world: World) -> None:
    """Access is decided before the event stream begins: refused callers get a plain status, not a 200 stream."""
    url = f"/v1/sessions/{world.session_id}/messages/stream"
    for caller, status in (("other", 404), ("stranger", 404), ("advisor", 403), ("anonymous", 401)):
        refused = world.call(caller, "POST", url, json={"text": "hi"})
        assert refused.status_code == status
        assert refused.headers["content-type"].startswith("application/json")
    assert len(world.store.messages(world.session_id)) == 2

    streamed = world.call("owner", "POST", url, json={"text": "hi"})
    assert streamed.status_code == 200
    assert streamed.headers["content-type"].startswith("text/event-stream")
    events = [line.split(":", 1)[1].strip() for line in streamed.text.splitlines() if line.startswith("event:")]
    assert events[-1] == "reply" and "token" in events
    assert [m.role for m in world.store.messages(world.session_id)][-2:] == ["user", "assistant"]
