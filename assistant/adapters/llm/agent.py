"""The :class:`LanguageModel` port over a LangChain chat model: a small, explicit tool-calling loop.

Why not a LangChain agent: the engine needs every tool result (the ids it unlocks), plain errors it can
fall back on, and a hard cap on rounds; a short loop gives exactly that and nothing else.

Every round is *streamed* rather than invoked and then asked again: one generation per round, and the
round that turns out to be the answer has already streamed its tokens. Text a model writes before a tool
call (rare) streams too, so ``Final.text`` is always exactly the concatenation of the ``Token`` events.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelNotFoundError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    InvalidToolCall,
    SystemMessage,
    ToolCall,
    ToolMessage,
    message_chunk_to_message,
)
from langchain_core.runnables import Runnable
from langchain_core.tools import StructuredTool
from pydantic import ValidationError

from assistant.core.dialogue.ports import ChatTurn, Final, LLMEvent, Token, ToolCalled, ToolSpec
from assistant.core.errors import StackwiseError

log = logging.getLogger(__name__)

ROUND_SEPARATOR = "\n\n"
_MAX_ERROR_CHARS = 300

ChatRunnable = Runnable[LanguageModelInput, BaseMessage]


class LanguageModelError(StackwiseError):
    """The language model failed: unreachable, timed out, refused, or gave no answer.

    The message is plain words; the engine answers with its composed reply instead.
    """


def to_langchain_tool(spec: ToolSpec) -> StructuredTool:
    """A LangChain tool for ``spec``: its schema is ``args_model``; running it returns the result's text."""

    def run(**kwargs: Any) -> str:
        return spec.run(spec.args_model.model_validate(kwargs)).text

    return StructuredTool.from_function(
        func=run, name=spec.name, description=spec.description, args_schema=spec.args_model
    )


@dataclass(frozen=True)
class _Call:
    """One tool call as the model wrote it; ``args`` is None when its arguments were not valid JSON."""

    id: str
    name: str
    args: dict[str, Any] | None
    error: str | None = None


class LangChainModel:
    """Runs the tool-calling conversation over any LangChain chat model (llama.cpp, Ollama, OpenAI-compatible)."""

    def __init__(self, model: BaseChatModel, *, max_tool_rounds: int = 4, name: str | None = None) -> None:
        if max_tool_rounds < 0:
            raise ValueError("max_tool_rounds must be >= 0")
        self._model = model
        self._max_tool_rounds = max_tool_rounds
        self._name = name or describe(model)

    @property
    def name(self) -> str:
        return self._name

    @property
    def chat_model(self) -> BaseChatModel:
        return self._model

    def converse(
        self, system: str, history: Sequence[ChatTurn], user: str, tools: Sequence[ToolSpec]
    ) -> Iterator[LLMEvent]:
        """Model → tool calls → results → model …: at most ``max_tool_rounds`` rounds of tools, then the answer.

        After the last allowed round the model is asked once more *without* tools, so it must answer from
        what it has. Only calls that ran yield :class:`ToolCalled`; a bad call is explained to the model.
        Raises :class:`LanguageModelError` when the model fails or ends with no text.
        """
        specs = {spec.name: spec for spec in tools}
        messages: list[BaseMessage] = [SystemMessage(system), *(_to_message(turn) for turn in history)]
        messages.append(HumanMessage(user))
        with_tools = self._bind(tools)
        calls: list[ToolCalled] = []
        streamed: list[str] = []
        for round_no in range(self._max_tool_rounds + 1):
            last_round = round_no == self._max_tool_rounds
            separate = bool(streamed)  # keeps text written before a tool call apart from later text
            reply: AIMessage | None = None
            for item in self._stream(self._model if last_round else with_tools, messages):
                if isinstance(item, AIMessage):
                    reply = item
                    continue
                if separate:
                    separate = False
                    streamed.append(ROUND_SEPARATOR)
                    yield Token(ROUND_SEPARATOR)
                streamed.append(item)
                yield Token(item)
            assert reply is not None  # _stream always ends with the whole reply
            reply, pending = _calls_of(reply, round_no)
            if not pending or last_round:
                if pending:
                    log.info("%s still asked for tools after %d rounds; its calls are ignored", self.name, round_no)
                text = "".join(streamed)
                if not text.strip():
                    ending = " after using all its tool rounds" if pending else ""
                    raise LanguageModelError(f"the language model ({self.name}) gave no answer{ending}")
                yield Final(text=text, tool_calls=tuple(calls))
                return
            messages.append(reply)
            for call in pending:
                outcome = _run(call, specs)
                if isinstance(outcome, ToolCalled):
                    calls.append(outcome)
                    yield outcome
                    messages.append(ToolMessage(outcome.result.text, tool_call_id=call.id, name=call.name))
                else:
                    messages.append(ToolMessage(outcome, tool_call_id=call.id, name=call.name, status="error"))

    def _bind(self, tools: Sequence[ToolSpec]) -> ChatRunnable:
        """The model with ``tools`` bound; the bare model when there are none or it cannot call tools."""
        if not tools:
            return self._model
        try:
            return self._model.bind_tools([to_langchain_tool(spec) for spec in tools])
        except NotImplementedError:
            log.warning("%s does not support tool calling; conversing without tools", self.name)
            return self._model

    def _stream(self, runnable: ChatRunnable, messages: list[BaseMessage]) -> Iterator[str | AIMessage]:
        """Text pieces as they arrive, then the whole reply; any failure of the model is a LanguageModelError."""
        stream = iter(runnable.stream(messages))
        merged: AIMessageChunk | None = None
        whole: AIMessage | None = None
        while True:
            try:
                piece = next(stream)
            except StopIteration:
                break
            except Exception as exc:
                raise LanguageModelError(explain_failure(self.name, exc)) from exc
            if isinstance(piece, AIMessageChunk):
                merged = piece if merged is None else merged + piece
            elif isinstance(piece, AIMessage):  # a model that cannot stream yields its whole reply once
                whole = piece
            else:
                raise LanguageModelError(f"the language model ({self.name}) replied with a {type(piece).__name__}")
            if text := str(piece.text):
                yield text
        if whole is not None:
            yield whole
        elif merged is not None:
            yield cast(AIMessage, message_chunk_to_message(merged))
        else:
            yield AIMessage(content="")


def describe(model: BaseChatModel) -> str:
    """A short name for logs and messages, e.g. ``chat-ollama:qwen2.5:1.5b``."""
    for attribute in ("model_name", "model"):
        value = getattr(model, attribute, None)
        if isinstance(value, str) and value:
            return f"{model._llm_type}:{value}"
    path = getattr(model, "model_path", None)
    if isinstance(path, str) and path:
        return f"{model._llm_type}:{Path(path).name}"
    return model._llm_type


def explain_failure(name: str, exc: BaseException) -> str:
    """Plain words for why a model request failed; provider SDKs map onto LangChain's error classes."""
    classes = [cls.__name__ for cls in type(exc).__mro__]
    if isinstance(exc, ModelTimeoutError | TimeoutError) or any("Timeout" in c for c in classes):
        reason = "did not answer in time"
    elif isinstance(exc, ModelConnectionError | ConnectionError) or any("Connect" in c for c in classes):
        reason = "could not be reached (is the server running?)"
    elif isinstance(exc, ModelAuthenticationError):
        reason = "refused the API key"
    elif isinstance(exc, ModelNotFoundError):
        reason = "does not have the requested model"
    elif isinstance(exc, ModelRateLimitError):
        reason = "is limiting requests; try again shortly"
    elif isinstance(exc, ContextOverflowError):
        reason = "cannot fit this conversation in its context window"
    else:
        detail = str(exc).strip() or type(exc).__name__
        if len(detail) > _MAX_ERROR_CHARS:
            detail = detail[:_MAX_ERROR_CHARS] + "…"
        reason = f"failed: {detail}"
    return f"the language model ({name}) {reason}"


def _to_message(turn: ChatTurn) -> BaseMessage:
    return HumanMessage(turn.text) if turn.role == "user" else AIMessage(turn.text)


def _calls_of(reply: AIMessage, round_no: int) -> tuple[AIMessage, list[_Call]]:
    """The reply's tool calls with an id each (some models omit them), and the reply rewritten to match."""
    calls: list[_Call] = []
    valid: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for call in reply.tool_calls:
        call_id = call.get("id") or f"call_{round_no}_{len(calls)}"
        valid.append(ToolCall(name=call["name"], args=call["args"], id=call_id, type="tool_call"))
        calls.append(_Call(call_id, call["name"], dict(call["args"])))
    for bad in reply.invalid_tool_calls:
        call_id = bad.get("id") or f"call_{round_no}_{len(calls)}"
        invalid.append(InvalidToolCall(**{**bad, "id": call_id}))
        calls.append(_Call(call_id, bad.get("name") or "", None, bad.get("error") or "not a JSON object"))
    if not calls:
        return reply, calls
    return reply.model_copy(update={"tool_calls": valid, "invalid_tool_calls": invalid}), calls


def _run(call: _Call, specs: Mapping[str, ToolSpec]) -> ToolCalled | str:
    """Runs one call, or says in words (for the model) why it could not run."""
    spec = specs.get(call.name)
    if spec is None:
        available = ", ".join(sorted(specs))
        hint = f"Available tools: {available}." if available else "No tools are available; answer directly."
        return f"Error: there is no tool named {call.name!r}. {hint}"
    if call.args is None:
        return f"Error: the arguments for {call.name} were not a JSON object ({call.error}). Call it again."
    try:
        args = spec.args_model.model_validate(call.args)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'arguments'}: {error['msg']}"
            for error in exc.errors(include_url=False)
        )
        return f"Error: the arguments for {call.name} were not valid: {problems}. Call it again, corrected."
    try:
        result = spec.run(args)
    except StackwiseError as exc:  # e.g. an id the model made up; anything else is a bug and propagates
        return f"Error: {call.name} failed: {exc}"
    return ToolCalled(name=call.name, args=args.model_dump(mode="json"), result=result)
