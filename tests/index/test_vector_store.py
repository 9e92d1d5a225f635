"""FaissStore: best hit per key, filters that never leak and still fill k, flat or HNSW by size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.core.catalog import Catalog
from assistant.core.ports import CREDENTIAL, CredentialFilter, Hit
from assistant.core.taxonomy import Taxonomy
from index.documents import Entry, PartDocuments, build_documents, iter_texts
from index.errors import IndexCorruptError
from index.vector_store import ENTRIES_FILE, INDEX_FILE, FaissStore, choose_index_type


def store_for(documents: PartDocuments, embedder, threshold: int = 50_000) -> FaissStore:
    texts = list(iter_texts(documents))
    return FaissStore.build(documents, texts, embedder.embed(texts), hnsw_threshold=threshold)


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


def test_best_hit_per_key_is_the_max_over_its_labels(small_taxonomy: Taxonomy, fake_embedder) -> None:
    docs = build_documents(["skills"], taxonomy=small_taxonomy)["skills"]
    store = store_for(docs, fake_embedder)
    hits = store.search(fake_embedder.embed(["structured query language"]), k=3)[0]
    assert hits[0] == Hit(
        "skill",
        "http://data.europa.eu/esco/skill/sql",
        "structured query language",
        pytest.approx(1.0, abs=1e-5),
        "alt-label",
    )
    assert len({hit.key for hit in hits}) == len(hits) == 3, "one hit per key"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


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


def test_kinds_restrict_hits(small_taxonomy: Taxonomy, fake_embedder) -> None:
    docs = build_documents(["occupations"], taxonomy=small_taxonomy)["occupations"]
    store = store_for(docs, fake_embedder)
    hits = store.search(fake_embedder.embed(["truck driver"]), k=10, kinds={"onet-occupation"})[0]
    assert {h.kind for h in hits} == {"onet-occupation"}
    assert len(hits) == 2, "every key of that kind comes back when k allows"
    assert hits[0].key == "53-3032.00"


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


@pytest.mark.parametrize("threshold", [50_000, 5], ids=["flat", "hnsw"])
def test_filters_fill_k_and_never_leak(small_catalog: Catalog, fake_embedder, threshold: int) -> None:
    docs = build_documents(["credentials"], catalog=small_catalog)["credentials"]
    store = store_for(docs, fake_embedder, threshold)
    query = fake_embedder.embed(["advanced welding"])
    online = CredentialFilter(delivery_modes=frozenset({"online"}))
    passing = {c.id for c in small_catalog if c.delivery_mode.value == "online"}
    hits = store.search(query, k=4, filter=online)[0]
    assert len(hits) == 4, "k results although the best matches (welding, onsite) are filtered out"
    assert {h.key for h in hits} <= passing
    all_online = store.search(query, k=50, filter=online)[0]
    assert {h.key for h in all_online} == passing, "every passing key, and nothing else"

    selective = CredentialFilter(languages=frozenset({"de"}), max_cost=1000)
    hits = store.search(query, k=5, filter=selective)[0]
    assert [h.key for h in hits] == ["NURSE-2"]

    combined = CredentialFilter(
        max_eqf_level=4, max_duration_weeks=6, max_cost=400, fields=frozenset({"Data", "Trades"})
    )
    expected = {
        c.id
        for c in small_catalog
        if c.eqf_level <= 4 and c.duration_weeks <= 6 and c.cost.amount <= 400 and c.field in {"Data", "Trades"}
    }
    hits = store.search(query, k=10, filter=combined)[0]
    assert {h.key for h in hits} == expected
    assert store.search(query, k=3, filter=CredentialFilter(languages=frozenset({"xx"})))[0] == []


def test_batched_search_equals_single_searches(small_catalog: Catalog, fake_embedder) -> None:
    docs = build_documents(["credentials"], catalog=small_catalog)["credentials"]
    store = store_for(docs, fake_embedder)
    queries = ["sql", "python data", "patient care", "welding", "excel spreadsheets"]
    vectors = fake_embedder.embed(queries)
    batched = store.search(vectors, k=3, filter=CredentialFilter(max_cost=700))
    single = [store.search(vectors[i : i + 1], k=3, filter=CredentialFilter(max_cost=700))[0] for i in range(5)]
    assert batched == single


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
