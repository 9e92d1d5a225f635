"""The link calibration: features of a link, a probability, the keep and offer thresholds, a JSON file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.linking.calibration import LinkCalibration, LinkContext, link_features
from assistant.core.linking.linker import SkillMention
from assistant.core.models import Skill

SQL = Skill(
    uri="http://data.europa.eu/esco/skill/sql", preferred_label="SQL", alt_labels=("structured query language",)
)


def _mention(text: str, method: str = "exact-label", confidence: float = 0.95, margin: float = 1.0) -> SkillMention:
    return SkillMention(SQL.uri, SQL.preferred_label, confidence, 0, len(text), text, method, margin)


def test_features_say_how_the_link_was_made() -> None:
    features = link_features(_mention("SQL"), SQL, "SQL, Python, Excel", "skills", LinkContext(support=0.5, topic=0.3))
    assert features["exact"] == 1 and features["acronym"] == 1 and features["one_word"] == 1
    assert features["list_line"] == 1 and features["section_skills"] == 1 and features["section_experience"] == 0
    assert features["label_overlap"] == 1 and features["support"] == 0.5 and features["topic"] == 0.3
    loose = link_features(
        _mention("queries for reports", "semantic", 0.6, 0.02), SQL, "Wrote queries for reports.", "experience"
    )
    assert loose["exact"] == 0 and loose["margin"] == 0.02 and loose["section_experience"] == 1
    assert loose["support"] == 0.0  # no context given


def test_without_a_fitted_model_the_linker_confidence_is_the_probability() -> None:
    calibration = LinkCalibration()
    assert not calibration.fitted
    assert calibration.probability({"confidence": 0.73}) == 0.73


def test_a_fitted_model_is_saved_and_loaded(tmp_path: Path) -> None:
    model = LinkCalibration(weights={"confidence": 4.0, "support": 2.0}, bias=-3.0, keep=0.8, offer=0.4)
    features = {"confidence": 0.95, "support": 0.5}
    probability = model.probability(features)
    assert 0.8 < probability < 0.9
    model.save(tmp_path / "c.json")
    loaded = LinkCalibration.load(tmp_path / "c.json")
    assert loaded.probability(features) == pytest.approx(probability)
    assert (loaded.keep, loaded.offer) == (0.8, 0.4)


def test_the_shipped_calibration_loads_and_keeps_above_its_offer_floor() -> None:
    path = Path(__file__).resolve().parents[3] / "index" / "data" / "models" / "link_calibration.json"
    calibration = LinkCalibration.load(path)
    assert calibration.fitted and 0 < calibration.offer < calibration.keep < 1
    assert calibration.info["oof_precision_kept"] >= 0.9
