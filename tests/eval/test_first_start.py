"""The pure part of ``eval.first_start``: which launcher lines are milestones, and the verdict line."""

from __future__ import annotations

from eval.first_start import GOAL_S, Timeline


def test_milestones_are_the_first_of_each_launcher_line() -> None:
    timeline = Timeline()
    for at, line in enumerate(
        ["pip noise", "data ok: 13896 skills", "indexes ready (built: skills)", "API ready:  http://x", "data ok"]
    ):
        timeline.note(line, float(at))
    timeline.note("Open Stackwise: http://127.0.0.1:8501", 170.0)
    assert timeline.seen == {"data ok": 1.0, "indexes ready": 2.0, "API ready": 3.0, "Open Stackwise": 170.0}
    assert timeline.page_s == 170.0 and timeline.page_s <= GOAL_S


def test_the_verdict_says_met_or_missed() -> None:
    late = Timeline(seen={"Open Stackwise": 200.0}, advice_s=204.5, advice_detail="5 recommendations for data analyst")
    assert late.lines()[-1] == (
        "first start: page line after 200.0 s, first advice after 204.5 s; goal page <= 180 s: MISSED"
    )
    assert "first advice (5 recommendations for data analyst)" in late.lines()[-2]
    assert Timeline().lines()[-1].startswith("first start: page line after not reached, first advice after not reached")
