"""Conversations: sessions, one chat turn with its storage, and the same turn streamed.

A turn starts from the session's stored state with the stored profile as the source of truth (a résumé
uploaded on the page since the last message wins), runs the dialogue engine, then stores the message, the
reply and the new state, and writes back a profile the turn changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from assistant.core.access import Principal, Role
from assistant.core.dialogue import ChatTurn, ConversationState, DialogueEngine, Reply, StreamEvent
from assistant.core.errors import StackwiseError
from assistant.core.store import MessageRecord, SessionRecord, Store
from assistant.usecases.access import ME, Access
from assistant.usecases.learners import Learners

HISTORY_TURNS = 8
NEW_TITLE = "New conversation"


@dataclass(frozen=True)
class Conversation:
    """A session with its messages (each assistant message with the reply it stored) and its last advice."""

    session: SessionRecord
    messages: tuple[tuple[MessageRecord, Reply | None], ...]
    state: ConversationState


@dataclass(frozen=True)
class Conversations:
    store: Store
    access: Access
    learners: Learners
    engine: DialogueEngine

    @property
    def mode(self) -> str:
        return self.engine.mode

    def state_for(self, learner_id: str, state_json: str | None) -> ConversationState:
        """The session's state with the stored profile as the source of truth (a résumé uploaded since wins)."""
        return self._with_stored(ConversationState.model_validate_json(state_json) if state_json else None, learner_id)

    def _with_stored(self, state: ConversationState | None, learner_id: str) -> ConversationState:
        state = state or ConversationState()
        profile, earned = self.learners.load(learner_id)
        if profile != state.profile or earned != state.earned:
            state = state.model_copy(update={"profile": profile, "earned": earned, "view": None})
        return state

    def current_goal(self, learner_id: str) -> str | None:
        """The goal of the learner's most recent conversation that has one (what briefs and lists show)."""
        for session in self.store.list_sessions(learner_id):
            label = ConversationState.model_validate_json(session.state_json).goal_label
            if label:
                return label
        return None

    # --- sessions ----------------------------------------------------------------------------------------

    def start(self, caller: Principal, learner_id: str | None = None) -> tuple[SessionRecord, Reply]:
        """A new conversation for the caller (a learner) or for a learner an admin names, with its welcome."""
        requested = learner_id or (ME if caller.role is Role.LEARNER else None)
        if requested is None:
            raise StackwiseError("Give the learner_id the conversation is for.")
        learner = self.access.learner(caller, requested, write=True)
        state = self.state_for(learner, None)
        record = self.store.create_session(learner, NEW_TITLE, state.model_dump_json())
        return record, self.engine.welcome(state)

    def sessions(self, caller: Principal, learner_id: str = ME) -> list[SessionRecord]:
        if learner_id == ME and caller.role is not Role.LEARNER:
            raise StackwiseError("Give the learner_id whose conversations to list.")
        return self.store.list_sessions(self.access.learner(caller, learner_id))

    def get(self, caller: Principal, session_id: str) -> Conversation:
        record = self.access.session(caller, session_id)
        messages = tuple(
            (m, Reply.model_validate_json(m.payload_json) if m.payload_json else None)
            for m in self.store.messages(session_id)
        )
        return Conversation(record, messages, ConversationState.model_validate_json(record.state_json))

    def delete(self, caller: Principal, session_id: str) -> None:
        self.access.session(caller, session_id, write=True)
        self.store.delete_session(session_id)

    # --- turns -------------------------------------------------------------------------------------------

    def writable(self, caller: Principal, session_id: str) -> SessionRecord:
        """The session, checked before a turn (a stream checks it before its response starts)."""
        return self.access.session(caller, session_id, write=True)

    def send(self, caller: Principal, session_id: str, text: str) -> Reply:
        """One turn: the reply is computed, checked by the guard, stored with the message, and returned."""
        record = self.writable(caller, session_id)
        before, history = self._turn(record)
        state, reply = self.engine.respond(before, text, history)
        self._save(record, text, before, state, reply)
        return reply

    def stream(self, record: SessionRecord, text: str) -> Iterator[StreamEvent]:
        """The same turn as events; the checked reply is stored before its event is yielded."""
        before, history = self._turn(record)
        for event in self.engine.stream(before, text, history):
            if event.kind == "reply" and event.reply is not None and event.state is not None:
                self._save(record, text, before, event.state, event.reply)
            yield event

    def _turn(self, record: SessionRecord) -> tuple[ConversationState, list[ChatTurn]]:
        state = self.state_for(record.learner_id, record.state_json)
        messages = self.store.messages(record.id, limit=HISTORY_TURNS * 2)
        return state, [ChatTurn(role=m.role, text=m.text) for m in messages]

    def _save(
        self, record: SessionRecord, text: str, before: ConversationState, state: ConversationState, reply: Reply
    ) -> None:
        """Store the turn; the profile is written back only when the turn changed it (``before`` holds the
        stored profile the turn started from, so it is not read again)."""
        self.store.add_message(record.id, "user", text)
        self.store.add_message(record.id, "assistant", reply.text, reply.model_dump_json())
        title = record.title
        if title == NEW_TITLE and state.goal_label:
            title = f"Toward {state.goal_label}"
        self.store.update_session_state(record.id, state.model_dump_json(), title)
        profile = state.profile.model_copy(update={"learner_id": record.learner_id})
        if profile != before.profile or state.earned != before.earned:
            self.learners.save(record.learner_id, state.profile, state.earned)
