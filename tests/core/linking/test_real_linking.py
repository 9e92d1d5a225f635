"""Linking real résumé lines with the real model, a real FAISS index and the shipped adapter.

The index covers the skills of a few real occupations (about two thousand labels, embedded in
seconds) rather than all of ESCO, so this runs in the default suite; the full-index figures come
from ``stackwise eval skills``.
"""

import pytest

from assistant.core.linking import QueryAdapter, SkillLinker
from assistant.core.taxonomy import Taxonomy
from assistant.settings import Settings

OCCUPATIONS = ("data analyst", "nurse assistant", "welder", "software developer", "bookkeeper")


@pytest.fixture(scope="module")
def real_linker(taxonomy: Taxonomy) -> SkillLinker:
    from assistant.adapters.search.documents import iter_texts, skill_documents
    from assistant.adapters.search.embedding import SentenceTransformerEmbedder
    from assistant.adapters.search.faiss_store import FaissStore

    wanted = {o.uri for o in taxonomy.occupations.values() if o.preferred_label in OCCUPATIONS}
    skill_uris = {r.skill_uri for r in taxonomy.relations if r.occupation_uri in wanted}
    subset = Taxonomy(skills={u: taxonomy.skills[u] for u in skill_uris}, occupations={}, relations=())
    documents = skill_documents(subset)
    texts = list(dict.fromkeys(iter_texts(documents)))
    embedder = SentenceTransformerEmbedder()
    store = FaissStore.build(documents, texts, embedder.embed(texts))
    path = Settings().skill_adapter_path
    adapter = QueryAdapter.load(path) if path is not None and path.is_file() else None
    return SkillLinker(subset.skills, embedder, store, adapter=adapter)


def _labels(real_linker: SkillLinker, line: str) -> dict[str, str]:
    return {m.label: line[m.start : m.end] for m in real_linker.mentions(line)}


def test_listed_tools_link_exactly(real_linker: SkillLinker) -> None:
    found = _labels(real_linker, "Python, SQL, statistics, data mining")
    assert found["Python (computer programming)"] == "Python"
    assert found["SQL"] == "SQL"
    assert found["statistics"] == "statistics"
    assert found["data mining"] == "data mining"


@pytest.mark.parametrize(
    ("line", "label", "evidence"),
    [
        (
            "Took vital signs and assisted patients with bathing, dressing and feeding",
            "monitor basic patients signs",
            "Took vital signs",
        ),
        (
            "Reconciled bank statements and prepared monthly financial reports",
            "prepare financial statements",
            "prepared monthly financial reports",
        ),
        (
            "MIG and TIG welding of structural steel; read blueprints and welding symbols",
            "read standard blueprints",
            "read blueprints",
        ),
        (
            "Cleaned and validated customer data from three source systems",
            "perform data cleansing",
            "Cleaned and validated customer data from three source systems",
        ),
        ("Developed REST APIs in Java and wrote unit tests", "Java (computer programming)", "Java"),
    ],
)
def test_described_skills_link_with_their_evidence(
    real_linker: SkillLinker, line: str, label: str, evidence: str
) -> None:
    assert _labels(real_linker, line).get(label) == evidence


def test_ranking_a_posting_sentence(real_linker: SkillLinker) -> None:
    ranked = real_linker.rank(["You will reconcile accounts and prepare the monthly financial statements"], k=3)[0]
    assert "prepare financial statements" in [r.label for r in ranked]


def test_profile_from_a_real_resume_cites_lines_and_years(real_linker: SkillLinker) -> None:
    from datetime import date
    from pathlib import Path

    from assistant.core.profile import profile_from_resume
    from assistant.core.resume import structure

    text = (Path(__file__).parents[2] / "fixtures" / "resumes" / "welder.txt").read_text()
    document = structure(text)
    profile = profile_from_resume(document, real_linker, today=date(2026, 11, 23))
    by_label = {skill.label: skill for skill in profile.skills}
    blueprints = by_label["read standard blueprints"]
    evidence = blueprints.evidence[0]
    assert evidence.line_no is not None and evidence.span is not None
    assert "blueprint" in evidence.text[evidence.span.start : evidence.span.end].lower()
    assert document.line(evidence.line_no).text == evidence.text
    dated = [skill for skill in profile.skills if skill.years is not None]
    assert dated, "skills mentioned under dated roles carry years of use"
    assert all(skill.last_used is not None and skill.last_used <= date(2026, 11, 23) for skill in dated)
    assert not any(e.section == "contact" for skill in profile.skills for e in skill.evidence)
