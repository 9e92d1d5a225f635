"""Changes in words: every change to the goal, skills, tools, held credentials and limits is described, and
"undo" puts back what was there."""

from __future__ import annotations

from decimal import Decimal

from assistant.core.advice import OccupationTarget
from assistant.core.dialogue.changes import change_note, describe_changes, restore, undo_point
from assistant.core.dialogue.state import ConversationState
from assistant.core.models import Constraints, LearnerProfile


def _with(budget: str | None = None, hours: float | None = None, goal: str | None = None) -> ConversationState:
    constraints = Constraints(budget=Decimal(budget) if budget else None, hours_per_week=hours)
    return ConversationState(
        profile=LearnerProfile(constraints=constraints),
        target=OccupationTarget(title=goal) if goal else None,
    )


def test_limits_and_goal_changes_are_described_with_what_they_were() -> None:
    before, after = _with("1000", 6, "nurse"), _with("800", 8, "data analyst")
    assert describe_changes(before, after) == [
        "goal data analyst (was nurse)",
        "budget $800 (was $1,000)",
        "hours 8 h a week (was 6 h)",
    ]


def test_no_change_no_words() -> None:
    state = _with("1000", 6, "nurse")
    assert describe_changes(state, state.model_copy(update={"turns": 3, "focus": "LPC-DA-101"})) == []


def test_undo_restores_the_learner_s_own_values() -> None:
    before, after = _with("1000", goal="nurse"), _with("675", goal="nurse")
    changes = describe_changes(before, after)
    undone = restore(after.model_copy(update={"undo": undo_point(before, changes)}))
    assert undone.profile.constraints.budget == Decimal(1000) and undone.undo is None
    assert change_note(changes) == "_Changed: budget $675 (was $1,000). Say “undo” to change it back._"
