"""Settings: the language model and the embedder are nested once (``settings.llm``, ``settings.embedding``),
and the environment variable names the README documents keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings


def test_llm_variables_fill_the_nested_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_LLM_PROVIDER", "ollama")
    monkeypatch.setenv("STACKWISE_LLM_MODEL", "qwen2.5:1.5b")
    monkeypatch.setenv("STACKWISE_LLM_BASE_URL", "http://127.0.0.1:11434")
    monkeypatch.setenv("STACKWISE_LLM_MAX_TOKENS", "300")
    monkeypatch.setenv("STACKWISE_LLM_MAX_TOOL_ROUNDS", "2")
    monkeypatch.setenv("STACKWISE_LLM_API_KEY", "secret")
    llm = Settings().llm
    assert (llm.provider, llm.model, llm.base_url, llm.max_tokens, llm.max_tool_rounds) == (
        "ollama",
        "qwen2.5:1.5b",
        "http://127.0.0.1:11434",
        300,
        2,
    )
    assert llm.api_key is not None and llm.api_key.get_secret_value() == "secret"


def test_embedding_variables_fill_the_nested_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_EMBEDDING_BACKEND", "onnx")
    monkeypatch.setenv("STACKWISE_EMBEDDING_THREADS", "1")
    monkeypatch.setenv("STACKWISE_EMBEDDING_MODEL_PATH", "~/models/minilm")
    embedding = Settings().embedding
    assert (embedding.backend, embedding.threads) == ("onnx", 1)
    assert embedding.model_path == Path("~/models/minilm").expanduser()


def test_flat_variables_are_not_taken_for_nested_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_INDEX_HNSW_THRESHOLD", "1000")
    monkeypatch.setenv("STACKWISE_MAX_UPLOAD_MB", "7")
    settings = Settings()
    assert (settings.index_hnsw_threshold, settings.max_upload_mb) == (1000, 7)
    assert settings.llm.provider == "none" and settings.embedding.backend == "auto"


def test_a_bad_value_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STACKWISE_LLM_PROVIDER", "gpt-9000")
    with pytest.raises(ValueError, match=r"llm\.provider"):
        Settings()


def test_the_state_folder_is_private_and_an_unusable_one_is_named(tmp_path: Path) -> None:
    """The folder that holds résumés is created 0700; a path that cannot be a folder fails in one line that
    names it, not in a traceback from the database driver."""
    import stat

    from assistant.bootstrap import Stackwise
    from assistant.core.errors import DataSourceError

    state = tmp_path / "state"
    root = Stackwise(Settings(state_dir=state, database_url=None))
    root.store  # noqa: B018 - creating the store creates the folder
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / "stackwise.db").stat().st_mode) == 0o600
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(DataSourceError, match="a-file/state: cannot use the state folder") as info:
        Stackwise(Settings(state_dir=blocker / "state", database_url=None)).store  # noqa: B018
    assert "\n" not in str(info.value)
