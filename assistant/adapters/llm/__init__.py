"""The language-model adapter: LangChain chat models (llama.cpp, Ollama, OpenAI-compatible) behind the
engine's :class:`~assistant.core.dialogue.ports.LanguageModel` port.

``LLMConfig`` and the factories import no LangChain at module level; the agent (which needs
langchain-core) loads on first use of its names, so reading the config stays cheap when no model is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.adapters.llm.config import LLMConfig, Provider
from assistant.adapters.llm.models import default_gguf_path, make_chat_model, make_language_model, resolve_gguf_path

if TYPE_CHECKING:
    from assistant.adapters.llm.agent import LangChainModel, LanguageModelError, to_langchain_tool

__all__ = [
    "LLMConfig",
    "LangChainModel",
    "LanguageModelError",
    "Provider",
    "default_gguf_path",
    "make_chat_model",
    "make_language_model",
    "resolve_gguf_path",
    "to_langchain_tool",
]

_AGENT_NAMES = frozenset({"LangChainModel", "LanguageModelError", "to_langchain_tool"})


def __getattr__(name: str) -> Any:
    if name in _AGENT_NAMES:
        from assistant.adapters.llm import agent

        return getattr(agent, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
