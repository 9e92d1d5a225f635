"""The ``VectorIndex`` contract: best hit per key, ``kinds`` and metadata filters that never leak and still
fill ``k``, batched searches equal single ones. A subclass provides ``make(documents, embedder)``."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
import pytest

from assistant.adapters.search.documents import PartDocuments, build_documents
from assistant.core.catalog import Catalog
from assistant.core.ports import CredentialFilter, Hit, VectorIndex
from assistant.core.taxonomy import Taxonomy
from tests.fakes import FakeEmbedder


class VectorIndexContract(ABC):
    @abstractmethod
    def make(self, documents: PartDocuments, embedder: FakeEmbedder) -> VectorIndex: ...

    def test_it_is_a_vector_index(self, small_catalog: Catalog, fake_embedder: FakeEmbedder) -> None:
        index = self.make(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
        assert isinstance(index, VectorIndex)
        assert len(index) == len(small_catalog)
        assert index.dimension == fake_embedder.dimension

    def test_best_hit_per_key_is_the_max_over_its_labels(
        self, small_taxonomy: Taxonomy, fake_embedder: FakeEmbedder
    ) -> None:
        index = self.make(build_documents(["skills"], taxonomy=small_taxonomy)["skills"], fake_embedder)
        hits = index.search(fake_embedder.embed(["structured query language"]), k=3)[0]
        assert hits[0] == Hit(
            "skill",
            "http://data.europa.eu/esco/skill/sql",
            "structured query language",
            pytest.approx(1.0, abs=1e-5),
            "alt-label",
        )
        assert len({hit.key for hit in hits}) == len(hits) == 3, "one hit per key"
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)

    def test_a_text_shared_by_keys_finds_every_one(self, small_taxonomy: Taxonomy, fake_embedder: FakeEmbedder) -> None:
        index = self.make(build_documents(["occupations"], taxonomy=small_taxonomy)["occupations"], fake_embedder)
        hits = index.search(fake_embedder.embed(["Quantitative Analyst"]), k=5)[0]
        # the O*NET alternate title maps to both ESCO occupations of the code and to the code itself
        assert {(h.kind, h.key) for h in hits if h.score > 0.99} == {
            ("occupation", "http://data.europa.eu/esco/occupation/da"),
            ("occupation", "http://data.europa.eu/esco/occupation/ds"),
            ("onet-occupation", "15-2051.00"),
        }

    def test_kinds_restrict_hits(self, small_taxonomy: Taxonomy, fake_embedder: FakeEmbedder) -> None:
        index = self.make(build_documents(["occupations"], taxonomy=small_taxonomy)["occupations"], fake_embedder)
        hits = index.search(fake_embedder.embed(["truck driver"]), k=10, kinds={"onet-occupation"})[0]
        assert {h.kind for h in hits} == {"onet-occupation"}
        assert len(hits) == 2, "every key of that kind comes back when k allows"
        assert hits[0].key == "53-3032.00"

    def test_filters_fill_k_and_never_leak(self, small_catalog: Catalog, fake_embedder: FakeEmbedder) -> None:
        index = self.make(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
        query = fake_embedder.embed(["advanced welding"])
        online = CredentialFilter(delivery_modes=frozenset({"online"}))
        passing = {c.id for c in small_catalog if c.delivery_mode.value == "online"}
        hits = index.search(query, k=4, filter=online)[0]
        assert len(hits) == 4, "k results although the best matches (welding, onsite) are filtered out"
        assert {h.key for h in hits} <= passing
        assert {h.key for h in index.search(query, k=50, filter=online)[0]} == passing
        selective = CredentialFilter(languages=frozenset({"de"}), max_cost=1000)
        assert [h.key for h in index.search(query, k=5, filter=selective)[0]] == ["NURSE-2"]
        combined = CredentialFilter(
            max_eqf_level=4, max_duration_weeks=6, max_cost=400, fields=frozenset({"Data", "Trades"})
        )
        expected = {
            c.id
            for c in small_catalog
            if c.eqf_level <= 4 and c.duration_weeks <= 6 and c.cost.amount <= 400 and c.field in {"Data", "Trades"}
        }
        assert {h.key for h in index.search(query, k=10, filter=combined)[0]} == expected
        assert index.search(query, k=3, filter=CredentialFilter(languages=frozenset({"xx"})))[0] == []

    def test_batched_search_equals_single_searches(self, small_catalog: Catalog, fake_embedder: FakeEmbedder) -> None:
        index = self.make(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
        vectors = fake_embedder.embed(["sql", "python data", "patient care", "welding", "excel spreadsheets"])
        cheap = CredentialFilter(max_cost=700)
        batched = index.search(vectors, k=3, filter=cheap)
        assert batched == [index.search(vectors[i : i + 1], k=3, filter=cheap)[0] for i in range(5)]

    def test_k_zero_and_k_past_the_keys(self, small_catalog: Catalog, fake_embedder: FakeEmbedder) -> None:
        index = self.make(build_documents(["credentials"], catalog=small_catalog)["credentials"], fake_embedder)
        query = fake_embedder.embed(["sql"])
        assert index.search(query, k=0) == [[]]
        assert len(index.search(query, k=99)[0]) == len(small_catalog)
        assert index.search(np.zeros((0, fake_embedder.dimension), dtype=np.float32), k=3) == []
