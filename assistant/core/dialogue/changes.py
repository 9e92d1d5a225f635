"""What a turn changed in what the learner told us, in words, so no reply changes anything silently.

The engine compares the state before and after every turn (whichever mode wrote the reply) and states
each change at the end of the reply, with the way back ("undo"). The learner's goal, résumé skills,
products, held credentials and limits are what count; the advice, the focus and the route objective are
views of them and change freely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.core.dialogue.state import ConversationState, UndoPoint
from assistant.core.formatting import money
from assistant.core.models import Constraints


def _goal(state: ConversationState) -> str | None:
    target = state.target
    if target is None:
        return None
    if state.view is not None and target.kind == "occupation":
        return state.view.target.label
    if target.kind == "posting":
        return f"the pasted job posting ({target.title})" if target.title else "the pasted job posting"
    return target.title or target.uri


def _limits(before: Constraints, after: Constraints) -> list[str]:
    out = []
    if before.budget != after.budget:
        new = money(after.budget, after.currency) if after.budget is not None else "none"
        old = money(before.budget, before.currency) if before.budget is not None else "none"
        out.append(f"budget {new} (was {old})")
    if before.hours_per_week != after.hours_per_week:
        new = f"{after.hours_per_week:g} h a week" if after.hours_per_week else "none"
        old = f"{before.hours_per_week:g} h" if before.hours_per_week else "none"
        out.append(f"hours {new} (was {old})")
    if before.deadline != after.deadline:
        new = after.deadline.isoformat() if after.deadline else "none"
        out.append(f"deadline {new} (was {before.deadline.isoformat() if before.deadline else 'none'})")
    if before.delivery_modes != after.delivery_modes:
        out.append("study mode " + (" or ".join(sorted(m.value for m in after.delivery_modes)) or "any"))
    return out


def _listed(kind: str, old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """ "skills added: SQL, Excel and 3 more", "tools removed: Tableau" (what applies), from key → label maps."""
    added = [label for key, label in new.items() if key not in old]
    removed = [label for key, label in old.items() if key not in new]
    return [
        f"{kind} {verb}: {', '.join(items[:6])}" + (f" and {len(items) - 6} more" if len(items) > 6 else "")
        for verb, items in (("added", added), ("removed", removed))
        if items
    ]


def _skills(state: ConversationState) -> dict[str, str]:
    return {s.skill_uri: s.label for s in state.profile.skills}


def _tools(state: ConversationState) -> dict[str, str]:
    return {t.key: t.label for t in state.profile.technologies}


def _held(state: ConversationState) -> dict[str, str]:
    held = sorted({*state.profile.earned_credentials, *(e.catalog_id or e.name for e in state.earned)})
    return {name: name for name in held}


def describe_changes(before: ConversationState, after: ConversationState) -> list[str]:
    """Each change to the goal, skills, products, held credentials and limits, in plain words."""
    out = []
    if before.target != after.target:
        out.append(f"goal {_goal(after) or 'none'} (was {_goal(before) or 'none'})")
    for kind, listed in (("skills", _skills), ("tools", _tools), ("held credentials", _held)):
        out += _listed(kind, listed(before), listed(after))
    out += _limits(before.profile.constraints, after.profile.constraints)
    return out


def undo_point(before: ConversationState, changes: Sequence[str]) -> UndoPoint:
    return UndoPoint(
        profile=before.profile,
        earned=before.earned,
        target=before.target,
        objective=before.objective,
        changes=tuple(changes),
    )


def restore(state: ConversationState) -> ConversationState:
    """The state before the last change; the advice is recomputed on the next view."""
    point = state.undo
    if point is None:
        return state
    return state.model_copy(
        update={
            "profile": point.profile,
            "earned": point.earned,
            "target": point.target,
            "objective": point.objective,
            "view": None,
            "comparison": (),
            "undo": None,
        }
    )


def change_note(changes: Sequence[str]) -> str:
    return "_Changed: " + "; ".join(changes) + ". Say “undo” to change it back._"
