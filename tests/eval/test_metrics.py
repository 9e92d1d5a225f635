import pytest

from eval.metrics import (
    bio_spans,
    hit_at_k,
    r_precision_at_k,
    ranking_scores,
    recall_at_k,
    reciprocal_rank,
    span_scores,
)


def test_r_precision_divides_by_the_smaller_of_k_and_gold() -> None:
    assert r_precision_at_k(["a", "x", "y", "z", "w"], {"a"}, 5) == 1.0
    assert r_precision_at_k(["a", "x", "b", "z", "w"], {"a", "b", "c"}, 5) == pytest.approx(2 / 3)
    gold = {f"g{i}" for i in range(7)}
    assert r_precision_at_k(["g0", "g1", "x", "g2", "g3"], gold, 5) == pytest.approx(4 / 5)
    with pytest.raises(ValueError):
        r_precision_at_k(["a"], set(), 5)


def test_reciprocal_rank_and_recall() -> None:
    assert reciprocal_rank(["x", "y", "a"], {"a"}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], {"a"}) == 0.0
    assert recall_at_k(["a", "x", "b"], {"a", "b", "c", "d"}, 2) == 0.25
    assert hit_at_k(["x", "a"], {"a"}, 1) == 0.0
    assert hit_at_k(["x", "a"], {"a"}, 2) == 1.0


def test_ranking_scores_average_in_percent() -> None:
    scores = ranking_scores([(["a", "b"], {"a"}), (["b", "a"], {"a"})])
    assert scores.n == 2
    assert scores.mrr == pytest.approx(75.0)
    assert scores.accuracy_at_1 == pytest.approx(50.0)
    assert scores.as_dict()["RP@5"] == 100.0


def test_bio_spans_like_conlleval() -> None:
    assert bio_spans(["O", "B-Skill", "I-Skill", "O", "B-Skill", "B-Skill", "I-Skill"]) == [
        (0, 1, 3),
        (0, 4, 5),
        (0, 5, 7),
    ]
    assert bio_spans(["I-Skill", "I-Skill", "O"], sentence=3) == [(3, 0, 2)]
    assert bio_spans(["O", "O"]) == []


def test_span_scores_are_strict() -> None:
    scores = span_scores({(0, 1, 3), (0, 4, 5)}, {(0, 1, 3), (0, 4, 6)})
    assert (scores.precision, scores.recall, scores.f1) == (50.0, 50.0, 50.0)
    assert span_scores(set(), {(0, 1, 2)}).f1 == 0.0
