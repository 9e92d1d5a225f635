"""The onboarding with the real model, a real FAISS index and the product's linker, on a small export with a
free-text skills column (made for this test). The index holds the skills of a few occupations, so this runs
in the default suite; the whole edX export is measured by ``python -m eval.onboarding_edx``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.core.linking import SkillLinker
from assistant.core.taxonomy import Taxonomy
from index.catalogs.onboard.pipeline import onboard

FIXTURE = Path(__file__).parents[1] / "fixtures" / "free_text_skills_export.csv"
OCCUPATIONS = ("data analyst", "software developer", "welder", "ICT help desk agent")


@pytest.fixture(scope="module")
def real_linker(taxonomy: Taxonomy) -> SkillLinker:
    from assistant.adapters.search.documents import iter_texts, skill_documents
    from assistant.adapters.search.embedding import SentenceTransformerEmbedder
    from assistant.adapters.search.faiss_store import FaissStore

    wanted = {o.uri for o in taxonomy.occupations.values() if o.preferred_label in OCCUPATIONS}
    uris = {r.skill_uri for r in taxonomy.relations if r.occupation_uri in wanted}
    uris |= {u for u, s in taxonomy.skills.items() if s.preferred_label in ("prepare tableware", "book reviews")}
    subset = Taxonomy(skills={u: taxonomy.skills[u] for u in uris}, occupations={}, relations=())
    documents = skill_documents(subset)
    texts = list(dict.fromkeys(iter_texts(documents)))
    embedder = SentenceTransformerEmbedder()
    return SkillLinker(subset.skills, embedder, FaissStore.build(documents, texts, embedder.embed(texts)))


def test_a_free_text_skills_column_becomes_reviewed_esco_skills(real_linker: SkillLinker, tmp_path: Path) -> None:
    out = tmp_path / "review"
    summary = onboard(FIXTURE, out, real_linker, is_language_skill=lambda uri: False)
    with (out / "review.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    skills = {(r["title"], r["skill_label"]): r for r in rows if r["kind"] == "skill"}
    accepted = {key for key, row in skills.items() if row["decision"] == "accept"}
    assert ("SQL for Data Analysis", "SQL") in accepted
    assert ("Python Programming Basics", "Python (computer programming)") in accepted
    labels = {label for _, label in skills}
    assert "prepare tableware" not in labels and "book reviews" not in labels  # "Tableau Software", "(36.9k reviews)"
    assert summary.rows_with_skills_cell >= 3 and summary.rows_with_suggested_skills >= 4
