"""The deterministic fakes pass the contracts of the adapters they stand for."""

from __future__ import annotations

from assistant.adapters.search.documents import PartDocuments
from tests.contracts.vector_index import VectorIndexContract
from tests.fakes import BruteForceIndex, FakeEmbedder


class TestBruteForceIndexContract(VectorIndexContract):
    def make(self, documents: PartDocuments, embedder: FakeEmbedder) -> BruteForceIndex:
        return BruteForceIndex.from_documents(embedder, documents)


def test_the_fake_embedder_is_deterministic_and_normalised() -> None:
    first, second = FakeEmbedder(), FakeEmbedder()
    texts = ["SQL and Python", "welding", "SQL"]
    assert (first.embed(texts) == second.embed(texts)).all()
    vectors = first.embed(texts)
    assert abs(float((vectors**2).sum(axis=1).max()) - 1.0) < 1e-5
    assert float(vectors[0] @ vectors[2]) > float(vectors[0] @ vectors[1]), "shared words are near"
