"""The HTTP client the pages use: keys, plain-words errors, SSE parsing and downloads."""

from __future__ import annotations

import json

import httpx
import pytest

from ui.client import ApiError, ChatEvent, StackwiseClient, parse_sse


def client_with(handler: httpx.MockTransport, key: str | None = "sw_key") -> StackwiseClient:
    return StackwiseClient("http://api.test", api_key=key, transport=handler)


def test_sends_the_bearer_key_and_keeps_it_per_client() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(200, json={"id": "u1", "role": "learner", "display_name": "Guest"})

    api = client_with(httpx.MockTransport(handler))
    assert api.me()["role"] == "learner"
    api.with_key(None).me()
    api.with_key("sw_other").me()
    assert seen == ["Bearer sw_key", None, "Bearer sw_other"]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, {"detail": "No such learner."}, "No such learner."),
        (401, {}, "Your key was not accepted. Start again or enter a valid key."),
        (
            422,
            {"detail": [{"loc": ["body", "goals"], "msg": "List should have at least 2 items", "type": "too_short"}]},
            "Please check: goals: List should have at least 2 items.",
        ),
        (
            500,
            "Internal Server Error",
            "Something went wrong in the Stackwise service (error 500). Please try again later.",
        ),
        (418, {}, "The service could not do that (error 418)."),
    ],
)
def test_errors_carry_the_apis_plain_detail(status: int, body: object, message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(status, text=body)
        return httpx.Response(status, json=body)

    with pytest.raises(ApiError) as caught:
        client_with(httpx.MockTransport(handler)).compare(["a"])
    assert caught.value.detail == message
    assert caught.value.status == status
    assert str(caught.value) == message


def test_unreachable_service_is_said_plainly() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(ApiError, match=r"Cannot reach the Stackwise service at http://api.test\. Is it running\?"):
        client_with(httpx.MockTransport(handler)).stats()


def test_parse_sse_groups_lines_into_events() -> None:
    lines = [
        ": keep-alive",
        "event: token",
        'data: {"text": "Hel"}',
        "",
        "event: reset",
        "data: {}",
        "",
        "event: reply",
        'data: {"text":',
        'data: "two lines"}',
        "",
        'data: {"text": "unnamed, unterminated"}',
    ]
    assert list(parse_sse(iter(lines))) == [
        ChatEvent("token", {"text": "Hel"}),
        ChatEvent("reset", {}),
        ChatEvent("reply", {"text": "two lines"}),
        ChatEvent("message", {"text": "unnamed, unterminated"}),
    ]


def test_stream_message_yields_events_or_raises_the_detail() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/sessions/s1/messages/stream"
        assert json.loads(request.content) == {"text": "hi"}
        if request.headers.get("authorization") != "Bearer sw_key":
            return httpx.Response(404, json={"detail": "No such conversation."})
        body = 'event: token\ndata: {"text": "Hi"}\n\nevent: reply\ndata: {"text": "Hi!"}\n\n'
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body.encode())

    api = client_with(httpx.MockTransport(handler))
    events = list(api.stream_message("s1", "hi"))
    assert [e.event for e in events] == ["token", "reply"]
    assert events[1].data == {"text": "Hi!"}
    with pytest.raises(ApiError, match=r"No such conversation\."):
        list(api.with_key("sw_other").stream_message("s1", "hi"))


def test_uploads_are_multipart_file_fields() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "PUT"
        assert request.url.path == "/v1/learners/me/resume"
        assert request.headers["content-type"].startswith("multipart/form-data")
        assert b'name="file"; filename="cv.txt"' in request.content
        assert b"SQL and Python" in request.content
        return httpx.Response(200, json={"learner_id": "u1", "skills": [], "resume": None})

    profile = client_with(httpx.MockTransport(handler)).upload_resume("cv.txt", b"SQL and Python", "text/plain")
    assert profile["learner_id"] == "u1"


def test_export_returns_bytes_type_and_file_name() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["format"] == "pdf"
        return httpx.Response(
            200,
            content=b"%PDF-1.7",
            headers={"content-type": "application/pdf", "content-disposition": 'attachment; filename="brief-b1.pdf"'},
        )

    download = client_with(httpx.MockTransport(handler)).export_brief("b1", "pdf")
    assert (download.content, download.media_type, download.filename) == (
        b"%PDF-1.7",
        "application/pdf",
        "brief-b1.pdf",
    )


def test_lists_unwrap_their_envelopes() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/suggestions"):
            return httpx.Response(200, json={"options": [{"label": "nurse"}]})
        return httpx.Response(200, json={"rows": [{"target": "nurse"}]})

    api = client_with(httpx.MockTransport(handler))
    assert api.suggestions() == [{"label": "nurse"}]
    assert api.compare(["nurse", "welder"]) == [{"target": "nurse"}]


def _told(*events: tuple[str, dict[str, object]]) -> bytes:
    return "".join(f"event: {kind}\ndata: {json.dumps(data)}\n\n" for kind, data in events).encode()


def test_read_resume_tells_progress_then_returns_the_profile_or_raises_the_streamed_error() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers["content-type"].split(";")[0]))
        if request.url.path.endswith("/text/stream") and b"two people" in request.content:
            body = _told(("error", {"detail": "This looks like several résumés joined together.", "status": 422}))
        else:
            body = _told(
                ("progress", {"done": 32, "total": 40}),
                ("progress", {"done": 40, "total": 40}),
                ("profile", {"skills": [{"label": "SQL"}]}),
            )
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    api = client_with(httpx.MockTransport(handler))
    told: list[tuple[int, int]] = []
    profile = api.read_resume(lambda done, total: told.append((done, total)), file=("cv.txt", b"SQL", "text/plain"))
    assert profile["skills"][0]["label"] == "SQL" and told == [(32, 40), (40, 40)]
    assert seen[-1] == ("/v1/learners/me/resume/stream", "multipart/form-data")
    with pytest.raises(ApiError) as error:
        api.read_resume(lambda done, total: None, text="two people")
    assert error.value.status == 422 and error.value.detail.startswith("This looks like several résumés")
    assert seen[-1] == ("/v1/learners/me/resume/text/stream", "application/json")
