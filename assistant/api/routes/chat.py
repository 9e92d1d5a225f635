"""Conversations: sessions, messages, and replies streamed as server-sent events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from assistant.api.context import ApiContext, Caller, Context, learner_id_for
from assistant.api.schemas import errors
from assistant.api.wire import MessageIn, MessageOut, ReplyOut, SessionDetail, SessionIn, SessionOut
from assistant.core.access import Principal, Role
from assistant.core.dialogue import ChatTurn, ConversationState, Reply
from assistant.core.store import SessionRecord

router = APIRouter(prefix="/v1/sessions", tags=["chat"], responses=errors(401, 404, 422, 429))

HISTORY_TURNS = 8


def _out(ctx: ApiContext, record: SessionRecord, welcome: Reply | None = None) -> SessionOut:
    return SessionOut(
        id=record.id,
        learner_id=record.learner_id,
        title=record.title,
        created_at=record.created_at,
        updated_at=record.updated_at,
        mode=ctx.engine.mode,
        welcome=welcome,
    )


def _session(ctx: ApiContext, caller: Principal, session_id: str, *, write: bool = False) -> SessionRecord:
    record = ctx.store.get_session(session_id)
    if record is None:
        raise HTTPException(404, "No such conversation.")
    try:
        learner_id_for(ctx, caller, record.learner_id, write=write)
    except HTTPException as exc:
        if exc.status_code == 404:
            raise HTTPException(404, "No such conversation.") from exc
        raise
    return record


@router.post("", response_model=SessionOut, status_code=201, responses=errors(400, 403, 413))
def create_session(ctx: Context, caller: Caller, body: SessionIn | None = None) -> SessionOut:
    """A new conversation for the caller (a learner) or for a learner an admin names."""
    requested = (body.learner_id if body else None) or ("me" if caller.role is Role.LEARNER else None)
    if requested is None:
        raise HTTPException(422, "Give the learner_id the conversation is for.")
    learner = learner_id_for(ctx, caller, requested, write=True)
    state = ctx.state_for(learner, None)
    record = ctx.store.create_session(learner, "New conversation", state.model_dump_json())
    return _out(ctx, record, ctx.engine.welcome(state))


@router.get("", response_model=list[SessionOut])
def list_sessions(ctx: Context, caller: Caller, learner_id: str = "me") -> list[SessionOut]:
    if learner_id == "me" and caller.role is not Role.LEARNER:
        raise HTTPException(422, "Give the learner_id whose conversations to list.")
    learner = learner_id_for(ctx, caller, learner_id)
    return [_out(ctx, s) for s in ctx.store.list_sessions(learner)]


@router.get("/{session_id}", response_model=SessionDetail)
def get_session(ctx: Context, caller: Caller, session_id: str) -> SessionDetail:
    record = _session(ctx, caller, session_id)
    messages = [
        MessageOut(
            id=m.id,
            role=m.role,
            text=m.text,
            created_at=m.created_at,
            reply=Reply.model_validate_json(m.payload_json) if m.payload_json else None,
        )
        for m in ctx.store.messages(session_id)
    ]
    state = ConversationState.model_validate_json(record.state_json)
    return SessionDetail(session=_out(ctx, record), messages=messages, view=state.view)


@router.delete("/{session_id}", status_code=204, responses=errors(403))
def delete_session(ctx: Context, caller: Caller, session_id: str) -> Response:
    _session(ctx, caller, session_id, write=True)
    ctx.store.delete_session(session_id)
    return Response(status_code=204)


def _turn(ctx: ApiContext, record: SessionRecord) -> tuple[ConversationState, list[ChatTurn]]:
    state = ctx.state_for(record.learner_id, record.state_json)
    history = [ChatTurn(role=m.role, text=m.text) for m in ctx.store.messages(record.id, limit=HISTORY_TURNS * 2)]
    return state, history


def _save(ctx: ApiContext, record: SessionRecord, text: str, state: ConversationState, reply: Reply) -> None:
    ctx.store.add_message(record.id, "user", text)
    ctx.store.add_message(record.id, "assistant", reply.text, reply.model_dump_json())
    title = record.title
    if title == "New conversation" and state.goal_label:
        title = f"Toward {state.goal_label}"
    ctx.store.update_session_state(record.id, state.model_dump_json(), title)
    profile, earned = ctx.profile(record.learner_id)
    if state.profile.model_copy(update={"learner_id": record.learner_id}) != profile or state.earned != earned:
        ctx.save_profile(record.learner_id, state.profile, state.earned)


@router.post("/{session_id}/messages", response_model=ReplyOut, responses=errors(400, 403, 413))
def post_message(ctx: Context, caller: Caller, session_id: str, body: MessageIn) -> ReplyOut:
    """One turn: the reply is computed, checked by the guard, stored with the message, and returned."""
    record = _session(ctx, caller, session_id, write=True)
    state, history = _turn(ctx, record)
    state, reply = ctx.engine.respond(state, body.text, history)
    _save(ctx, record, body.text, state, reply)
    return ReplyOut(reply=reply)


def _writable_session(ctx: Context, caller: Caller, session_id: str) -> SessionRecord:
    """Checked as a dependency: a streaming endpoint's body only runs once the 200 response has started."""
    return _session(ctx, caller, session_id, write=True)


@router.post(
    "/{session_id}/messages/stream",
    response_class=EventSourceResponse,
    responses=errors(400, 401, 403, 404, 413, 422, 429, stream=True),  # replaces the router's, filed under JSON
)
def stream_message(
    ctx: Context, record: Annotated[SessionRecord, Depends(_writable_session)], body: MessageIn
) -> Iterator[ServerSentEvent]:
    """The same turn streamed: ``token`` events as the reply is written, ``reset`` when the guard rejected
    what streamed so far, then ``reply`` with the checked reply (stored before it is sent)."""
    state, history = _turn(ctx, record)
    try:
        for event in ctx.engine.stream(state, body.text, history):
            if event.kind == "token":
                yield ServerSentEvent(event="token", data={"text": event.text})
            elif event.kind == "reset":
                yield ServerSentEvent(event="reset", data={})
            elif event.reply is not None and event.state is not None:
                _save(ctx, record, body.text, event.state, event.reply)
                yield ServerSentEvent(event="reply", data=event.reply.model_dump(mode="json"))
    except Exception as exc:  # a stream has already started: report in-band rather than drop the connection
        import logging

        logging.getLogger("stackwise.api").exception("chat stream failed")
        detail = str(exc).splitlines()[0] if str(exc) else "Something went wrong; please try again."
        yield ServerSentEvent(event="error", data={"detail": detail})
