"""Skill linking on a tiny taxonomy with deterministic fakes; real-model checks live in test_real_linking."""

import numpy as np
import pytest

from assistant.core.linking import (
    LinkerConfig,
    QueryAdapter,
    SkillLexicon,
    SkillLinker,
    looks_like_a_list,
    split_phrases,
)
from assistant.core.models import Skill
from tests.fakes import BruteForceIndex, FakeEmbedder

S = "http://data.europa.eu/esco/skill/"
SKILLS = {
    S + "py": Skill(uri=S + "py", preferred_label="Python (computer programming)", alt_labels=("Python",)),
    S + "sql": Skill(uri=S + "sql", preferred_label="SQL"),
    S + "viz": Skill(uri=S + "viz", preferred_label="create data visualisations", alt_labels=("build dashboards",)),
    S + "care": Skill(uri=S + "care", preferred_label="provide patient care"),
    S + "press": Skill(uri=S + "press", preferred_label="operate printing press", alt_labels=("press",)),
    S + "ml": Skill(uri=S + "ml", preferred_label="machine learning", alt_labels=("ML",)),
    S + "mllang": Skill(uri=S + "mllang", preferred_label="ML (computer programming)", alt_labels=("ML",)),
}


def _linker(**config: float) -> SkillLinker:
    embedder = FakeEmbedder()
    entries = [
        ("skill", skill.uri, label, "preferred-label" if label == skill.preferred_label else "alt-label")
        for skill in SKILLS.values()
        for label in skill.labels
    ]
    return SkillLinker(SKILLS, embedder, BruteForceIndex(embedder, entries), config=LinkerConfig(**config))


def test_phrases_keep_offsets() -> None:
    line = "Python, SQL and Tableau; built dashboards for sales (weekly)"
    phrases = split_phrases(line)
    assert [p.text for p in phrases] == ["Python", "SQL", "Tableau", "built dashboards for sales", "weekly"]
    assert all(line[p.start : p.end] == p.text for p in phrases)


def test_list_detection() -> None:
    assert looks_like_a_list("Python, SQL, Tableau, Excel")
    assert not looks_like_a_list("Built the weekly sales report, then automated it with Python and cron jobs")


def test_lexicon_guards_one_word_common_labels() -> None:
    lexicon = SkillLexicon(SKILLS.values())
    assert [m.skill_uri for m in lexicon.find("Wrote Python and SQL")] == [S + "py", S + "sql"]
    assert lexicon.find("pressed for time") == []
    assert lexicon.find("worked the press") == []  # a common word in running text is not a skill
    assert [m.skill_uri for m in lexicon.find("press, SQL", list_context=True)] == [S + "press", S + "sql"]


def test_exact_label_is_never_missed() -> None:
    mentions = _linker().mentions("Automated weekly reports with Python")
    python = [m for m in mentions if m.uri == S + "py"]
    assert python
    assert python[0].method == "exact-label"
    line = "Automated weekly reports with Python"
    assert line[python[0].start : python[0].end] == "Python"


def test_described_skill_found_semantically_with_span() -> None:
    line = "Led a team and built dashboards for the sales team"
    mentions = _linker(mention_threshold=0.25).mentions(line)
    viz = [m for m in mentions if m.uri == S + "viz"]
    assert viz and viz[0].method == "semantic"
    assert "dashboards" in line[viz[0].start : viz[0].end]


def test_rank_puts_the_named_skill_first() -> None:
    ranked = _linker().rank(["We need strong SQL for reporting", "Provide patient care on the ward"], k=3)
    assert ranked[0][0].uri == S + "sql"
    assert ranked[1][0].uri == S + "care"


def test_adapter_must_match_the_model() -> None:
    embedder = FakeEmbedder()
    adapter = QueryAdapter(np.eye(32), model_id="another-model")
    with pytest.raises(ValueError, match="trained for model"):
        SkillLinker(SKILLS, embedder, BruteForceIndex(embedder, []), adapter=adapter)


def test_identity_adapter_changes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    vectors = FakeEmbedder().embed(["a b", "c"])
    adapter = QueryAdapter(np.eye(32), model_id="fake-bow-32")
    assert np.allclose(adapter.apply(vectors), vectors, atol=1e-6)
    adapter.save(tmp_path / "a.npz")
    loaded = QueryAdapter.load(tmp_path / "a.npz")
    assert loaded.model_id == "fake-bow-32"
    assert np.allclose(loaded.apply(vectors), vectors, atol=1e-3)


def test_a_shared_label_goes_to_the_skill_the_line_means() -> None:
    linker = _linker()
    learning = [m.uri for m in linker.mentions("Trained ML models with machine learning pipelines")]
    assert S + "ml" in learning and S + "mllang" not in learning
    programming = [m.uri for m in linker.mentions("Wrote ML code for computer programming courses")]
    assert S + "mllang" in programming and S + "ml" not in programming
