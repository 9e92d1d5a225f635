"""The LangChain VectorStore and retriever over built index parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_core.vectorstores import VectorStore, VectorStoreRetriever

from assistant.core.catalog import Catalog
from assistant.core.ports import CredentialFilter
from assistant.core.taxonomy import Taxonomy
from index.build import build_indexes, load_indexes
from index.langchain_store import EmbedderEmbeddings, StackwiseVectorStore, vector_stores


@pytest.fixture
def stores(tmp_path: Path, small_taxonomy: Taxonomy, small_catalog: Catalog, fake_embedder) -> dict:
    build_indexes(tmp_path, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog, progress=False)
    indexes = load_indexes(tmp_path, embedder=fake_embedder, taxonomy=small_taxonomy, catalog=small_catalog)
    return vector_stores(indexes)


def test_similarity_search_returns_one_document_per_key(stores: dict) -> None:
    store = stores["skills"]
    assert isinstance(store, VectorStore)
    docs = store.similarity_search("structured query language", k=3)
    assert len(docs) == 3
    first = docs[0]
    assert isinstance(first, Document)
    assert first.id == "http://data.europa.eu/esco/skill/sql"
    assert first.page_content == "structured query language"
    assert first.metadata["kind"] == "skill"
    assert first.metadata["source"] == "alt-label"
    assert first.metadata["label"] == "SQL"
    assert len({doc.id for doc in docs}) == 3


def test_scores_and_search_by_vector(stores: dict) -> None:
    store = stores["occupations"]
    scored = store.similarity_search_with_score("data scientist", k=2)
    assert scored[0][0].id.endswith("/ds")
    assert scored[0][1] == pytest.approx(1.0, abs=1e-5)
    assert scored[0][1] >= scored[1][1]
    vector = store.embeddings.embed_query("data scientist")
    assert [d.id for d in store.similarity_search_by_vector(vector, k=2)] == [d.id for d, _ in scored]
    relevant = store.similarity_search_with_relevance_scores("data scientist", k=2)
    assert all(0.0 <= score <= 1.0 for _, score in relevant)


def test_filters_and_kinds(stores: dict) -> None:
    credentials = stores["credentials"]
    docs = credentials.similarity_search("welding", k=3, filter=CredentialFilter(delivery_modes=frozenset({"online"})))
    assert len(docs) == 3
    assert {d.metadata["delivery_mode"] for d in docs} == {"online"}
    docs = credentials.similarity_search("welding", k=5, filter={"language": ["de", "fr"]})
    assert {d.id for d in docs} == {"NURSE-2", "PM-2"}
    docs = credentials.similarity_search("welding", k=5, filter=lambda meta: meta["eqf_level"] == 2)
    assert [d.id for d in docs] == ["XL-1"]
    onet = stores["occupations"].similarity_search("truck driver", k=5, kinds={"onet-occupation"})
    assert {d.metadata["kind"] for d in onet} == {"onet-occupation"}
    with pytest.raises(TypeError, match="unsupported filter"):
        credentials.similarity_search("x", filter=42)


def test_retriever(stores: dict) -> None:
    retriever = stores["credentials"].as_retriever(search_kwargs={"k": 2, "filter": {"field": "Trades"}})
    assert isinstance(retriever, VectorStoreRetriever)
    docs = retriever.invoke("welding safety")
    assert [d.id for d in docs] == ["WELD-1", "WELD-2"]
    threshold = stores["skills"].as_retriever(
        search_type="similarity_score_threshold", search_kwargs={"score_threshold": 0.99, "k": 5}
    )
    assert [d.id for d in threshold.invoke("arc welding")] == ["http://data.europa.eu/esco/skill/weld"]


def test_get_by_ids_and_read_only(stores: dict) -> None:
    store = stores["credentials"]
    docs = store.get_by_ids(["SQL-1", "missing"])
    assert [d.id for d in docs] == ["SQL-1"]
    assert docs[0].page_content == "SQL for data analysis"
    with pytest.raises(NotImplementedError, match="stackwise index build"):
        store.add_texts(["more"])


def test_from_texts_builds_a_small_in_memory_index() -> None:
    embeddings = DeterministicFakeEmbedding(size=16)
    store = StackwiseVectorStore.from_texts(
        ["alpha", "beta", "gamma"], embeddings, metadatas=[{"n": 1}, {"n": 2}, {"n": 3}], ids=["a", "b", "c"]
    )
    docs = store.similarity_search("beta", k=1)
    assert docs[0].id == "b"
    assert docs[0].metadata["n"] == 2
    assert store.similarity_search("gamma", k=1, filter={"n": 3})[0].id == "c"
    with pytest.raises(ValueError, match="metadatas"):
        StackwiseVectorStore.from_texts(["a"], embeddings, metadatas=[])


def test_embeddings_adapter(fake_embedder) -> None:
    embeddings = EmbedderEmbeddings(fake_embedder)
    rows = embeddings.embed_documents(["a b", "c"])
    assert len(rows) == 2 and len(rows[0]) == 32
    assert embeddings.embed_query("a b") == pytest.approx(rows[0])
