"""What goes into each part, on the hand-made taxonomy and on the real one."""

from __future__ import annotations

from assistant.adapters.search.documents import (
    build_documents,
    credential_documents,
    occupation_documents,
    skill_documents,
)
from assistant.core.catalog import Catalog
from assistant.core.models import Money
from assistant.core.ports import CREDENTIAL, OCCUPATION, OCCUPATION_PROFILE, ONET_OCCUPATION, SKILL
from assistant.core.taxonomy import Taxonomy

OCC = "http://data.europa.eu/esco/occupation/"


def test_skill_labels_deduped_per_key(small_taxonomy: Taxonomy) -> None:
    docs = skill_documents(small_taxonomy)
    sql = [(e.text, e.source) for e in docs.entries if e.key.endswith("/sql")]
    assert sql == [("SQL", "preferred-label"), ("structured query language", "alt-label")]
    assert docs.counts() == {"entries": 20, "texts": 20, "keys": 8, SKILL: 8}
    assert docs.metadata[(SKILL, "http://data.europa.eu/esco/skill/sql")]["label"] == "SQL"


def test_occupations_take_mapped_onet_titles_and_onet_codes_their_own(small_taxonomy: Taxonomy) -> None:
    docs = occupation_documents(small_taxonomy)
    analyst = [(e.text, e.source) for e in docs.entries if e.key == OCC + "da"]
    assert ("Data Scientists", "onet-title") in analyst
    assert ("Quantitative Analyst", "onet-alt") in analyst
    assert ("Data Scientist", "onet-reported") in analyst
    assert ("business data analyst", "esco-alt") in analyst
    truck = [(e.text, e.kind) for e in docs.entries if e.key == "53-3032.00"]
    assert truck == [("Heavy and Tractor-Trailer Truck Drivers", ONET_OCCUPATION), ("Truck Driver", ONET_OCCUPATION)]
    assert not [e for e in docs.entries if e.key == OCC + "welder" and e.source.startswith("onet")]


def test_each_occupation_has_one_profile_text_searches_leave_out(small_taxonomy: Taxonomy, fake_embedder) -> None:
    """The label and description as one text, under a kind of its own so a title search never lands on it."""
    from assistant.adapters.search.documents import iter_texts
    from assistant.adapters.search.faiss_store import FaissStore

    docs = occupation_documents(small_taxonomy)
    profiles = {e.key: e.text for e in docs.entries if e.kind == OCCUPATION_PROFILE}
    assert set(profiles) == set(small_taxonomy.occupations)
    assert profiles[OCC + "da"].startswith(small_taxonomy.occupations[OCC + "da"].preferred_label)
    texts = list(iter_texts(docs))
    store = FaissStore.build(docs, texts, fake_embedder.embed(texts))
    hits = store.search(fake_embedder.embed([profiles[OCC + "da"]]), k=50, kinds=(OCCUPATION, ONET_OCCUPATION))[0]
    assert hits and all(h.kind != OCCUPATION_PROFILE for h in hits)


def test_credentials_title_outcomes_and_skill_labels(small_catalog: Catalog, small_taxonomy: Taxonomy) -> None:
    docs = credential_documents(small_catalog)
    sql = [(e.text, e.source) for e in docs.entries if e.key == "SQL-1"]
    assert sql == [
        ("SQL for data analysis", "title"),
        ("Apply sql for data analysis at work", "outcome"),
        ("Explain the basics of data", "outcome"),
        ("SQL skill", "skill"),
    ]
    # with the taxonomy, aligned skills are named by their ESCO preferred label
    with_taxonomy = credential_documents(small_catalog, small_taxonomy)
    assert with_taxonomy.metadata[(CREDENTIAL, "SQL-1")]["delivery_mode"] == "online"


def test_content_hash_is_stable_and_sensitive(small_catalog: Catalog) -> None:
    first = credential_documents(small_catalog).content_hash
    assert credential_documents(small_catalog).content_hash == first
    credentials = list(small_catalog)
    credentials[3] = credentials[3].model_copy(update={"cost": Money(amount=1)})
    changed = Catalog(small_catalog.institution, credentials)
    assert credential_documents(changed).content_hash != first, "metadata (cost) is part of the hash"


def test_real_taxonomy_documents(taxonomy: Taxonomy) -> None:
    docs = build_documents(["skills", "occupations"], taxonomy=taxonomy)
    skills, occupations = docs["skills"], docs["occupations"]
    assert len(skills.keys) == len(taxonomy.skills)
    assert skills.unique_texts > 90_000
    counts = occupations.counts()
    assert counts[OCCUPATION] == len(taxonomy.occupations)
    assert counts[ONET_OCCUPATION] == len(taxonomy.onet_occupations)
    assert all(entry.text == entry.text.strip() and entry.text for entry in skills.entries[:5000])
    assert skills.sample(1000).unique_texts >= 1000
    assert skills.sample(1000).unique_texts < 1100
