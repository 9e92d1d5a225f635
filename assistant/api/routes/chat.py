"""Conversations: sessions, messages, and replies streamed as server-sent events.

Each route reads its input, calls :class:`~assistant.usecases.conversations.Conversations` and shapes the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from assistant.api.deps import App, Caller
from assistant.api.schemas import errors
from assistant.api.wire import MessageIn, MessageOut, ReplyOut, SessionDetail, SessionIn, SessionOut
from assistant.core.store import SessionRecord

router = APIRouter(prefix="/v1/sessions", tags=["chat"], responses=errors(401, 404, 422, 429))
log = logging.getLogger("stackwise.api")


@router.post("", response_model=SessionOut, status_code=201, responses=errors(400, 403, 413))
def create_session(app: App, caller: Caller, body: SessionIn | None = None) -> SessionOut:
    """A new conversation for the caller (a learner) or for a learner an admin names."""
    record, welcome = app.conversations.start(caller, body.learner_id if body else None)
    return SessionOut.of(record, app.conversations.mode, welcome)


@router.get("", response_model=list[SessionOut])
def list_sessions(app: App, caller: Caller, learner_id: str = "me") -> list[SessionOut]:
    return [SessionOut.of(s, app.conversations.mode) for s in app.conversations.sessions(caller, learner_id)]


@router.get("/{session_id}", response_model=SessionDetail)
def get_session(app: App, caller: Caller, session_id: str) -> SessionDetail:
    found = app.conversations.get(caller, session_id)
    return SessionDetail(
        session=SessionOut.of(found.session, app.conversations.mode),
        messages=[MessageOut.of(message, reply) for message, reply in found.messages],
        view=found.state.view,
    )


@router.delete("/{session_id}", status_code=204, responses=errors(403))
def delete_session(app: App, caller: Caller, session_id: str) -> Response:
    app.conversations.delete(caller, session_id)
    return Response(status_code=204)


@router.post("/{session_id}/messages", response_model=ReplyOut, responses=errors(400, 403, 413))
def post_message(app: App, caller: Caller, session_id: str, body: MessageIn) -> ReplyOut:
    """One turn: the reply is computed, checked by the guard, stored with the message, and returned."""
    return ReplyOut(reply=app.conversations.send(caller, session_id, body.text))


def _writable_session(app: App, caller: Caller, session_id: str) -> SessionRecord:
    """Checked as a dependency: a streaming endpoint's body only runs once the 200 response has started."""
    return app.conversations.writable(caller, session_id)


@router.post(
    "/{session_id}/messages/stream",
    response_class=EventSourceResponse,
    responses=errors(400, 401, 403, 404, 413, 422, 429, stream=True),  # replaces the router's, filed under JSON
)
def stream_message(
    app: App, record: Annotated[SessionRecord, Depends(_writable_session)], body: MessageIn
) -> Iterator[ServerSentEvent]:
    """The same turn streamed: ``token`` events as the reply is written, ``reset`` when the guard rejected
    what streamed so far, then ``reply`` with the checked reply (stored before it is sent)."""
    try:
        for event in app.conversations.stream(record, body.text):
            if event.kind == "reply" and event.reply is not None:
                yield ServerSentEvent(event="reply", data=event.reply.model_dump(mode="json"))
            elif event.kind == "token":
                yield ServerSentEvent(event="token", data={"text": event.text})
            elif event.kind == "reset":
                yield ServerSentEvent(event="reset", data={})
    except Exception as exc:  # a stream has already started: report in-band rather than drop the connection
        log.exception("chat stream failed")
        detail = str(exc).splitlines()[0] if str(exc) else "Something went wrong; please try again."
        yield ServerSentEvent(event="error", data={"detail": detail})
