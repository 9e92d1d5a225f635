"""The re-ranker re-orders the first pass's best candidates by its features, and its file round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.core.linking.rerank import FEATURES, Candidate, SkillReranker, rerank_features
from assistant.core.models import Skill

ESCO = "http://data.europa.eu/esco/skill/"
SKILLS = {
    "a": Skill(uri=ESCO + "a", preferred_label="manage a budget"),
    "b": Skill(uri=ESCO + "b", preferred_label="perform data analysis", alt_labels=("analyse data",)),
    "c": Skill(uri=ESCO + "c", preferred_label="SQL"),
}
TEXT = "I analysed sales data every week"
FIRST_PASS = [
    Candidate("a", 1.2, 0.8, 0.8, False),
    Candidate("b", 1.1, 0.7, 0.8, False),
    Candidate("c", 0.9, 0.6, 0.6, False),
]


def test_features_read_the_label_words_the_sentence_holds() -> None:
    x = rerank_features(TEXT, FIRST_PASS, SKILLS, occupations=lambda uri: {"b": 50}.get(uri, 0))
    assert x.shape == (3, len(FEATURES))
    column = {name: x[:, i] for i, name in enumerate(FEATURES)}
    assert column["label_overlap"][1] > 0 and column["label_overlap"][0] == 0
    assert column["alt_overlap"][1] == 1.0, "'analyse data' is all in the sentence"
    assert column["behind_top"][0] == 0 and column["behind_top"][2] < 0
    assert column["occupations"][1] > column["occupations"][0]


def test_the_model_reorders_only_the_top_depth() -> None:
    trusting_words = SkillReranker(weights={"label_overlap": 5.0, "score": 1.0}, depth=2)
    order = trusting_words.order(TEXT, FIRST_PASS, SKILLS)
    assert [c.uri for c in order] == ["b", "a", "c"], "the label's words win inside the top 2; the rest stays"
    assert [c.uri for c in SkillReranker(weights={"score": 1.0}).order(TEXT, FIRST_PASS, SKILLS)] == ["a", "b", "c"]


def test_the_model_file_round_trips_and_refuses_unknown_features(tmp_path: Path) -> None:
    model = SkillReranker(weights={"score": 1.5, "exact": 0.5}, bias=-1.0, depth=20, info={"c": 0.1})
    path = tmp_path / "rerank.json"
    model.save(path)
    assert SkillReranker.load(path) == model
    path.write_text(json.dumps({"weights": {"no_such_feature": 1.0}, "bias": 0.0}))
    with pytest.raises(ValueError, match="retrain"):
        SkillReranker.load(path)


def test_the_shipped_model_loads_and_names_its_training_set() -> None:
    shipped = Path(__file__).resolve().parents[3] / "index" / "data" / "models" / "skill_rerank.json"
    model = SkillReranker.load(shipped)
    assert set(model.weights) == set(FEATURES)
    assert model.info["trained_on"] == "eval/decorte/house_validation_annotations.csv"
