"""The shapes the dialogue engine shares with its adapters: tools, chat turns and a language-model port.

The engine computes every skill, gap, recommendation and route in code. A language model, when one is
configured, sees those results only through :class:`ToolSpec` calls and may only phrase them; the
LangChain adapter turns each spec into a tool the model can call and streams what the model says as
:class:`LLMEvent` values. Nothing here imports LangChain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict


class ChatTurn(BaseModel):
    """One message of a conversation as it is stored and replayed to a model."""

    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    text: str


@dataclass(frozen=True)
class ToolResult:
    """What a tool returns: a compact factual summary for the model, and the ids it may now name.

    ``credential_ids`` and ``skill_uris`` join the set of things a reply is allowed to mention.
    """

    text: str
    credential_ids: frozenset[str] = frozenset()
    skill_uris: frozenset[str] = frozenset()
    data: object | None = None


@dataclass(frozen=True)
class ToolSpec:
    """A tool over the core: ``run`` validates nothing itself; callers pass an ``args_model`` instance."""

    name: str
    description: str
    args_model: type[BaseModel]
    run: Callable[[BaseModel], ToolResult]


@dataclass(frozen=True)
class ToolCalled:
    name: str
    args: dict[str, object]
    result: ToolResult


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class Final:
    text: str
    tool_calls: tuple[ToolCalled, ...] = field(default_factory=tuple)


LLMEvent = ToolCalled | Token | Final


@runtime_checkable
class LanguageModel(Protocol):
    """A chat model that may call tools, then answers; events stream as they happen.

    ``converse`` runs the tool-calling loop (model → tool calls → results → model …) and ends with one
    :class:`Final`. Tokens of the final answer stream as :class:`Token` events before it.
    """

    @property
    def name(self) -> str: ...

    def converse(
        self, system: str, history: Sequence[ChatTurn], user: str, tools: Sequence[ToolSpec]
    ) -> Iterator[LLMEvent]: ...
