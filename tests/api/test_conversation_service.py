"""End to end: the real model, real FAISS indexes and the real service on real data, through HTTP.

A learner uploads a résumé and holds a ten-turn conversation; the route it ends with must respect the
budget and hours stated in the chat, every credential named must exist in the catalog, and deleting the
learner must leave nothing of them in the database file.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.bootstrap import Stackwise

RESUME = Path(__file__).resolve().parents[1] / "fixtures" / "resumes" / "data_analyst.txt"
ID_LIKE = re.compile(r"\b[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,12}){1,4}\b")

TURNS = [
    "hi",
    "I want to move into data analysis",
    "I have 6 hours a week and $800",
    "why that one?",
    "something cheaper?",
    "I already know Tableau and statistics",
    "show me the route",
    "what about web developer instead?",
    "I want to become a data analyst",
    "show me the cheapest route",
]


@pytest.fixture(scope="module")
def service(small_real_stack: Stackwise) -> Stackwise:
    return small_real_stack


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("db") / "stackwise.db"


@pytest.fixture(scope="module")
def client(service: Stackwise, db_path: Path) -> Iterator[TestClient]:
    root = service.sharing(service.settings.model_copy(update={"database_url": f"sqlite:///{db_path}"}))
    with TestClient(create_app(root)) as test_client:
        yield test_client
    root.close()


def _stream(client: TestClient, session_id: str, text: str, headers: dict[str, str]) -> dict[str, object]:
    events: list[tuple[str, str]] = []
    with client.stream(
        "POST", f"/v1/sessions/{session_id}/messages/stream", json={"text": text}, headers=headers
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        kind = ""
        for line in response.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append((kind, line.split(":", 1)[1].strip()))
    kinds = [k for k, _ in events]
    assert kinds.count("token") > 3, kinds
    assert kinds[-1] == "reply"
    streamed = "".join(json.loads(d)["text"] for k, d in events if k == "token")
    reply: dict[str, object] = json.loads(events[-1][1])
    assert streamed == reply["text"]
    return reply


def test_ten_turn_conversation_reaches_a_route_within_the_stated_limits(client: TestClient, service: Stackwise) -> None:
    issued = client.post("/v1/auth/guest", json={"display_name": "Maya"})
    assert issued.status_code == 201
    headers = {"Authorization": f"Bearer {issued.json()['api_key']}"}
    with RESUME.open("rb") as handle:
        profile = client.put(
            "/v1/learners/me/resume", files={"file": ("resume.txt", handle, "text/plain")}, headers=headers
        )
    assert profile.status_code == 200, profile.text
    read = profile.json()
    listed = {s["label"]: s for s in (*read["skills"], *read["unconfirmed"])}
    assert listed["SQL"]["evidence"][0]["line_no"], "every skill read cites its line"
    # the learner confirms what the résumé only suggested, as the page lets them
    offered = [s["skill_uri"] for s in read["unconfirmed"]]
    confirmed = client.patch("/v1/learners/me/skills", json={"confirm": offered}, headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    held = {s["label"]: s for s in confirmed.json()["skills"]}
    assert held["SQL"]["confirmed"] and held["SQL"]["evidence"][0]["line_no"]
    assert confirmed.json()["unconfirmed"] == []
    # products are listed by their O*NET names with the lines that name them; one click removes one
    tools = {t["name"]: t for t in read["technologies"]}
    assert {"Tableau", "Microsoft Excel", "Microsoft Power BI", "Git"} <= set(tools)
    assert tools["Tableau"]["hot_technology"] and tools["Tableau"]["evidence"][0]["line_no"]
    found = client.get("/v1/skills", params={"q": "power b"}).json()
    assert found[0]["skill_uri"] == "onet-technology:Microsoft Power BI"
    removed = client.patch("/v1/learners/me/skills", json={"remove": ["onet-technology:Git"]}, headers=headers)
    assert removed.status_code == 200 and "Git" not in {t["name"] for t in removed.json()["technologies"]}
    unknown = client.patch("/v1/learners/me/skills", json={"add": ["onet-technology:Nope"]}, headers=headers)
    assert unknown.status_code == 422 and "O*NET technology" in unknown.json()["detail"]
    session = client.post("/v1/sessions", json={}, headers=headers)
    assert session.status_code == 201
    session_id = session.json()["id"]

    replies = []
    for n, text in enumerate(TURNS):
        if n == 6:
            replies.append(_stream(client, session_id, text, headers))
            continue
        response = client.post(f"/v1/sessions/{session_id}/messages", json={"text": text}, headers=headers)
        assert response.status_code == 200, response.text
        replies.append(response.json()["reply"])

    intents = [r["intent"] for r in replies]
    assert intents[:4] == ["greet", "set-goal", "set-constraints", "explain"]
    assert intents[4] == "cheaper"
    assert intents[7] == "compare"
    assert all(r["guard"]["ok"] for r in replies), [r["guard"] for r in replies]
    assert "data analyst" in replies[1]["text"]
    assert "LPC-DA-101" in replies[3]["text"] or "Why it is recommended" in replies[3]["text"]

    # zero ungrounded credential ids across the whole conversation
    catalog = service.catalog
    named = {token for r in replies for token in ID_LIKE.findall(str(r["text"]))}
    ungrounded = {token for token in named if token.startswith("LPC-") and token not in catalog}
    assert named, "the conversation should name credentials"
    assert ungrounded == set()

    # the final route respects the budget and hours said in the chat
    final = replies[-1]
    view = final["view"]
    assert isinstance(view, dict)
    assert view["target"]["label"] == "data analyst"
    detail = client.get("/v1/learners/me/profile", headers=headers).json()
    budget = float(detail["constraints"]["budget"])
    assert budget <= 800
    assert detail["constraints"]["hours_per_week"] == 6
    routes = [r for r in view["routes"] if r["steps"]]
    assert routes, final["text"]
    for route in routes:
        assert float(route["total_cost"]) <= budget
        assert route["total_hours"] <= 6 * route["weeks"] + 1e-6
        for step in route["steps"]:
            assert step["credential_id"] in catalog
    cheapest = next(r for r in routes if r["objective"] == "cheapest")
    assert cheapest["steps"][0]["credential_id"] in final["text"]

    history = client.get(f"/v1/sessions/{session_id}", headers=headers).json()
    assert len(history["messages"]) == 2 * len(TURNS)
    assert history["session"]["title"] == "Toward data analyst"


def _files_holding(needle: bytes, roots: list[Path], since: float) -> list[Path]:
    """Files under ``roots`` written since ``since`` whose bytes contain ``needle``."""
    found = []
    for root in roots:
        for path in root.rglob("*"):  # rglob skips what it may not list
            try:
                if path.is_file() and path.stat().st_mtime >= since and needle in path.read_bytes():
                    found.append(path)
            except OSError:  # a file another test removed meanwhile
                continue
    return found


def test_deleting_a_learner_leaves_nothing_behind(client: TestClient, service: Stackwise, db_path: Path) -> None:
    """An uploaded résumé file, a profile and a chat, then DELETE: the canary is in no file the service wrote
    (database, WAL, state folder with its indexes, temporary files of the upload worker)."""
    started = time.time() - 1
    canary = "Zanzibarquokka Canaryfield"
    issued = client.post("/v1/auth/guest", json={"display_name": "Deletable"}).json()
    headers = {"Authorization": f"Bearer {issued['api_key']}"}
    text = RESUME.read_text(encoding="utf-8").replace("Maya Okafor", canary)
    uploaded = client.put(
        "/v1/learners/me/resume", files={"file": ("cv.txt", text.encode(), "text/plain")}, headers=headers
    )
    assert uploaded.status_code == 200, uploaded.text
    session = client.post("/v1/sessions", json={}, headers=headers).json()
    said = client.post(
        f"/v1/sessions/{session['id']}/messages", json={"text": f"My name is {canary}, hi"}, headers=headers
    )
    assert said.status_code == 200
    roots = [db_path.parent, service.settings.state_dir, Path(tempfile.gettempdir())]
    assert any(p.name.startswith("stackwise.db") for p in _files_holding(canary.encode(), roots, started))

    report = client.delete("/v1/learners/me", headers=headers)
    assert report.status_code == 200
    counts = report.json()
    assert counts["resumes"] == 1
    assert counts["profiles"] == 1
    assert counts["sessions"] == 1
    assert counts["messages"] == 2
    assert client.get("/v1/me", headers=headers).status_code == 401
    assert _files_holding(canary.encode(), roots, started) == []
