"""A full or read-only database through HTTP: 503 with plain words and ``Retry-After``, ``/ready`` answering 503
with the storage check saying why, and both back to normal once writes succeed again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from assistant.bootstrap import Stackwise
from assistant.core.access import Role
from assistant.core.errors import StorageUnavailableError
from assistant.core.taxonomy import Taxonomy
from tests.builders import ApiWorld, api_world

PLAIN = (
    "Stackwise cannot use its database right now: its data is read-only on this server. Nothing was changed; "
    "please try again later."
)


@pytest.fixture
def world(taxonomy: Taxonomy) -> Iterator[ApiWorld]:
    with api_world(Stackwise(taxonomy=taxonomy)) as opened:
        opened.user("lee")
        opened.user("ada", Role.ADVISOR)
        yield opened


def _read_only(world: ApiWorld, on: bool) -> None:
    with world.store._engine.connect() as conn:  # type: ignore[attr-defined]  # the one in-memory connection
        conn.execute(text(f"PRAGMA query_only={'ON' if on else 'OFF'}"))


def test_writes_answer_503_and_ready_says_why_until_writes_succeed(world: ApiWorld) -> None:
    assert world.client.get("/ready").status_code == 200
    _read_only(world, True)

    limits = world.call("lee", "PUT", "/v1/learners/me/constraints", json={"hours_per_week": 6})
    assert limits.status_code == 503
    assert limits.json() == {"detail": PLAIN}
    assert limits.headers["Retry-After"] == "60"
    session = world.call("lee", "POST", "/v1/sessions", json={"learner_id": world.ids["lee"]})
    assert session.status_code == 503
    guest = world.client.post("/v1/auth/guest", json={"display_name": "Sam"})
    assert guest.status_code == 503

    ready = world.client.get("/ready")
    assert ready.status_code == 503
    assert ready.json() == {
        "ready": False,
        "checks": {"taxonomy": "ok", "catalog": "ok", "storage": PLAIN},
    }
    assert world.call("lee", "GET", "/v1/sessions", params={"learner_id": world.ids["lee"]}).status_code == 200

    _read_only(world, False)
    assert world.call("lee", "POST", "/v1/sessions", json={"learner_id": world.ids["lee"]}).status_code == 201
    assert world.client.get("/ready").json()["ready"] is True


def test_a_database_that_cannot_be_read_answers_503_past_the_rate_limiter(
    world: ApiWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rate limiter looks the key up before any route: a store that cannot answer must not make that a 500."""

    def unreadable(key: str) -> None:
        raise StorageUnavailableError("unavailable")

    monkeypatch.setattr(world.store, "user_by_key", unreadable)
    answer = world.call("lee", "GET", "/v1/sessions", params={"learner_id": world.ids["lee"]})
    assert answer.status_code == 503
    assert answer.json()["detail"].startswith(
        "Stackwise cannot use its database right now: its database does not answer"
    )


def test_while_a_first_start_builds_its_indexes_reading_waits_with_a_503_and_ready_says_how_far(
    taxonomy: Taxonomy, tmp_path: Path
) -> None:
    """The page is served before the indexes exist: what needs them answers 503 "still preparing" (with
    Retry-After), ``/ready`` names the build, and it all works once the build is done."""
    from assistant.settings import Settings
    from index.progress import ProgressWriter

    settings = Settings(state_dir=tmp_path, index_dir=tmp_path / "index", database_url="sqlite:///:memory:")
    writer = ProgressWriter(settings.index_path, ["skills", "occupations", "credentials"], every_s=0)
    writer("skills", 40, 100)
    with api_world(Stackwise(settings, taxonomy=taxonomy), settings) as world:
        world.user("lee")
        upload = world.call("lee", "PUT", "/v1/learners/me/resume/text", json={"text": "Nurse\nTook vitals daily"})
        assert upload.status_code == 503 and upload.headers["Retry-After"] == "15"
        assert upload.json()["detail"].startswith(
            "Stackwise is still preparing its search indexes (skills 40% (part 1 of 3))"
        )
        assert world.client.get("/v1/catalog").status_code == 200  # what needs no index works
        guest = world.client.post("/v1/auth/guest", json={"display_name": "Sam"})
        assert guest.status_code == 201
        sam = {"Authorization": f"Bearer {guest.json()['api_key']}"}
        session = world.client.post("/v1/sessions", json={}, headers=sam)
        assert session.status_code == 201
        said = world.client.post(
            f"/v1/sessions/{session.json()['id']}/messages", json={"text": "I want to become a nurse"}, headers=sam
        )
        assert said.status_code == 200, said.text  # the chat's intake works: it asks which nurse
        assert "can mean several jobs" in said.json()["reply"]["text"]
        ready = world.client.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["indexes"] == "building: skills 40% (part 1 of 3)"
        writer.finish()
        assert "indexes" not in world.client.get("/ready").json()["checks"]
