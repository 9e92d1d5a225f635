"""Which embedding backend and model to run, as plain values (``Settings.embedding`` nests this model).

Kept apart from the embedder so settings can be read without importing numpy or a model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Backend = Literal["torch", "onnx", "auto"]


class EmbeddingConfig(BaseModel):
    """The embedding backend and model, and how it runs (``STACKWISE_EMBEDDING_*``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: Backend = Field(
        default="auto",
        description=(
            "torch: sentence-transformers (fp32). onnx: the same model exported to ONNX and quantized to int8, "
            "run with onnxruntime (needs onnxruntime and onnx installed; refused unless its vectors match fp32 "
            "with cosine >= 0.99). auto: onnx when installed and its check passes, else torch."
        ),
    )
    model_path: Path | None = Field(
        default=None, description="A sentence-transformers model folder (default: the packaged all-MiniLM-L6-v2)."
    )
    batch_size: int = Field(default=64, ge=1, le=4096)
    threads: int | None = Field(default=None, ge=1, description="CPU threads (default: the library's choice).")

    def with_expanded_path(self) -> EmbeddingConfig:
        return self.model_copy(update={"model_path": self.model_path.expanduser() if self.model_path else None})
