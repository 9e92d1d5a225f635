"""FaissStore: the vector-index contract (flat and HNSW), one vector per distinct text, flat or HNSW by size,
saving and loading with checksums."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.adapters.search.documents import Entry, PartDocuments, build_documents, iter_texts
from assistant.adapters.search.errors import IndexCorruptError
from assistant.adapters.search.faiss_store import ENTRIES_FILE, INDEX_FILE, FaissStore, choose_index_type
from assistant.core.catalog import Catalog
from assistant.core.ports import CREDENTIAL
from assistant.core.taxonomy import Taxonomy
from tests.contracts.vector_index import VectorIndexContract
from tests.fakes import FakeEmbedder


def store_for(documents: PartDocuments, embedder, threshold: int = 50_000) -> FaissStore:
    texts = list(iter_texts(documents))
    return FaissStore.build(documents, texts, embedder.embed(texts), hnsw_threshold=threshold)


class TestFlatStoreContract(VectorIndexContract):
    def make(self, documents: PartDocuments, embedder: FakeEmbedder) -> FaissStore:
        return store_for(documents, embedder)


class TestHnswStoreContract(VectorIndexContract):
    """Under HNSW the contract still holds: filtered and small searches fall back to an exact scan."""

    def make(self, documents: PartDocuments, embedder: FakeEmbedder) -> FaissStore:
        store = store_for(documents, embedder, threshold=5)
        assert store.index_type == "hnsw"
        return store


def random_documents(n_keys: int, labels_per_key: int = 3, seed: int = 0) -> tuple[PartDocuments, np.ndarray]:
    """Keys with random unit vectors per label (the label text is just its index)."""
    rng = np.random.default_rng(seed)
    entries = tuple(
        Entry(f"k{key}-l{label}", "thing", f"k{key}", "label")
        for key in range(n_keys)
        for label in range(labels_per_key)
    )
    vectors = rng.standard_normal((len(entries), 24)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return PartDocuments("things", entries, {("thing", f"k{i}"): {"n": i} for i in range(n_keys)}), vectors


def test_repeated_text_is_stored_once_and_maps_to_every_key(small_taxonomy: Taxonomy, fake_embedder) -> None:
    docs = build_documents(["occupations"], taxonomy=small_taxonomy)["occupations"]
    store = store_for(docs, fake_embedder)
    assert store.ntotal == len(set(iter_texts(docs))) < len(docs.entries)
    hits = store.search(fake_embedder.embed(["Quantitative Analyst"]), k=5)[0]
    top = {(h.kind, h.key) for h in hits if h.score > 0.99}
    # the O*NET alternate title maps to both ESCO occupations of the code and to the code itself
    assert top == {
        ("occupation", "http://data.europa.eu/esco/occupation/da"),
        ("occupation", "http://data.europa.eu/esco/occupation/ds"),
        ("onet-occupation", "15-2051.00"),
    }


def test_index_type_by_size() -> None:
    assert choose_index_type(10, 100) == "flat"
    assert choose_index_type(100, 100) == "flat"
    assert choose_index_type(101, 100) == "hnsw"
    docs, vectors = random_documents(50)
    texts = [e.text for e in docs.entries]
    assert FaissStore.build(docs, texts, vectors, hnsw_threshold=1000).index_type == "flat"
    assert FaissStore.build(docs, texts, vectors, hnsw_threshold=100).index_type == "hnsw"


def test_hnsw_agrees_with_exact_search() -> None:
    docs, vectors = random_documents(1500, labels_per_key=2, seed=1)
    texts = [e.text for e in docs.entries]
    store = FaissStore.build(docs, texts, vectors, hnsw_threshold=100)
    assert store.index_type == "hnsw"
    queries = vectors[::97] + 0.05
    approx = store.search(queries, k=10)
    exact = store.search(queries, k=10, exact=True)
    recall = np.mean([len({h.key for h in a} & {h.key for h in e}) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.9
    assert all(len(hits) == 10 for hits in approx)


@pytest.mark.parametrize("threshold", [50_000, 5])
def test_the_vectors_of_one_kind_are_read_back_in_key_order(threshold: int) -> None:
    """The relevance gate reads the occupations' profile vectors back from the index (flat or HNSW)."""
    docs, vectors = random_documents(8, labels_per_key=1, seed=3)
    entries = tuple(Entry(e.text, "profile" if i % 2 else "thing", e.key, e.source) for i, e in enumerate(docs.entries))
    store = FaissStore.build(
        PartDocuments("things", entries), [e.text for e in entries], vectors, hnsw_threshold=threshold
    )
    keys, matrix = store.vectors_of("profile")
    assert keys == ["k1", "k3", "k5", "k7"]
    assert np.allclose(matrix, vectors[1::2], atol=1e-6)
    assert store.vectors_of("nothing")[1].shape == (0, 24)


def test_metadata_and_texts_of_a_key(small_catalog: Catalog, fake_embedder) -> None:
    store = store_for(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
    assert store.metadata("SQL-1")["delivery_mode"] == "online"
    assert store.metadata("SQL-1", CREDENTIAL)["cost"] == "300"
    assert ("SQL for data analysis", "title") in store.texts_of("SQL-1")
    with pytest.raises(KeyError, match="no key 'nope'"):
        store.metadata("nope")


def test_edge_cases(fake_embedder) -> None:
    docs, vectors = random_documents(3)
    store = FaissStore.build(docs, [e.text for e in docs.entries], vectors)
    assert store.search(vectors[:1], k=0) == [[]]
    assert len(store.search(vectors[:1], k=99)[0]) == 3
    with pytest.raises(ValueError, match="dimension"):
        store.search(np.zeros((1, 5), dtype=np.float32))
    empty = FaissStore.build(PartDocuments("none", ()), [], np.zeros((0, 8), dtype=np.float32))
    assert empty.search(np.ones((2, 8), dtype=np.float32), k=3) == [[], []]


def test_save_and_load_round_trip(tmp_path: Path, small_catalog: Catalog, fake_embedder) -> None:
    store = store_for(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
    files = store.save(tmp_path / "part")
    loaded = FaissStore.load(tmp_path / "part", "credentials", files=files, dimension=fake_embedder.dimension)
    query = fake_embedder.embed(["python"])
    assert loaded.search(query, k=5) == store.search(query, k=5)
    assert loaded.counts() == store.counts()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncate-index", "does not match|has .* bytes"),
        ("flip-index", "does not match the checksum"),
        ("garbage-entries", "does not match|has .* bytes"),
        ("delete-entries", "cannot read"),
    ],
)
def test_damaged_files_raise_corrupt(
    tmp_path: Path, small_catalog: Catalog, fake_embedder, damage: str, message: str
) -> None:
    store = store_for(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
    part = tmp_path / "part"
    files = store.save(part)
    index_file, entries_file = part / INDEX_FILE, part / ENTRIES_FILE
    if damage == "truncate-index":
        index_file.write_bytes(index_file.read_bytes()[:100])
    elif damage == "flip-index":
        data = bytearray(index_file.read_bytes())
        data[len(data) // 2] ^= 0xFF
        index_file.write_bytes(bytes(data))
    elif damage == "garbage-entries":
        entries_file.write_text("{not json")
    else:
        entries_file.unlink()
    with pytest.raises(IndexCorruptError, match=message) as caught:
        FaissStore.load(part, "credentials", files=files)
    assert caught.value.parts == ("credentials",)
    assert "stackwise index build --catalog-only" in str(caught.value)


def test_unreadable_files_without_checksums_still_raise_corrupt(
    tmp_path: Path, small_catalog: Catalog, fake_embedder
) -> None:
    store = store_for(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
    part = tmp_path / "part"
    store.save(part)
    (part / INDEX_FILE).write_bytes(b"FAISS? no")
    with pytest.raises(IndexCorruptError, match="not a readable FAISS index"):
        FaissStore.load(part, "credentials")
    store.save(part)
    (part / ENTRIES_FILE).write_text('{"format": "stackwise-index-entries/1", "texts": []}')
    with pytest.raises(IndexCorruptError, match="unreadable or inconsistent"):
        FaissStore.load(part, "credentials")
