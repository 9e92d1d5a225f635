"""The simulated learner for ``python -m eval.load``: what a person does through the API, paced like a person.

Importing this module imports locust, which monkey-patches the standard library with gevent; only the load
command imports it, never the test suite or the app. Each user signs up as a guest and uploads a résumé of
its own as a ``text/plain`` file: the next one of the run's ``Deck`` (``eval.load_resumes``: real résumés,
a different one per sign-up, dealt in a seeded order), recorded as a first upload when the server has never
seen it. It then sets limits and picks weighted tasks modelled on the learner page (``ui/client.py``):
advice and its parts for its persona's goal, search, what-if compare, suggestions, the catalog, chat turns
(plain and streamed), and now and then the same résumé uploaded again (recorded as a re-upload). Now and
then a learner erases their data and starts over as a new guest with the next résumé, so the erasure path
(deletes plus a WAL checkpoint) runs beside the reads and writes. Requests are named by route template
(the upload by its kind) so the figures group per endpoint.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from locust import HttpUser, between, task
from locust.clients import ResponseContextManager

from eval.load_resumes import AGAIN, Deck, Resume, upload_name

TIMEOUT_S = 120.0
THINK_TIME_S = (1.0, 3.0)
STREAM_SHARE = 0.3  # of chat turns sent to the streaming endpoint


@dataclass(frozen=True)
class Persona:
    """The goals a learner asks about (chosen by the learner's résumé, so a run repeats)."""

    goal: str
    alternatives: tuple[str, ...]
    search: str
    messages: tuple[str, ...]


PERSONAS = (
    Persona(
        "data analyst",
        ("database administrator", "statistical assistant"),
        "data analyst",
        (
            "I want to move into data analysis",
            "I have 6 hours a week and $800",
            "why that one?",
            "something cheaper?",
            "I already know SQL",
            "what about database administrator instead?",
        ),
    ),
    Persona(
        "healthcare assistant",
        ("specialist nurse", "medical administrative assistant"),
        "nurse",
        (
            "I want to become a specialist nurse",
            "I can study 10 hours a week, budget $1500",
            "which one should I take first?",
            "something online?",
            "what about healthcare assistant instead?",
        ),
    ),
    Persona(
        "welder",
        ("electrician", "bookkeeper"),
        "welding inspector",
        (
            "I want to become a welding inspector",
            "I have 5 hours a week",
            "why that one?",
            "something cheaper?",
            "what about electrician instead?",
        ),
    ),
)


def _fail(response: Any, message: str) -> None:
    """Mark a request failed (locust's ``failure`` is untyped)."""
    response.failure(message)


def _succeed(response: Any) -> None:
    """Mark a request done as expected (locust's ``success`` is untyped)."""
    response.success()


def _problem(response: ResponseContextManager) -> str:
    """What went wrong, in one line: the status and the start of the body, or the connection error."""
    if response.error is not None and not response.status_code:
        return f"no response: {type(response.error).__name__}: {response.error}"
    return f"HTTP {response.status_code}: {response.text[:120]}"


class Learner(HttpUser):
    """One learner at the page; ``wait_time`` is the think time between actions."""

    wait_time = between(*THINK_TIME_S)  # every task sends a request: no connection idles past uvicorn's 5 s keep-alive
    deck: Deck  # set by the load command before the run: shared by every learner of the run
    persona: Persona
    resume: Resume
    has_skills = True  # whether the last upload kept a skill: without one, suggestions are a 409 (as on the page)
    session_id: str | None = None

    # -- helpers -----------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, name: str, ok: tuple[int, ...] = (200,), **kwargs: Any) -> Any:
        """One request, named by route template; a status outside ``ok`` or a body that is not JSON fails it."""
        with self.client.request(method, path, name=name, catch_response=True, timeout=TIMEOUT_S, **kwargs) as response:
            return self._check(response, ok)

    @staticmethod
    def _check(response: ResponseContextManager, ok: tuple[int, ...]) -> Any:
        if response.status_code not in ok:
            _fail(response, _problem(response))
            return None
        if response.status_code >= 400:
            _succeed(response)  # an error status this call expects (locust fails any 4xx left unmarked)
        if response.status_code == 204 or "json" not in response.headers.get("content-type", ""):
            return response.text
        try:
            return response.json()
        except ValueError:
            _fail(response, "not JSON")
            return None

    def _target(self) -> dict[str, Any]:
        return {"target": {"kind": "occupation", "title": self.persona.goal}}

    # -- start: sign up, upload a résumé, set limits -------------------------------------------------------

    def on_start(self) -> None:
        self._sign_up()

    def _sign_up(self) -> None:
        self.session_id = None
        self.has_skills = True  # until an upload says otherwise: a failed upload makes no 409 acceptable
        self.client.headers.pop("Authorization", None)
        self.resume, first = self.deck.draw()
        self.persona = PERSONAS[self.resume.index % len(PERSONAS)]
        issued = self._call("POST", "/v1/auth/guest", "/v1/auth/guest", ok=(201,), json={"display_name": "Load"})
        if not issued:
            return
        self.client.headers["Authorization"] = f"Bearer {issued['api_key']}"
        self._upload(upload_name(first))
        limits = {"budget": random.choice([800, 1500, 3000]), "hours_per_week": random.choice([5, 8, 12])}
        self._call("PUT", "/v1/learners/me/constraints", "/v1/learners/me/constraints", json=limits)

    def _upload(self, name: str) -> None:
        profile = self._call("PUT", "/v1/learners/me/resume", name, files={"file": self.resume.upload()})
        if isinstance(profile, dict):
            self.has_skills = bool(profile.get("skills"))

    # -- what learners do --------------------------------------------------------------------------------

    @task(9)
    def profile(self) -> None:
        self._call("GET", "/v1/learners/me/profile", "/v1/learners/me/profile")

    @task(12)
    def advice(self) -> None:
        self._call("POST", "/v1/learners/me/advice", "/v1/learners/me/advice", json=self._target())

    @task(3)
    def advice_parts(self) -> None:
        part = random.choice(("gap", "recommendations", "routes"))
        self._call("POST", f"/v1/learners/me/{part}", f"/v1/learners/me/{part}", json=self._target())

    @task(3)
    def compare(self) -> None:
        goals = [self.persona.goal, random.choice(self.persona.alternatives)]
        self._call("POST", "/v1/learners/me/compare", "/v1/learners/me/compare", json={"goals": goals})

    @task(3)
    def suggestions(self) -> None:
        """Ranked occupations; a real résumé that kept no skill gets the 409 that asks for one, which is right."""
        ok = (200,) if self.has_skills else (200, 409)
        self._call("GET", "/v1/learners/me/suggestions", "/v1/learners/me/suggestions", ok=ok)

    @task(6)
    def search(self) -> None:
        hits = self._call("GET", "/v1/occupations", "/v1/occupations", params={"q": self.persona.search, "limit": 10})
        if hits:
            uri = random.choice(hits)["uri"]
            self._call("GET", "/v1/occupations/detail", "/v1/occupations/detail", params={"uri": uri})

    @task(3)
    def catalog(self) -> None:
        page = self._call("GET", "/v1/catalog", "/v1/catalog", params={"limit": 20})
        if page and page["items"]:
            credential = random.choice(page["items"])["id"]
            self._call("GET", f"/v1/catalog/{credential}", "/v1/catalog/{id}")

    @task(3)
    def sessions(self) -> None:
        self._call("GET", "/v1/sessions", "/v1/sessions")

    @task(12)
    def chat(self) -> None:
        """A turn of the conversation; the first one opens a session (the page does the same)."""
        if self.session_id is None:
            created = self._call("POST", "/v1/sessions", "/v1/sessions", ok=(201,), json={})
            if not created:
                return
            self.session_id = created["id"]
        text = random.choice(self.persona.messages)
        path = f"/v1/sessions/{self.session_id}/messages"
        if random.random() < STREAM_SHARE:
            self._stream(path + "/stream", text)
        else:
            self._call("POST", path, "/v1/sessions/{id}/messages", json={"text": text})

    def _stream(self, path: str, text: str) -> None:
        """The streamed turn, read to the end: it counts as done when the checked ``reply`` event arrives."""
        with self.client.request(
            "POST", path, name="/v1/sessions/{id}/messages/stream", json={"text": text},
            catch_response=True, timeout=TIMEOUT_S,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                _fail(response, _problem(response))
            elif "event: reply" not in response.text:
                _fail(response, "stream ended without a reply event")

    @task(3)
    def read_session(self) -> None:
        """Reopen the conversation; with none yet, the page lists the learner's conversations instead."""
        if self.session_id is None:
            self.sessions()
        else:
            self._call("GET", f"/v1/sessions/{self.session_id}", "/v1/sessions/{id}")

    @task(1)
    def upload_again(self) -> None:
        """The same résumé once more (a learner who re-sends it): the server has read it, so its lines are cached
        unless enough other résumés came since to push them out."""
        self._upload(AGAIN)

    @task(1)
    def start_over(self) -> None:
        """Erase everything (the privacy button), then come back as a new guest: about one pick in 60, so
        one learner in two erases during a two-minute visit."""
        self._call("DELETE", "/v1/learners/me", "/v1/learners/me")
        self._sign_up()
