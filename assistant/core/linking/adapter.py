"""A learned linear map applied to query embeddings before skill retrieval.

The packaged all-MiniLM-L6-v2 places a job-ad or résumé sentence far from the terse ESCO label it
evidences. ``index/train_skill_adapter.py`` learns a 384×384 matrix ``W`` (from identity, with a
penalty for straying from it) that moves the vector of each ESCO skill *description* — a sentence
about doing the skill — toward the vector of its label. Queries become ``normalize(W·q)``; the
skill vectors in the index are unchanged, so the adapter is optional and the index is shared.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assistant.core.errors import DataSourceError

Vectors = npt.NDArray[np.float32]


class QueryAdapter:
    def __init__(self, matrix: npt.NDArray[Any], *, model_id: str, info: dict[str, Any] | None = None) -> None:
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError(f"adapter matrix must be square, got shape {matrix.shape}")
        self.matrix = matrix.astype(np.float32)
        self.model_id = model_id
        self.info = info or {}

    @property
    def dimension(self) -> int:
        return int(self.matrix.shape[0])

    def apply(self, vectors: Vectors) -> Vectors:
        mapped = vectors @ self.matrix.T
        norms = np.linalg.norm(mapped, axis=1, keepdims=True)
        return (mapped / np.where(norms == 0, 1, norms)).astype(np.float32)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, matrix=self.matrix.astype(np.float16), model_id=self.model_id, info=np.array(repr(self.info))
        )

    @classmethod
    def load(cls, path: Path) -> QueryAdapter:
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(data["matrix"], model_id=str(data["model_id"]), info={"source": str(data["info"])})
        except (OSError, KeyError, ValueError) as exc:
            raise DataSourceError(
                f"skill adapter {path} is unreadable ({exc}); rebuild it with `python -m index.train_skill_adapter`"
            ) from exc
