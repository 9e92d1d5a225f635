"""Deterministic test doubles shared across the suite (import as ``tests.fakes``)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from langchain_core.runnables import Runnable
from pydantic import Field

from assistant.core.ports import Hit, MetadataFilter

_WORD = re.compile(r"[a-z0-9+#]+")


def _word_vector(word: str, dimension: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    return np.random.default_rng(seed).standard_normal(dimension)


class FakeEmbedder:
    """Bag-of-words hash vectors: texts sharing words are near, others nearly orthogonal.

    Deterministic across runs and machines; counts every call and every text it was asked for.
    """

    backend = "fake"

    def __init__(self, dimension: int = 32, model_id: str = "fake-bow-32") -> None:
        self._dimension = dimension
        self._model_id = model_id
        self.calls: list[int] = []
        self.texts_encoded = 0

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        self.texts_encoded += len(texts)
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower()) or ["<empty>"]
            vector = sum(_word_vector(word, self._dimension) for word in words)
            vector = vector + 0.05 * _word_vector("<text>" + text.lower(), self._dimension)
            out[row] = vector / np.linalg.norm(vector)
        return out


class BruteForceIndex:
    """An exact in-memory VectorIndex over (kind, key, text, source) entries, with per-key metadata for filters.

    It passes the same contract as the FAISS store (``tests/contracts/vector_index.py``).
    """

    def __init__(
        self,
        embedder: FakeEmbedder,
        entries: Sequence[tuple[str, str, str, str]],
        metadata: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
    ) -> None:
        self.entries = list(entries)
        self.key_metadata = dict(metadata or {})
        self._dimension = embedder.dimension
        self.matrix = embedder.embed([text for _, _, text, _ in self.entries])

    @classmethod
    def from_documents(cls, embedder: FakeEmbedder, documents: Any) -> BruteForceIndex:
        """From the adapter's ``PartDocuments`` (entries and per-key metadata)."""
        entries = [(e.kind, e.key, e.text, e.source) for e in documents.entries]
        return cls(embedder, entries, documents.metadata)

    @property
    def dimension(self) -> int:
        return self._dimension

    def __len__(self) -> int:
        return len({(kind, key) for kind, key, _, _ in self.entries})

    def search(
        self,
        query_vectors: np.ndarray,
        k: int = 10,
        *,
        filter: MetadataFilter | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[list[Hit]]:
        out = []
        for query in np.atleast_2d(query_vectors) if len(query_vectors) else []:
            scores = self.matrix @ query  # one query at a time: a batch scores exactly as its queries alone
            best: dict[tuple[str, str], Hit] = {}
            for (kind, key, text, source), score in zip(self.entries, scores, strict=True):
                if kinds and kind not in kinds:
                    continue
                if filter is not None and not filter.matches(self.key_metadata.get((kind, key), {})):
                    continue
                if (kind, key) not in best or score > best[(kind, key)].score:
                    best[(kind, key)] = Hit(kind, key, text, float(score), source)
            out.append(sorted(best.values(), key=lambda h: (-h.score, h.kind, h.key))[:k])
        return out


class ListModel(FakeMessagesListChatModel):
    """LangChain's fake list model that accepts tools: replies from ``responses`` in order, without streaming,
    and records every input and the tool names bound to it."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)
    tools_seen: list[list[str] | None] = Field(default_factory=list)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(bound_tools=[tool.name for tool in tools], **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))
        self.tools_seen.append(kwargs.get("bound_tools"))
        return super()._generate(messages, stop, run_manager)
