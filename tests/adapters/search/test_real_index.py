"""The real model over the real taxonomy and demo catalog (slow: run with `pytest -m slow`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.adapters.search.config import EmbeddingConfig
from assistant.adapters.search.documents import build_documents
from assistant.adapters.search.embedding import make_embedder
from assistant.adapters.search.indexes import load_indexes
from assistant.core.ports import CREDENTIALS, OCCUPATIONS, PARTS, SKILLS, CredentialFilter
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings
from index.build import build_indexes
from index.catalogs import load_catalog

pytestmark = [pytest.mark.slow, pytest.mark.real_model]


@pytest.fixture(scope="module")
def demo_catalog(taxonomy: Taxonomy):
    return load_catalog(Settings().catalog_path, known_skill_uris=taxonomy.skills.keys())


def test_sampled_real_build_finds_what_a_person_would(tmp_path: Path, taxonomy: Taxonomy, demo_catalog) -> None:
    docs = build_documents(PARTS, taxonomy=taxonomy, catalog=demo_catalog)
    # keep the skills and occupations the queries below should find, plus a few thousand others
    wanted_skills = {uri for uri, s in taxonomy.skills.items() if s.preferred_label in {"SQL", "welding techniques"}}
    wanted_occupations = {u for u, o in taxonomy.occupations.items() if o.preferred_label == "software developer"}
    for part, wanted in ((SKILLS, wanted_skills), (OCCUPATIONS, wanted_occupations)):
        sample = docs[part].sample(2500)
        extra = tuple(e for e in docs[part].entries if e.key in wanted and e not in sample.entries)
        docs[part] = type(sample)(part, sample.entries + extra, docs[part].metadata)
    embedder = make_embedder(EmbeddingConfig(), cache_dir=tmp_path)
    build_indexes(tmp_path / "index", embedder=embedder, documents=docs, progress=False)
    indexes = load_indexes(tmp_path / "index", embedder=embedder, documents=docs)
    sql = indexes.skills.search_one("structured query language", 5)
    assert taxonomy.skills[sql[0].key].preferred_label == "SQL"
    occupation = indexes.occupations.search_one("software engineer", 5, kinds={"occupation"})
    assert any(taxonomy.occupations[h.key].preferred_label == "software developer" for h in occupation[:3])
    online = indexes.credentials.search_one("welding", 5, filter=CredentialFilter(delivery_modes={"online"}))
    assert online and all(demo_catalog.get(h.key).delivery_mode.value == "online" for h in online)


def test_full_build_over_the_real_data(tmp_path: Path, taxonomy: Taxonomy, demo_catalog) -> None:
    """The acceptance build: every part of the full ESCO + O*NET + demo catalog (minutes)."""
    embedder = make_embedder(EmbeddingConfig(), cache_dir=tmp_path)
    report = build_indexes(
        tmp_path / "index", embedder=embedder, taxonomy=taxonomy, catalog=demo_catalog, progress=False
    )
    assert report.parts[SKILLS].index_type == "hnsw"
    assert report.parts[CREDENTIALS].index_type == "flat"
    indexes = load_indexes(tmp_path / "index", embedder=embedder, taxonomy=taxonomy, catalog=demo_catalog)
    assert len(indexes.skills) == len(taxonomy.skills)
    hits = indexes.occupations.search_one("registered nurse", 3)
    assert hits and hits[0].score > 0.8
