"""Advisor briefs: generated from an advisee's profile and goal, edited with notes, exported."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Query, Response

from assistant.api.context import ApiContext, Caller, Context, learner_id_for
from assistant.api.schemas import errors
from assistant.api.wire import BriefIn, BriefOut, BriefPatch
from assistant.core.access import Principal, Role, can_write_brief
from assistant.core.advice.brief import brief_markdown, brief_questions
from assistant.core.advice.view import AdviceView
from assistant.core.dialogue import ConversationState
from assistant.core.errors import NotFoundError
from assistant.core.store import BriefRecord, utcnow

router = APIRouter(prefix="/v1", tags=["briefs"], responses=errors(401, 404, 422, 429))


def _out(record: BriefRecord, ctx: ApiContext) -> BriefOut:
    payload = json.loads(record.payload_json) if record.payload_json else {}
    view = AdviceView.model_validate(payload["view"]) if payload.get("view") else None
    return BriefOut(**record.model_dump(exclude={"payload_json"}), view=view, questions=payload.get("questions", []))


def _brief(ctx: ApiContext, caller: Principal, brief_id: str, *, write: bool = False) -> BriefRecord:
    record = ctx.store.get_brief(brief_id)
    if record is None:
        raise HTTPException(404, "No such brief.")
    try:
        learner_id_for(ctx, caller, record.learner_id)
    except HTTPException as exc:
        raise HTTPException(404, "No such brief.") from exc
    if write and not can_write_brief(caller, record.learner_id, ctx.store.advisees(caller.user_id)):
        raise HTTPException(403, "Only the learner's advisor or an administrator can change a brief.")
    return record


@router.post("/learners/{learner_id}/briefs", response_model=BriefOut, status_code=201, responses=errors(400, 403, 413))
def create_brief(ctx: Context, caller: Caller, learner_id: str, body: BriefIn | None = None) -> BriefOut:
    """A brief for an advising session: profile, gap, options and questions to ask, from current data."""
    learner = learner_id_for(ctx, caller, learner_id)
    if caller.role not in (Role.ADVISOR, Role.ADMIN) or not can_write_brief(
        caller, learner, ctx.store.advisees(caller.user_id)
    ):
        raise HTTPException(403, "Briefs are written by the learner's advisor.")
    profile, earned = ctx.profile(learner)
    goal = (body.goal if body else None) or ctx.current_goal(learner)
    view = None
    if goal:
        advisor = ctx.service.advisor
        try:
            state = advisor.refresh(advisor.set_goal(ConversationState(profile=profile, earned=earned), goal))
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        view = state.view
    user = ctx.store.get_user(learner)
    name = user.display_name if user else learner
    record = ctx.store.save_brief(
        BriefRecord.new(
            learner_id=learner,
            advisor_id=caller.user_id,
            title=f"{name}: {view.target.label if view else 'no goal yet'}",
            content_md=brief_markdown(name, profile, view),
            payload_json=json.dumps(
                {"view": view.model_dump(mode="json") if view else None, "questions": brief_questions(profile, view)}
            ),
        )
    )
    return _out(record, ctx)


@router.get("/learners/{learner_id}/briefs", response_model=list[BriefOut], responses=errors(400))
def list_briefs(ctx: Context, caller: Caller, learner_id: str) -> list[BriefOut]:
    learner = learner_id_for(ctx, caller, learner_id)
    return [_out(b, ctx) for b in ctx.store.list_briefs(learner_id=learner)]


@router.get("/briefs/{brief_id}", response_model=BriefOut)
def get_brief(ctx: Context, caller: Caller, brief_id: str) -> BriefOut:
    return _out(_brief(ctx, caller, brief_id), ctx)


@router.patch("/briefs/{brief_id}", response_model=BriefOut, responses=errors(400, 403, 413))
def edit_brief(ctx: Context, caller: Caller, brief_id: str, body: BriefPatch) -> BriefOut:
    record = _brief(ctx, caller, brief_id, write=True)
    update: dict[str, object] = {"updated_at": utcnow()}
    if body.notes is not None:
        update["notes"] = body.notes
        if body.content_md is None and "## Advisor notes" in record.content_md:
            head = record.content_md.split("## Advisor notes", 1)[0]
            update["content_md"] = f"{head}## Advisor notes\n\n{body.notes or '_(none yet)_'}\n"
    if body.content_md is not None:
        update["content_md"] = body.content_md
    return _out(ctx.store.save_brief(record.model_copy(update=update)), ctx)


@router.delete("/briefs/{brief_id}", status_code=204, responses=errors(403))
def delete_brief(ctx: Context, caller: Caller, brief_id: str) -> Response:
    _brief(ctx, caller, brief_id, write=True)
    ctx.store.delete_brief(brief_id)
    return Response(status_code=204)


@router.get(
    "/briefs/{brief_id}/export",
    responses={200: {"content": {"text/markdown": {}, "application/pdf": {}}, "description": "the brief as a file"}},
)
def export_brief(
    ctx: Context, caller: Caller, brief_id: str, format: str = Query("md", pattern="^(md|pdf)$")
) -> Response:
    """Download the brief as Markdown or PDF."""
    record = _brief(ctx, caller, brief_id)
    stem = "".join(ch if ch.isalnum() else "-" for ch in record.title.lower()).strip("-")[:60] or "brief"
    if format == "pdf":
        from assistant.adapters.pdf_export import markdown_to_pdf

        return Response(
            markdown_to_pdf(record.content_md, title=record.title),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{stem}.pdf"'},
        )
    return Response(
        record.content_md,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{stem}.md"'},
    )
