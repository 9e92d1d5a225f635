"""Held-out goal lists: one ESCO label per line, comments and blank lines ignored."""

from __future__ import annotations

from pathlib import Path

from eval.relevance_pool import read_goals

HERE = Path(__file__).resolve().parents[2] / "eval"


def test_read_goals_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "goals.txt"
    path.write_text("# chosen before looking\nstatistician\n\n  journalist  # a comment\n", encoding="utf-8")
    assert read_goals(path) == ["statistician", "journalist"]


def test_every_held_out_goal_has_a_grade_from_both_judges() -> None:
    """The held-out sets are usable only when both judges graded every goal on the list."""
    import json

    for goals, judges in (
        (HERE / "relevance_edx" / "heldout_goals.txt", ("heldout_a.jsonl", "heldout_b.jsonl")),
        (HERE / "relevance" / "heldout2_goals.txt", ("heldout2_a.jsonl", "heldout2_b.jsonl")),
    ):
        wanted = read_goals(goals)
        for name in judges:
            rows = [json.loads(line) for line in (goals.parent / name).read_text(encoding="utf-8").splitlines()]
            assert [row["goal_label"] for row in rows] == wanted
            for row in rows:
                graded = [*row["made_for"], *row["relevant"], *row["not_relevant"]]
                assert len(graded) == len(set(graded))
