"""A small typed client of the Stackwise API, shared by the Streamlit pages (no business logic here).

Every endpoint of the v1 contract has one method. Failures become :class:`ApiError` carrying the API's
own plain-words ``detail``, so a page can show it as is and never a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, cast

import httpx

from ui.schema import (
    AdviceView,
    Advisee,
    Brief,
    ChatSession,
    ComparisonRow,
    Erasure,
    KeyedUser,
    Profile,
    Reply,
    SessionDetail,
    SkillHit,
    Suggestion,
    User,
)

DEFAULT_API_URL = "http://127.0.0.1:8000"
LearnerId = str  # an id, or the literal "me"

# Said when the API gives no usable detail; worded for the person at the page, not for a developer.
_FALLBACK_DETAIL = {
    400: "The request could not be understood.",
    401: "Your key was not accepted. Start again or enter a valid key.",
    403: "Your account may not do that.",
    404: "Not found.",
    409: "That conflicts with the current state. Reload and try again.",
    413: "The file is too large.",
    415: "That file type is not supported.",
    422: "Some of the values sent were not valid.",
    429: "Too many requests just now. Wait a moment and try again.",
}


class ApiError(RuntimeError):
    """The API could not be reached or refused the request; the message is fit to show a person."""

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class ChatEvent:
    """One server-sent event of a streamed chat reply: ``token``, ``reset``, ``reply`` or ``error``."""

    event: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Download:
    """An exported file: the bytes and how to offer them for download."""

    content: bytes
    media_type: str
    filename: str


def _detail(response: httpx.Response) -> str:
    """The API's plain-words reason; FastAPI's 422 list becomes one readable sentence."""
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str) and detail.strip():
        return detail
    if isinstance(detail, list) and detail:
        parts = []
        for item in detail:
            if isinstance(item, dict):
                where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
                parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg", "invalid")))
        if parts:
            return "Please check: " + "; ".join(parts) + "."
    if response.status_code >= 500:
        return f"Something went wrong in the Stackwise service (error {response.status_code}). Please try again later."
    return _FALLBACK_DETAIL.get(response.status_code, f"The service could not do that (error {response.status_code}).")


def parse_sse(lines: Iterator[str]) -> Iterator[ChatEvent]:
    """Group ``event:``/``data:`` lines into events (a blank line ends one), as text/event-stream defines."""
    event, data = "message", list[str]()
    for raw in lines:
        line = raw.rstrip("\r")
        if not line:
            if data:
                yield ChatEvent(event, _json_object("\n".join(data)))
            event, data = "message", list[str]()
        elif line.startswith(":"):
            continue  # comment / keep-alive
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        yield ChatEvent(event, _json_object("\n".join(data)))


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


class StackwiseClient:
    """One caller of the API: a base URL and, for everything but the public catalog, a bearer key."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        timeout: float = 180.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("STACKWISE_API_URL") or DEFAULT_API_URL).rstrip("/")
        self.api_key = api_key
        self._timeout = timeout
        self._transport = transport
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # Reading a résumé embeds every line on a small CPU: allow minutes, not seconds, for a response.
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport, headers=headers)

    def with_key(self, api_key: str | None) -> StackwiseClient:
        """The same service, called as another account."""
        return StackwiseClient(self.base_url, api_key=api_key, timeout=self._timeout, transport=self._transport)

    # -- plumbing ---------------------------------------------------------------------------------
    @contextmanager
    def _reaching(self) -> Iterator[None]:
        """A request or stream whose transport errors become plain words: too slow, or not reachable."""
        try:
            yield
        except httpx.TimeoutException as exc:
            raise ApiError("The Stackwise service took too long to answer. Please try again.") from exc
        except httpx.HTTPError as exc:
            raise ApiError(f"Cannot reach the Stackwise service at {self.base_url}. Is it running?") from exc

    @staticmethod
    def _refused(response: httpx.Response) -> None:
        """A stream the service refused before it began (access, size): its JSON reason as an ``ApiError``."""
        if response.status_code >= 400:
            response.read()
            raise ApiError(_detail(response), response.status_code)

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        params = kwargs.pop("params", None)
        if params:
            kwargs["params"] = {k: v for k, v in params.items() if v not in (None, "")}
        with self._reaching():
            response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise ApiError(_detail(response), response.status_code)
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._request(method, path, **kwargs)
        return response.json() if response.content else None

    def _get(self, path: str, **params: Any) -> Any:
        return self._json("GET", path, params=params)

    @staticmethod
    def _file(filename: str, content: bytes, media_type: str | None) -> dict[str, tuple[str, bytes, str]]:
        return {"file": (filename, content, media_type or "application/octet-stream")}

    # -- public data ------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return cast(dict[str, Any], self._get("/health"))

    def stats(self) -> dict[str, Any]:
        return cast(dict[str, Any], self._get("/v1/stats"))

    def ready(self) -> dict[str, Any]:
        """``/ready`` as it answers: 200 when ready, 503 with the checks that are not (still building, say)."""
        try:
            response = self._http.get("/ready", timeout=5)
        except httpx.HTTPError as exc:
            raise ApiError(f"Cannot reach the Stackwise service at {self.base_url}. Is it running?") from exc
        return _json_object(response.text)

    def occupations(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        return cast(list[dict[str, Any]], self._get("/v1/occupations", q=query, limit=limit))

    def occupation(self, uri: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._get("/v1/occupations/detail", uri=uri))

    def occupation_credentials(self, uri: str) -> dict[str, Any]:
        """The catalog's credentials that build toward an occupation, and routes toward it from scratch:
        ``{"label", "core_skills", "hours_per_week", "credentials": [...], "routes": [Route...], "notes"}``."""
        return cast(dict[str, Any], self._get("/v1/occupations/credentials", uri=uri))

    def catalog(self, **filters: Any) -> dict[str, Any]:
        """A page of the catalog: ``{"total", "items": [...], "hidden_by": {filter: count}}`` (filters: field, kind,
        delivery_mode, max_cost, q...); ``hidden_by`` says how many credentials each filter given alone hides."""
        return cast(dict[str, Any], self._get("/v1/catalog", **filters))

    def catalog_all(self, **filters: Any) -> list[dict[str, Any]]:
        """Every credential matching the filters, a page at a time (the API gives at most 200 per page)."""
        items: list[dict[str, Any]] = []
        while True:
            page = self.catalog(**filters, offset=len(items), limit=200)
            items.extend(page.get("items", []))
            if not page.get("items") or len(items) >= int(page.get("total", 0)):
                return items

    def credential(self, credential_id: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._get(f"/v1/catalog/{credential_id}"))

    # -- accounts ---------------------------------------------------------------------------------
    def create_guest(self, display_name: str | None = None) -> KeyedUser:
        body = {"display_name": display_name} if display_name else None
        return cast(KeyedUser, self._json("POST", "/v1/auth/guest", json=body))

    def me(self) -> User:
        return cast(User, self._get("/v1/me"))

    def create_user(self, role: str, display_name: str) -> KeyedUser:
        return cast(KeyedUser, self._json("POST", "/v1/users", json={"role": role, "display_name": display_name}))

    def users(self) -> list[User]:
        return cast(list[User], self._get("/v1/users"))

    def assign_advisee(self, advisor_id: str, learner_id: str) -> None:
        self._request("PUT", f"/v1/advisors/{advisor_id}/advisees/{learner_id}")

    def unassign_advisee(self, advisor_id: str, learner_id: str) -> None:
        self._request("DELETE", f"/v1/advisors/{advisor_id}/advisees/{learner_id}")

    def advisees(self) -> list[Advisee]:
        return cast(list[Advisee], self._get("/v1/advisees"))

    # -- learner data -----------------------------------------------------------------------------
    def upload_resume(
        self, filename: str, content: bytes, media_type: str | None = None, learner_id: LearnerId = "me"
    ) -> Profile:
        files = self._file(filename, content, media_type)
        return cast(Profile, self._json("PUT", f"/v1/learners/{learner_id}/resume", files=files))

    def put_resume_text(self, text: str, learner_id: LearnerId = "me") -> Profile:
        return cast(Profile, self._json("PUT", f"/v1/learners/{learner_id}/resume/text", json={"text": text}))

    def read_resume(
        self,
        on_progress: Callable[[int, int], None],
        *,
        text: str | None = None,
        file: tuple[str, bytes, str | None] | None = None,
        learner_id: LearnerId = "me",
    ) -> Profile:
        """A pasted text or a file (name, bytes, type) read with progress: ``on_progress(done, total)`` as the
        service links its lines, then the profile; an error the service reports mid-stream raises ``ApiError``
        with its status and words, as the plain routes would."""
        kwargs: dict[str, Any]
        if file is not None:
            path, kwargs = f"/v1/learners/{learner_id}/resume/stream", {"files": self._file(*file)}
        else:
            path, kwargs = f"/v1/learners/{learner_id}/resume/text/stream", {"json": {"text": text or ""}}
        headers = {"Accept": "text/event-stream"}
        with self._reaching(), self._http.stream("PUT", path, headers=headers, **kwargs) as response:
            self._refused(response)
            for event in parse_sse(response.iter_lines()):
                if event.event == "progress":
                    on_progress(int(event.data.get("done", 0)), int(event.data.get("total", 0)))
                elif event.event == "profile":
                    return cast(Profile, event.data)
                elif event.event == "error":
                    detail = str(event.data.get("detail") or "The résumé could not be read.")
                    raise ApiError(detail, int(event.data.get("status", 422)))
        raise ApiError("The reading was cut off. Please try again.")

    def delete_resume(self, learner_id: LearnerId = "me") -> None:
        self._request("DELETE", f"/v1/learners/{learner_id}/resume")

    def profile(self, learner_id: LearnerId = "me") -> Profile:
        return cast(Profile, self._get(f"/v1/learners/{learner_id}/profile"))

    def edit_skills(
        self,
        *,
        confirm: list[str] | None = None,
        remove: list[str] | None = None,
        add: list[str] | None = None,
        text: str | None = None,
        learner_id: LearnerId = "me",
    ) -> Profile:
        """Confirm offered skills, remove wrong ones, add missing ones (by URI, or typed)."""
        body = {"confirm": confirm or [], "remove": remove or [], "add": add or [], "text": text}
        return cast(Profile, self._json("PATCH", f"/v1/learners/{learner_id}/skills", json=body))

    def find_skills(self, query: str, limit: int = 8) -> list[SkillHit]:
        """Skills to pick from as the learner types (ESCO labels, O*NET technologies)."""
        return cast(list[SkillHit], self._get("/v1/skills", q=query, limit=limit))

    def set_constraints(
        self,
        *,
        budget: float | None = None,
        currency: str = "USD",
        hours_per_week: float | None = None,
        deadline: str | None = None,
        delivery_modes: list[str] | None = None,
        learner_id: LearnerId = "me",
    ) -> Profile:
        body = {
            "budget": budget,
            "currency": currency,
            "hours_per_week": hours_per_week,
            "deadline": deadline,
            "delivery_modes": delivery_modes or [],
        }
        return cast(Profile, self._json("PUT", f"/v1/learners/{learner_id}/constraints", json=body))

    def set_credentials(self, credential_ids: list[str], learner_id: LearnerId = "me") -> Profile:
        body = {"credential_ids": credential_ids}
        return cast(Profile, self._json("PUT", f"/v1/learners/{learner_id}/credentials", json=body))

    def upload_badges(
        self, filename: str, content: bytes, media_type: str | None = "application/json", learner_id: LearnerId = "me"
    ) -> Profile:
        files = self._file(filename, content, media_type)
        return cast(Profile, self._json("POST", f"/v1/learners/{learner_id}/badges", files=files))

    def advice(self, target: dict[str, Any], learner_id: LearnerId = "me") -> AdviceView:
        """Full advice for a target: ``{"kind": "occupation", "title": ...}``, a posting, or explore."""
        return cast(AdviceView, self._json("POST", f"/v1/learners/{learner_id}/advice", json={"target": target}))

    def advice_part(
        self, part: Literal["gap", "recommendations", "routes"], target: dict[str, Any], learner_id: LearnerId = "me"
    ) -> AdviceView:
        """One part of the advice (the other keys are absent)."""
        return cast(AdviceView, self._json("POST", f"/v1/learners/{learner_id}/{part}", json={"target": target}))

    def compare(self, goals: list[str], learner_id: LearnerId = "me") -> list[ComparisonRow]:
        body = self._json("POST", f"/v1/learners/{learner_id}/compare", json={"goals": goals})
        return cast(list[ComparisonRow], body.get("rows", []))

    def suggestions(self, learner_id: LearnerId = "me") -> list[Suggestion]:
        body = self._get(f"/v1/learners/{learner_id}/suggestions")
        return cast(list[Suggestion], body.get("options", []))

    def delete_learner(self, learner_id: LearnerId = "me") -> Erasure:
        return cast(Erasure, self._json("DELETE", f"/v1/learners/{learner_id}"))

    # -- chat -------------------------------------------------------------------------------------
    def create_session(self, learner_id: str | None = None) -> ChatSession:
        body = {"learner_id": learner_id} if learner_id else {}
        return cast(ChatSession, self._json("POST", "/v1/sessions", json=body))

    def sessions(self, learner_id: str | None = None) -> list[ChatSession]:
        return cast(list[ChatSession], self._get("/v1/sessions", learner_id=learner_id))

    def session(self, session_id: str) -> SessionDetail:
        return cast(SessionDetail, self._get(f"/v1/sessions/{session_id}"))

    def delete_session(self, session_id: str) -> None:
        self._request("DELETE", f"/v1/sessions/{session_id}")

    def send_message(self, session_id: str, text: str) -> Reply:
        body = self._json("POST", f"/v1/sessions/{session_id}/messages", json={"text": text})
        return cast(Reply, body["reply"])

    def stream_message(self, session_id: str, text: str) -> Iterator[ChatEvent]:
        """The reply as it is written: ``token`` events, possibly a ``reset``, then ``reply`` (or ``error``)."""
        path = f"/v1/sessions/{session_id}/messages/stream"
        headers = {"Accept": "text/event-stream"}
        with self._reaching(), self._http.stream("POST", path, json={"text": text}, headers=headers) as response:
            self._refused(response)
            yield from parse_sse(response.iter_lines())

    # -- advisor briefs ---------------------------------------------------------------------------
    def create_brief(self, learner_id: str, goal: str | None = None) -> Brief:
        body = {"goal": goal} if goal else {}
        return cast(Brief, self._json("POST", f"/v1/learners/{learner_id}/briefs", json=body))

    def briefs(self, learner_id: str) -> list[Brief]:
        return cast(list[Brief], self._get(f"/v1/learners/{learner_id}/briefs"))

    def brief(self, brief_id: str) -> Brief:
        return cast(Brief, self._get(f"/v1/briefs/{brief_id}"))

    def update_brief(self, brief_id: str, *, notes: str | None = None, content_md: str | None = None) -> Brief:
        body = {k: v for k, v in (("notes", notes), ("content_md", content_md)) if v is not None}
        return cast(Brief, self._json("PATCH", f"/v1/briefs/{brief_id}", json=body))

    def delete_brief(self, brief_id: str) -> None:
        self._request("DELETE", f"/v1/briefs/{brief_id}")

    def export_brief(self, brief_id: str, fmt: Literal["md", "pdf"]) -> Download:
        response = self._request("GET", f"/v1/briefs/{brief_id}/export", params={"format": fmt})
        media_type = response.headers.get("content-type", "").split(";")[0] or (
            "application/pdf" if fmt == "pdf" else "text/markdown"
        )
        return Download(response.content, media_type, _filename(response, f"brief-{brief_id}.{fmt}"))

    # -- catalog staff ----------------------------------------------------------------------------
    def catalog_health(self, routes: bool = True) -> dict[str, Any]:
        """The catalog's health report (admin key): duplicates, unaligned, destinations, demand gaps, coverage."""
        return cast(dict[str, Any], self._get("/v1/catalog-health", routes=str(routes).lower()))

    def export_catalog_health(self, fmt: Literal["md", "pdf"]) -> Download:
        response = self._request("GET", "/v1/catalog-health/export", params={"format": fmt})
        media_type = response.headers.get("content-type", "").split(";")[0] or (
            "application/pdf" if fmt == "pdf" else "text/markdown"
        )
        return Download(response.content, media_type, _filename(response, f"catalog-health.{fmt}"))


def _filename(response: httpx.Response, default: str) -> str:
    """The file name from Content-Disposition when the API gives one."""
    disposition = response.headers.get("content-disposition", "")
    for part in disposition.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "filename" and value.strip('"'):
            return str(value.strip('"'))
    return default
