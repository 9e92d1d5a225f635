"""The real stack, small: the real embedding model and FAISS indexes over a slice of the real data.

The indexes cover the skills of a dozen occupations plus every catalog skill, those occupations' titles
(ESCO and O*NET) and the whole demo catalog: embedded in about half a minute, so end-to-end tests of the
service run in the default suite; the full indexes are exercised by `make eval` and the slow suite.
"""

from __future__ import annotations

from pathlib import Path

from assistant.bootstrap import Stackwise
from assistant.core.ports import CREDENTIALS, OCCUPATIONS, SKILLS
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings

OCCUPATIONS_USED = (
    "data analyst",
    "web developer",
    "software developer",
    "advanced nurse practitioner",
    "specialist nurse",
    "healthcare assistant",
    "medical administrative assistant",
    "welder",
    "electrician",
    "bookkeeper",
    "database administrator",
    "statistical assistant",
)


def small_real_service(taxonomy: Taxonomy, state_dir: Path) -> Stackwise:
    from assistant.adapters.search.documents import (
        credential_documents,
        iter_texts,
        occupation_documents,
        skill_documents,
    )
    from assistant.adapters.search.embedding import SentenceTransformerEmbedder
    from assistant.adapters.search.faiss_store import FaissStore
    from assistant.adapters.search.indexes import BoundIndex, Indexes

    settings = Settings(state_dir=state_dir)
    base = Stackwise(settings, taxonomy=taxonomy)
    catalog = base.catalog
    wanted = {o.uri for o in taxonomy.occupations.values() if o.preferred_label in OCCUPATIONS_USED}
    skill_uris = {r.skill_uri for r in taxonomy.relations if r.occupation_uri in wanted}
    skill_uris |= {uri for credential in catalog for uri in credential.skill_uris}
    skill_uris &= set(taxonomy.skills)
    codes = {code for uri in wanted for code in taxonomy.occupations[uri].onet_codes}
    subset = Taxonomy(
        skills={u: taxonomy.skills[u] for u in skill_uris},
        occupations={u: taxonomy.occupations[u] for u in wanted},
        relations=(),
        onet_occupations={c: taxonomy.onet_occupations[c] for c in codes if c in taxonomy.onet_occupations},
    )
    embedder = SentenceTransformerEmbedder()
    parts = {}
    for part, documents in (
        (SKILLS, skill_documents(subset)),
        (OCCUPATIONS, occupation_documents(subset)),
        (CREDENTIALS, credential_documents(catalog, taxonomy)),
    ):
        texts = list(dict.fromkeys(iter_texts(documents)))
        parts[part] = BoundIndex(FaissStore.build(documents, texts, embedder.embed(texts)), embedder)
    indexes = Indexes(index_dir=state_dir / "index", embedder=embedder, parts=parts)
    return Stackwise(settings, taxonomy=taxonomy, catalog=catalog, embedder=embedder, indexes=indexes)
