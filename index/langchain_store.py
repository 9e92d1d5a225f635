"""LangChain views of the indexes, so chains and agents can retrieve skills, occupations and credentials.

* :class:`EmbedderEmbeddings` — a LangChain ``Embeddings`` over our ``Embedder`` port.
* :class:`StackwiseVectorStore` — a ``VectorStore`` over one built part (``similarity_search``,
  ``similarity_search_with_score``, ``…_by_vector``, relevance scores, ``as_retriever()``). Each
  ``Document`` is the best-matching text of one key: ``id`` is the key (skill URI, occupation URI,
  O*NET code, credential id) and ``metadata`` holds ``kind``, ``key``, ``source``, ``score`` and the
  key's stored metadata (label; for credentials mode, level, cost, duration, language…).
  ``filter=`` takes a ``CredentialFilter`` (or any object with ``matches(metadata)``), a callable
  on the metadata, or a dict of required values (a list means "any of"); ``kinds=`` restricts the
  kinds of keys. Scores are cosine similarities (higher is nearer); relevance scores are the same,
  clipped to [0, 1].
* ``from_texts`` builds a small in-memory, exact index (handy in tests and notebooks); the real
  indexes come from ``stackwise index build`` and are opened with :func:`vector_stores`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStore

from assistant.core.ports import Embedder, Hit, MetadataFilter, Vectors
from index.build import BoundIndex, Indexes
from index.documents import Entry, PartDocuments
from index.embedding import l2_normalize
from index.vector_store import FaissStore

FilterLike = MetadataFilter | Callable[[Mapping[str, Any]], bool] | Mapping[str, Any] | None


class EmbedderEmbeddings(Embeddings):
    """LangChain ``Embeddings`` backed by a Stackwise ``Embedder`` (normalised vectors)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self.embedder.embed(texts)]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self.embedder.embed([text])[0]]


class _EmbeddingsEmbedder:
    """The reverse adapter: any LangChain ``Embeddings`` as an ``Embedder`` (used by ``from_texts``)."""

    def __init__(self, embeddings: Embeddings, model_id: str | None = None) -> None:
        self.embeddings = embeddings
        self._model_id = model_id or f"langchain:{type(embeddings).__name__}"
        self._dimension: int | None = None

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            self._dimension = len(self.embeddings.embed_query("dimension probe"))
        return self._dimension

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.empty((0, self.dimension), dtype=np.float32)
        vectors = l2_normalize(np.asarray(self.embeddings.embed_documents(list(texts)), dtype=np.float32))
        self._dimension = vectors.shape[1]
        return vectors


class _DictFilter:
    """``{"delivery_mode": "online", "language": ["en", "fr"]}``: every field must match (a list: any of)."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = dict(spec)

    def matches(self, metadata: Mapping[str, Any]) -> bool:
        for name, wanted in self.spec.items():
            value = metadata.get(name)
            if isinstance(wanted, (list, tuple, set, frozenset)):
                if value not in wanted:
                    return False
            elif value != wanted:
                return False
        return True


class _CallableFilter:
    def __init__(self, func: Callable[[Mapping[str, Any]], bool]) -> None:
        self.func = func

    def matches(self, metadata: Mapping[str, Any]) -> bool:
        return bool(self.func(metadata))


def as_metadata_filter(spec: FilterLike) -> MetadataFilter | None:
    if spec is None:
        return None
    if isinstance(spec, MetadataFilter):
        return spec
    if isinstance(spec, Mapping):
        return _DictFilter(spec) if spec else None
    if callable(spec):
        return _CallableFilter(spec)
    raise TypeError(f"unsupported filter {spec!r}: use a CredentialFilter, a callable or a dict")


class StackwiseVectorStore(VectorStore):
    """A read-only LangChain ``VectorStore`` over one Stackwise index part."""

    def __init__(self, index: BoundIndex, *, kinds: Collection[str] | None = None) -> None:
        self.index = index
        self.default_kinds = frozenset(kinds) if kinds is not None else None
        self._embeddings = EmbedderEmbeddings(index.embedder)

    @property
    def embeddings(self) -> Embeddings:
        return self._embeddings

    @property
    def part(self) -> str:
        return self.index.part

    # -- search ------------------------------------------------------------------------------------
    def _hits(self, vectors: Vectors, k: int, kwargs: dict[str, Any]) -> list[Hit]:
        filter_ = as_metadata_filter(kwargs.pop("filter", None))
        kinds = kwargs.pop("kinds", None)
        kinds = frozenset(kinds) if kinds is not None else self.default_kinds
        score_threshold = kwargs.pop("score_threshold", None)
        hits = self.index.search_vectors(vectors, k, filter=filter_, kinds=kinds)[0]
        if score_threshold is not None:
            hits = [hit for hit in hits if hit.score >= score_threshold]
        return hits

    def _document(self, hit: Hit) -> Document:
        stored = dict(self.index.store.metadata(hit.key, hit.kind))
        metadata = {**stored, "kind": hit.kind, "key": hit.key, "source": hit.source, "score": hit.score}
        return Document(page_content=hit.text, metadata=metadata, id=hit.key)

    def similarity_search_with_score_by_vector(
        self, embedding: list[float], k: int = 4, **kwargs: Any
    ) -> list[tuple[Document, float]]:
        vector = l2_normalize(np.asarray([embedding], dtype=np.float32))
        return [(self._document(hit), hit.score) for hit in self._hits(vector, k, dict(kwargs))]

    def similarity_search_with_score(self, query: str, k: int = 4, **kwargs: Any) -> list[tuple[Document, float]]:
        vector = self.index.embedder.embed([query])
        return [(self._document(hit), hit.score) for hit in self._hits(vector, k, dict(kwargs))]

    def similarity_search(self, query: str, k: int = 4, **kwargs: Any) -> list[Document]:
        return [doc for doc, _ in self.similarity_search_with_score(query, k, **kwargs)]

    def similarity_search_by_vector(self, embedding: list[float], k: int = 4, **kwargs: Any) -> list[Document]:
        return [doc for doc, _ in self.similarity_search_with_score_by_vector(embedding, k, **kwargs)]

    def _select_relevance_score_fn(self) -> Callable[[float], float]:
        return lambda score: min(1.0, max(0.0, score))

    def get_by_ids(self, ids: Sequence[str], /) -> list[Document]:
        documents = []
        for key in ids:
            try:
                metadata = dict(self.index.store.metadata(key))
                text, source = self.index.store.texts_of(key)[0]
            except (KeyError, IndexError):
                continue
            kind = next(k for k, name in self.index.store.keys if name == key)
            documents.append(
                Document(page_content=text, metadata={**metadata, "kind": kind, "key": key, "source": source}, id=key)
            )
        return documents

    # -- writing ---------------------------------------------------------------------------------------
    def add_texts(
        self, texts: Iterable[str], metadatas: list[dict[Any, Any]] | None = None, **kwargs: Any
    ) -> list[str]:
        raise NotImplementedError(
            "Stackwise indexes are built from the taxonomy and catalog by `stackwise index build`; "
            "edit the catalog and rebuild (`stackwise index build --catalog-only`), or use "
            "StackwiseVectorStore.from_texts for a small in-memory index"
        )

    @classmethod
    def from_texts(
        cls,
        texts: list[str],
        embedding: Embeddings,
        metadatas: list[dict[Any, Any]] | None = None,
        *,
        ids: list[str] | None = None,
        **kwargs: Any,
    ) -> StackwiseVectorStore:
        """A small exact in-memory index: text ``i`` becomes key ``ids[i]`` (or ``"i"``) of kind ``text``."""
        if metadatas is not None and len(metadatas) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(metadatas)} metadatas")
        if ids is not None and len(ids) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(ids)} ids")
        keys = ids if ids is not None else [str(i) for i in range(len(texts))]
        kind = str(kwargs.pop("kind", "text"))
        entries = tuple(Entry(" ".join(text.split()), kind, key, "text") for text, key in zip(texts, keys, strict=True))
        metadata = {(kind, key): dict((metadatas or [{}] * len(texts))[i]) for i, key in enumerate(keys)}
        documents = PartDocuments(str(kwargs.pop("part", "texts")), entries, metadata)
        embedder = _EmbeddingsEmbedder(embedding)
        distinct = list(dict.fromkeys(entry.text for entry in entries))
        store = FaissStore.build(documents, distinct, embedder.embed(distinct), hnsw_threshold=10**9)
        return cls(BoundIndex(store, embedder))


def vector_stores(indexes: Indexes) -> dict[str, StackwiseVectorStore]:
    """One LangChain vector store per loaded part, keyed ``skills`` / ``occupations`` / ``credentials``."""
    return {name: StackwiseVectorStore(bound) for name, bound in indexes.parts.items()}
