"""The hand-judged relevance set is well formed, and padding is counted the way its rule says."""

from __future__ import annotations

from pathlib import Path

import yaml

from eval.route_relevance import JUDGMENTS, Judgment, load_judgments

DEMO = Path(__file__).resolve().parents[2] / "index" / "data" / "catalogs" / "demo" / "catalog.yaml"


def test_judgments_name_real_credentials_and_keep_a_held_out_part() -> None:
    judgments = load_judgments(JUDGMENTS)
    ids = {c["id"] for c in yaml.safe_load(DEMO.read_text(encoding="utf-8"))["credentials"]}
    assert len(judgments) == 45 and len({j.goal_uri for j in judgments}) == 45
    assert {j.split for j in judgments} == {"dev", "heldout"}
    assert sum(j.split == "heldout" for j in judgments) == 15
    for judgment in judgments:
        assert judgment.made_for <= ids and judgment.relevant <= ids, judgment.goal_label
        assert not judgment.made_for & judgment.relevant


def test_good_means_made_for_or_relevant() -> None:
    judgment = Judgment("uri", "welder", "dev", frozenset({"A"}), frozenset({"B"}))
    assert judgment.good("A") and judgment.good("B") and not judgment.good("C")
