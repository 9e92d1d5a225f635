"""The advisor's operations as tools a language model may call, over a state box the turn owns.

Each tool runs the same :class:`Advisor` operation the embedded mode runs and returns the composed,
factual text of its result plus the ids it makes speakable; the model can only rephrase what these
return, and the guard checks that it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from assistant.core.dialogue import compose
from assistant.core.dialogue.advisor import Advisor
from assistant.core.dialogue.ports import ToolResult, ToolSpec
from assistant.core.dialogue.slots import Slots, parse_deadline
from assistant.core.dialogue.state import ConversationState
from assistant.core.errors import StackwiseError
from assistant.core.models import DeliveryMode, RouteObjective


@dataclass
class StateBox:
    """The conversation state as tools change it during one turn."""

    state: ConversationState
    calls: list[str] = field(default_factory=list)


class GoalArgs(BaseModel):
    title: str = Field(min_length=2, max_length=120, description="job title or field, e.g. 'data analyst'")


class ConstraintArgs(BaseModel):
    budget: float | None = Field(default=None, ge=0, description="total money for the route")
    hours_per_week: float | None = Field(default=None, gt=0, le=80)
    delivery_mode: Literal["online", "onsite", "blended"] | None = None
    deadline: str | None = Field(default=None, description="e.g. 'within 6 months' or '2027-06-30'")


class SkillsArgs(BaseModel):
    skills: str = Field(min_length=1, max_length=500, description="skills the learner says they have, comma-separated")


class NoArgs(BaseModel):
    pass


class RouteArgs(BaseModel):
    objective: Literal["most-coverage", "cheapest", "fastest"] = "most-coverage"


class SearchArgs(BaseModel):
    query: str = Field(min_length=2, max_length=200)


class ExplainArgs(BaseModel):
    credential_id: str = Field(min_length=2, max_length=60)


class CompareArgs(BaseModel):
    goals: list[str] = Field(min_length=2, max_length=3)


def _result(box: StateBox, text: str) -> ToolResult:
    view = box.state.view
    ids = view.credential_ids if view else frozenset()
    skills = frozenset(row.skill_uri for row in view.skills) if view else frozenset()
    return ToolResult(text=text, credential_ids=ids, skill_uris=skills | box.state.profile.skill_uris)


def make_tools(advisor: Advisor, box: StateBox) -> list[ToolSpec]:
    """Tools bound to one turn's state box; errors come back as text the model can relay."""

    def guarded(name: str, body: object) -> object:
        def run(args: BaseModel) -> ToolResult:
            box.calls.append(name)
            try:
                return body(args)  # type: ignore[operator,no-any-return]
            except StackwiseError as exc:
                return ToolResult(text=f"error: {exc}")

        return run

    def set_goal(args: BaseModel) -> ToolResult:
        assert isinstance(args, GoalArgs)
        box.state = advisor.refresh(advisor.set_goal(box.state, args.title))
        assert box.state.view is not None
        return _result(box, compose.overview(box.state.view))

    def set_constraints(args: BaseModel) -> ToolResult:
        assert isinstance(args, ConstraintArgs)
        from decimal import Decimal

        slots = Slots(
            budget=Decimal(str(args.budget)) if args.budget is not None else None,
            hours_per_week=args.hours_per_week,
            delivery_modes=frozenset({DeliveryMode(args.delivery_mode)}) if args.delivery_mode else frozenset(),
            deadline=parse_deadline(
                f"by {args.deadline}" if args.deadline and args.deadline[0].isdigit() else args.deadline or "",
                advisor.today(),
            ),
        )
        before = box.state.view
        box.state = advisor.refresh(advisor.set_constraints(box.state, slots))
        text = f"Limits now: {compose.constraints_text(box.state.profile.constraints)}."
        if box.state.view is not None:
            text += " " + compose.change_text(before, box.state.view)
        return _result(box, text)

    def add_skills(args: BaseModel) -> ToolResult:
        assert isinstance(args, SkillsArgs)
        before, held = box.state.view, sorted(box.state.profile.skill_uris)
        box.state, typed = advisor.add_skills(box.state, args.skills)
        box.state = advisor.refresh(box.state)
        text = compose.skills_added_text(typed.skills, typed.unresolved, held, typed.technologies)
        if box.state.view is not None:
            text += " " + compose.change_text(before, box.state.view)
        return _result(box, text)

    def need_view(render: object) -> object:
        def run(args: BaseModel) -> ToolResult:
            box.state = advisor.refresh(box.state)
            if box.state.view is None:
                return ToolResult(text="No goal is set yet: ask the learner which job they are aiming for.")
            return _result(box, render(box.state, args))  # type: ignore[operator]

        return run

    def search(args: BaseModel) -> ToolResult:
        assert isinstance(args, SearchArgs)
        found = advisor.search(args.query)
        ids = frozenset(c.id for c in found)
        return ToolResult(
            text=compose.search_text(args.query, found),
            credential_ids=ids,
            skill_uris=frozenset(u for c in found for u in c.skill_uris),
        )

    def explain(args: BaseModel) -> ToolResult:
        assert isinstance(args, ExplainArgs)
        credential = advisor.credential(args.credential_id.strip().upper())
        box.state = box.state.model_copy(update={"focus": credential.id})
        text = compose.explain_text(credential, box.state.view, advisor.related_titles(credential))
        result = _result(box, text)
        return ToolResult(
            text=text,
            credential_ids=result.credential_ids | {credential.id},
            skill_uris=result.skill_uris | frozenset(credential.skill_uris),
        )

    def compare(args: BaseModel) -> ToolResult:
        assert isinstance(args, CompareArgs)
        rows = advisor.compare(box.state, args.goals)
        box.state = box.state.model_copy(update={"comparison": rows})
        return ToolResult(text=compose.comparison_text(rows))

    specs = [
        ("set_goal", "Set the learner's target job and compute gap, recommendations and routes.", GoalArgs, set_goal),
        ("set_constraints", "Record budget, hours a week, delivery mode or deadline and re-plan.", ConstraintArgs,
         set_constraints),
        ("add_skills", "Add skills the learner says they already have and re-plan.", SkillsArgs, add_skills),
        ("compute_gap", "The skills missing for the current goal, with their sources.", NoArgs,
         need_view(lambda s, a: compose.gap_text(s.view))),
        ("recommend", "Catalog credentials that close the most of the gap within the limits.", NoArgs,
         need_view(lambda s, a: compose.recommendations_text(s.view))),
        ("plan_route", "An ordered, scheduled route of credentials toward a stacked credential.", RouteArgs,
         need_view(lambda s, a: compose.route_text(s.view, RouteObjective(a.objective)))),
        ("search_catalog", "Search the institution's catalog by topic.", SearchArgs, search),
        ("explain_item", "Details of one catalog credential and why it was (or was not) recommended.", ExplainArgs,
         explain),
        ("compare_targets", "Compare two or three target jobs side by side.", CompareArgs, compare),
    ]  # fmt: skip
    return [
        ToolSpec(name=name, description=description, args_model=model, run=guarded(name, body))  # type: ignore[arg-type]
        for name, description, model, body in specs
    ]
