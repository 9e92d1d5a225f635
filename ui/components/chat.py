"""The conversation: past turns, a streamed reply, and quick-reply buttons from the last reply.

A streamed reply may be thrown away mid-way (the server's grounding check sends ``reset`` and writes
it again), and the final ``reply`` event is the checked text, so it always replaces what streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

import streamlit as st

from ui.client import ApiError, ChatEvent, StackwiseClient
from ui.components.advice import comparison_table
from ui.schema import Reply

PENDING = "chat_pending"


class Turn(TypedDict):
    role: str  # "user" or "assistant"
    text: str
    reply: Reply | None


@dataclass
class _Stream:
    """What the event stream has said so far, shared between the token generator and its caller."""

    events: Iterator[ChatEvent]
    reset: bool = False
    reply: Reply | None = None
    error: str | None = None
    finished: bool = False
    extra: list[ChatEvent] = field(default_factory=list)

    def tokens(self) -> Iterator[str]:
        """Token texts until a reset, the final reply, an error, or the end of the stream."""
        for event in self.events:
            if event.event == "token":
                yield str(event.data.get("text", ""))
            elif event.event == "reset":
                self.reset = True
                return
            elif event.event == "reply":
                self.reply = _as_reply(event.data)
                self.finished = True
                return
            elif event.event == "error":
                self.error = str(event.data.get("detail") or "The assistant could not answer.")
                self.finished = True
                return
            else:
                self.extra.append(event)
        self.finished = True


def _as_reply(data: dict[str, Any]) -> Reply:
    """The final reply event, with the two fields the page relies on always present."""
    return cast(Reply, {**data, "text": str(data.get("text", "")), "suggestions": list(data.get("suggestions") or [])})


def stream_reply(api: StackwiseClient, session_id: str, text: str) -> Reply:
    """Write the reply as it streams into the current container; return the final, checked reply.

    Raises ApiError when the stream fails or ends without a reply.
    """
    events = api.stream_message(session_id, text)
    stream = _Stream(events)
    slot = st.empty()
    try:
        while not stream.finished:
            stream.reset = False
            with slot.container():
                st.write_stream(stream.tokens(), cursor="▌")
            if stream.reset:
                slot.empty()
    except ApiError:
        slot.empty()
        raise
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()  # ends the HTTP stream even when we stopped reading at the reply
    if stream.error:
        slot.empty()
        raise ApiError(stream.error)
    if stream.reply is None:
        slot.empty()
        raise ApiError("The reply was cut off. Please send your message again.")
    slot.markdown(shown_text(stream.reply))
    comparison(stream.reply)
    return stream.reply


def shown_text(reply: Reply) -> str:
    """The reply's text as the page shows it: a comparison's Markdown table is left out where the same rows
    come as a table widget (it was shown twice, and seven columns of Markdown overflow a phone's chat)."""
    text = str(reply.get("text", ""))
    if not reply.get("comparison"):
        return text
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))


def comparison(reply: Reply | None) -> None:
    rows = (reply or {}).get("comparison") or []
    if rows:
        st.dataframe(comparison_table([dict(r) for r in rows]), hide_index=True, width="stretch")


def render_history(turns: list[Turn]) -> None:
    for turn in turns:
        with st.chat_message(turn["role"]):
            if turn["role"] == "assistant" and turn["reply"]:
                st.markdown(shown_text(turn["reply"]))
                comparison(turn["reply"])
            else:
                st.markdown(turn["text"])


def suggestion_buttons(reply: Reply | None, *, key: str) -> None:
    """Quick replies: a click sends the suggestion as the learner's next message."""
    suggestions = (reply or {}).get("suggestions") or []
    if not suggestions:
        return
    with st.container(horizontal=True, key=f"{key}_suggestions"):
        for i, suggestion in enumerate(suggestions[:8]):  # a goal question offers up to 8 jobs
            st.button(suggestion, key=f"{key}_suggestion_{i}", on_click=_queue, args=(suggestion,))


def _queue(text: str) -> None:
    st.session_state[PENDING] = text


def take_pending() -> str | None:
    """A quick reply clicked on the previous run, if any (used once)."""
    pending: str | None = st.session_state.pop(PENDING, None)
    return pending
