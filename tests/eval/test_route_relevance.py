"""The hand-judged relevance set is well formed, and padding is counted the way its rule says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from eval.route_relevance import JUDGMENTS, LATER, Judgment, load_judgments

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


def test_only_a_pooled_set_can_tell_a_credential_never_judged() -> None:
    pooled = Judgment("uri", "welder", "dev3", frozenset({"A"}), frozenset({"B"}), frozenset({"C"}))
    assert pooled.unjudged("D") and not any(pooled.unjudged(cid) for cid in "ABC")
    first = Judgment("uri", "welder", "dev", frozenset({"A"}), frozenset({"B"}))
    assert not first.unjudged("D")  # the first set listed only the good ones: the rest were judged not relevant


@pytest.mark.parametrize("path", [p for pair in LATER for p in pair if p is not None], ids=lambda p: p.name)
def test_every_later_set_grades_real_credentials_once_toward_new_goals(path: Path) -> None:
    """Pooled sets grade every credential once (made for, relevant or not), toward goals no other set has."""
    ids = {c["id"] for c in yaml.safe_load(DEMO.read_text(encoding="utf-8"))["credentials"]}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    first = {j.goal_uri for j in load_judgments(JUDGMENTS)}
    for row in rows:
        lists = [row["made_for"], row["relevant"], row["not_relevant"]]
        graded = [cid for grade in lists for cid in grade]
        assert len(graded) == len(set(graded)) and set(graded) <= ids, row["goal_label"]
        assert row["goal_uri"] not in first, row["goal_label"]
    others = {
        json.loads(line)["goal_uri"]
        for pair in LATER
        for other in pair
        if other is not None and other.exists() and other.name[:-7] != path.name[:-7]
        for line in other.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert not {row["goal_uri"] for row in rows} & others
