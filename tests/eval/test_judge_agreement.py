"""Judge agreement: the share of (course, goal) pairs two judges grade alike (good vs not), and kappa."""

from __future__ import annotations

from eval.route_relevance import agreement


def _goal(good: list[str], bad: list[str]) -> dict[str, object]:
    return {"made_for": good[:1], "relevant": good[1:], "not_relevant": bad}


def test_agreement_counts_pairs_and_corrects_for_chance() -> None:
    first = {"chef": _goal(["a", "b"], ["c", "d"])}
    assert agreement(first, {"chef": _goal(["a", "b"], ["c", "d"])}).endswith(
        "agrees on 100.0% of 4 (course, goal) pairs (good vs not relevant), kappa 1.00"
    )
    # one pair graded the other way: 3 of 4 agree; chance agreement 0.5 x 0.75 + 0.5 x 0.25 = 0.5, so kappa 0.5
    one = agreement(first, {"chef": _goal(["a", "b", "c"], ["d"])})
    assert "agrees on 75.0% of 4" in one and one.endswith("kappa 0.50")
    # two swapped: no better than chance
    assert agreement(first, {"chef": _goal(["a", "c"], ["b", "d"])}).endswith(
        "agrees on 50.0% of 4 (course, goal) pairs (good vs not relevant), kappa 0.00"
    )
    assert agreement(first, {"other": _goal([], [])}) == "second judge: no shared pairs"
