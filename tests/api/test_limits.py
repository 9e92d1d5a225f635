"""Request limits through the real app: body sizes (413), uploads (413), rate limits and guest sign-ups (429)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from assistant.bootstrap import Stackwise
from assistant.core.access import Role
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings
from tests.builders import ApiWorld, api_world, lexical_root

BADGE_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "badges" / "python_for_data_work.json"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes"
BADGE: dict[str, Any] = json.loads(BADGE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def service(taxonomy: Taxonomy) -> Stackwise:
    return lexical_root(taxonomy)


class Api:
    """The real app over an in-memory store, with one learner signed in."""

    def __init__(self, world: ApiWorld) -> None:
        self.store = world.store
        self.client = world.client
        self.learner_id = world.user("Learner")
        self.headers = world.headers("Learner")

    def other_headers(self) -> dict[str, str]:
        _, key = self.store.create_user(Role.LEARNER, "Someone else")
        return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def make(service: Stackwise) -> Iterator[Any]:
    with ExitStack() as stack:

        def build(**settings: Any) -> Api:
            return Api(stack.enter_context(api_world(service, Settings(**settings))))

        yield build


# --- body sizes --------------------------------------------------------------------------------------


def test_a_json_body_over_the_limit_is_413(make: Any) -> None:
    api = make(max_request_kb=4)
    url = "/v1/learners/me/resume/text"
    big = api.client.put(url, json={"text": "SQL and Python. " * 400}, headers=api.headers)  # about 6.4 KB
    assert big.status_code == 413
    assert big.json() == {"detail": "Request body larger than 4 KB."}
    assert api.store.get_resume(api.learner_id) is None
    small = api.client.put(
        f"/v1/learners/{api.learner_id}/constraints", json={"budget": 800, "hours_per_week": 6}, headers=api.headers
    )
    assert small.status_code == 200


def test_the_json_limit_applies_before_authentication(make: Any) -> None:
    api = make(max_request_kb=1)
    response = api.client.post("/v1/sessions", content=b"{" + b" " * 2048 + b"}", headers={"content-type": "x/y"})
    assert response.status_code == 413


def test_a_chunked_body_is_limited_by_the_bytes_read(make: Any) -> None:
    """No Content-Length: the limit counts what arrives, and nothing is parsed or echoed back."""
    api = make(max_request_kb=4)

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"SQL and Python. " * 10
        yield b'"}'

    response = api.client.put("/v1/learners/me/resume/text", content=chunks(), headers=api.headers)
    assert response.status_code == 413 and len(response.content) < 200
    assert api.store.get_resume(api.learner_id) is None


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"display_name": "\\ud800"}', "surrogate"),
        ('{"display_name": NaN}', "finite"),
        ('{"display_name": Infinity}', "finite"),
        ('{"display_name": 1e999}', "finite"),
        ('{"display_name": ["\\udfff"]}', "surrogate"),
    ],
)
@pytest.mark.parametrize("kind", ["application/json", "Application/JSON; charset=utf-8", None])
def test_values_no_json_answer_can_carry_are_422_not_500(make: Any, body: str, says: str, kind: str | None) -> None:
    """A lone surrogate or a non-finite number, even unauthenticated, gets a clear 422 that repeats nothing,
    whatever the case of the media type (FastAPI reads it case-blind) and without one (read as JSON too)."""
    api = make()
    headers = {} if kind is None else {"content-type": kind}
    response = api.client.post("/v1/auth/guest", content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert says in response.json()["detail"] and "ud800" not in response.text.replace("\\ud800 to", "")


def test_a_422_names_the_field_without_repeating_the_value(make: Any) -> None:
    api = make()
    secret = "Maya Okafor, 12 Elm Street"
    response = api.client.put(
        f"/v1/learners/{api.learner_id}/constraints", json={"budget": secret}, headers=api.headers
    )
    assert response.status_code == 422
    assert secret not in response.text and response.json()["detail"][0]["loc"][-1] == "budget"


def test_a_422_for_an_unknown_tag_does_not_repeat_it(make: Any) -> None:
    """pydantic's message for a discriminator quotes the tag sent; ours names the field and the choices."""
    api = make()
    secret = "Maya Okafor, 12 Elm Street"
    response = api.client.post("/v1/learners/me/advice", json={"target": {"kind": secret}}, headers=api.headers)
    assert response.status_code == 422
    assert secret not in response.text
    assert "is not one of" in response.json()["detail"][0]["msg"]


def test_the_default_json_limit(make: Any) -> None:
    api = make()
    text = "x" * (257 * 1024)
    response = api.client.put("/v1/learners/me/resume/text", json={"text": text}, headers=api.headers)
    assert response.status_code == 413
    assert "256 KB" in response.json()["detail"]


def test_uploads_may_exceed_the_json_limit_up_to_the_upload_limit(make: Any) -> None:
    api = make(max_request_kb=2, max_upload_mb=0.01)  # 2 KB of JSON, about 10 KB of file
    padded = json.dumps(BADGE, indent=1) + " " * 4000  # about 5 KB: over the JSON limit, under the upload one
    files = {"file": ("badge.json", padded.encode(), "application/json")}
    response = api.client.post(f"/v1/learners/{api.learner_id}/badges", files=files, headers=api.headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("size", [20_000, 200_000])  # past the route's own check; past the app's body limit too
@pytest.mark.parametrize("route", ["resume", "badges"])
def test_an_upload_over_max_upload_mb_is_413(make: Any, size: int, route: str) -> None:
    api = make(max_upload_mb=0.01)
    method = "PUT" if route == "resume" else "POST"
    files = {"file": ("big.txt", b"SQL, Python and statistics.\n" * (size // 28), "text/plain")}
    response = api.client.request(method, f"/v1/learners/me/{route}", files=files, headers=api.headers)
    assert response.status_code == 413, response.text
    assert api.store.get_resume(api.learner_id) is None
    assert api.store.get_profile(api.learner_id) is None


def test_the_upload_limit_is_said_in_megabytes(make: Any) -> None:
    api = make(max_upload_mb=0.01)
    files = {"file": ("big.txt", b"x" * 20_000, "text/plain")}
    response = api.client.put("/v1/learners/me/resume", files=files, headers=api.headers)
    assert response.json() == {"detail": "This file is larger than 0.01 MB."}


# --- rate limits -------------------------------------------------------------------------------------


def test_made_up_keys_count_against_the_address(make: Any) -> None:
    """A fresh random key per request used to get a fresh bucket each; an unknown key now counts against the
    caller's address, while a real key keeps its own bucket."""
    api = make(rate_limit="5/minute")
    statuses = [
        api.client.get("/v1/occupations", params={"q": "nurse"}, headers={"X-API-Key": f"sk-made-up-{n}"}).status_code
        for n in range(8)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 3
    assert api.client.get("/v1/me", headers=api.headers).status_code == 200


def test_proxy_headers_are_believed_only_from_named_proxies() -> None:
    from assistant.launcher import proxy_arguments

    assert proxy_arguments("") == ["--no-proxy-headers"]
    assert proxy_arguments("10.0.0.5") == ["--proxy-headers", "--forwarded-allow-ips", "10.0.0.5"]


def test_the_limit_storage_is_chosen_by_url(make: Any) -> None:
    api = make(rate_limit="2/minute", rate_limit_storage="memory://")
    assert [api.client.get("/v1/me", headers=api.headers).status_code for _ in range(3)] == [200, 200, 429]


def test_requests_over_the_rate_limit_are_429_with_retry_after(make: Any) -> None:
    api = make(rate_limit="5/minute")
    for _ in range(5):
        assert api.client.get("/v1/me", headers=api.headers).status_code == 200
    refused = api.client.get("/v1/me", headers=api.headers)
    assert refused.status_code == 429
    retry = int(refused.headers["retry-after"])
    assert 1 <= retry <= 60
    assert refused.json() == {"detail": f"Too many requests; try again in {retry} s."}
    # per key: another learner is not held back, and health checks never are
    assert api.client.get("/v1/me", headers=api.other_headers()).status_code == 200
    assert api.client.get("/health").status_code == 200
    assert api.client.get("/ready").status_code == 200


def test_the_same_key_is_one_identity_whichever_header_carries_it(make: Any) -> None:
    api = make(rate_limit="3/minute")
    key = api.headers["Authorization"].removeprefix("Bearer ")
    assert api.client.get("/v1/me", headers=api.headers).status_code == 200
    assert api.client.get("/v1/me", headers={"X-API-Key": key}).status_code == 200
    assert api.client.get("/v1/me", headers=api.headers).status_code == 200
    assert api.client.get("/v1/me", headers={"X-API-Key": key}).status_code == 429


def test_anonymous_requests_are_limited_by_address(make: Any) -> None:
    api = make(rate_limit="4/minute")
    codes = [api.client.get("/v1/catalog", params={"limit": 1}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert api.client.get("/v1/me", headers=api.headers).status_code == 200  # a key is its own identity


def test_refused_requests_do_no_work(make: Any) -> None:
    api = make(rate_limit="2/minute")
    url = f"/v1/learners/{api.learner_id}/constraints"
    assert api.client.put(url, json={"budget": 100}, headers=api.headers).status_code == 200
    assert api.client.put(url, json={"budget": 200}, headers=api.headers).status_code == 200
    assert api.client.put(url, json={"budget": 300}, headers=api.headers).status_code == 429
    record = api.store.get_profile(api.learner_id)
    assert record is not None
    assert json.loads(record.profile_json)["constraints"]["budget"] == "200"


def test_guest_sign_ups_have_their_own_stricter_limit(make: Any) -> None:
    api = make(guest_rate_limit="3/minute", rate_limit="100/minute")
    issued = [api.client.post("/v1/auth/guest", json={"display_name": f"Guest {n}"}) for n in range(3)]
    assert [r.status_code for r in issued] == [201, 201, 201]
    refused = api.client.post("/v1/auth/guest", json={"display_name": "One too many"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert len(api.store.list_users(Role.LEARNER)) == 1 + 3  # the signed-in learner and three guests
    # the keys issued still work, and other requests from the same address are not held back
    key = issued[0].json()["api_key"]
    assert api.client.get("/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert api.client.get("/v1/catalog", params={"limit": 1}).status_code == 200


def test_guest_sign_ups_do_not_use_up_the_general_limit(make: Any) -> None:
    api = make(guest_rate_limit="2/minute", rate_limit="2/minute")
    assert api.client.post("/v1/auth/guest").status_code == 201
    assert api.client.post("/v1/auth/guest").status_code == 201
    assert api.client.get("/v1/catalog", params={"limit": 1}).status_code == 200
    assert api.client.get("/v1/catalog", params={"limit": 1}).status_code == 200
    assert api.client.get("/v1/catalog", params={"limit": 1}).status_code == 429


@pytest.mark.parametrize("how", ["text", "file"])
def test_several_resumes_at_once_are_422_with_the_signs_and_the_profile_is_kept(make: Any, how: str) -> None:
    api = make()
    fixtures = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "resumes").glob("*.txt"))
    first = api.client.put(
        "/v1/learners/me/resume/text", json={"text": fixtures[0].read_text(encoding="utf-8")}, headers=api.headers
    )
    assert first.status_code == 200, first.text
    before = api.client.get("/v1/learners/me/profile", headers=api.headers)
    assert before.status_code == 200 and before.json()["skills"], before.text
    joined = "\n\n".join(p.read_text(encoding="utf-8") for p in (*fixtures, fixtures[0]))
    if how == "text":
        response = api.client.put("/v1/learners/me/resume/text", json={"text": joined}, headers=api.headers)
    else:
        files = {"file": ("team.txt", joined.encode(), "text/plain")}
        response = api.client.put("/v1/learners/me/resume", files=files, headers=api.headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("This looks like several résumés joined together (")
    assert api.client.get("/v1/learners/me/profile", headers=api.headers).json() == before.json()


def _events(response: Any) -> list[tuple[str, dict[str, Any]]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    out: list[tuple[str, dict[str, Any]]] = []
    kind = ""
    for line in response.text.splitlines():
        if line.startswith("event:"):
            kind = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            out.append((kind, json.loads(line.split(":", 1)[1])))
    return out


@pytest.mark.parametrize("how", ["text", "file"])
def test_reading_told_as_it_goes_ends_with_the_profile_the_plain_route_gives(make: Any, how: str) -> None:
    api = make()
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))[:2])  # two people
    if how == "text":
        response = api.client.put("/v1/learners/me/resume/text/stream", json={"text": text}, headers=api.headers)
    else:
        files = {"file": ("cv.txt", text.encode(), "text/plain")}
        response = api.client.put("/v1/learners/me/resume/stream", files=files, headers=api.headers)
    events = _events(response)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "profile" and kinds.count("progress") >= 2, kinds  # the skills list, then the rest
    progress = [data for kind, data in events if kind == "progress"]
    assert [p["done"] for p in progress] == sorted(p["done"] for p in progress)
    assert progress[-1]["done"] == progress[-1]["total"] > 0
    streamed = events[-1][1]
    plain = api.client.put("/v1/learners/me/resume/text", json={"text": text}, headers=api.headers)
    assert plain.status_code == 200
    assert [s["skill_uri"] for s in streamed["skills"]] == [s["skill_uri"] for s in plain.json()["skills"]]
    assert streamed["skills"], "the fixtures show skills"


def test_a_resume_the_stream_cannot_read_ends_with_the_plain_routes_status_and_words(make: Any) -> None:
    api = make()
    joined = "\n\n".join(p.read_text(encoding="utf-8") for p in (*sorted(FIXTURES.glob("*.txt")),) * 2)
    events = _events(api.client.put("/v1/learners/me/resume/text/stream", json={"text": joined}, headers=api.headers))
    assert events[-1][0] == "error"
    assert events[-1][1]["status"] == 422
    assert events[-1][1]["detail"].startswith("This looks like several résumés joined together")
    profile = api.client.get("/v1/learners/me/profile", headers=api.headers).json()
    assert not profile["skills"]
