"""Advisor briefs: generated from an advisee's profile and goal, edited with notes, exported.

Each route reads its input, calls :class:`~assistant.usecases.briefs.Briefs` and shapes the answer.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from assistant.api.deps import App, Caller
from assistant.api.schemas import errors
from assistant.api.wire import BriefIn, BriefOut, BriefPatch

router = APIRouter(prefix="/v1", tags=["briefs"], responses=errors(401, 404, 422, 429))


@router.post("/learners/{learner_id}/briefs", response_model=BriefOut, status_code=201, responses=errors(400, 403, 413))
def create_brief(app: App, caller: Caller, learner_id: str, body: BriefIn | None = None) -> BriefOut:
    """A brief for an advising session: profile, gap, options and questions to ask, from current data."""
    return BriefOut.of(app.briefs.create(caller, learner_id, body.goal if body else None))


@router.get("/learners/{learner_id}/briefs", response_model=list[BriefOut], responses=errors(400))
def list_briefs(app: App, caller: Caller, learner_id: str) -> list[BriefOut]:
    return [BriefOut.of(b) for b in app.briefs.list(caller, learner_id)]


@router.get("/briefs/{brief_id}", response_model=BriefOut)
def get_brief(app: App, caller: Caller, brief_id: str) -> BriefOut:
    return BriefOut.of(app.briefs.get(caller, brief_id))


@router.patch("/briefs/{brief_id}", response_model=BriefOut, responses=errors(400, 403, 413))
def edit_brief(app: App, caller: Caller, brief_id: str, body: BriefPatch) -> BriefOut:
    return BriefOut.of(app.briefs.edit(caller, brief_id, notes=body.notes, content_md=body.content_md))


@router.delete("/briefs/{brief_id}", status_code=204, responses=errors(403))
def delete_brief(app: App, caller: Caller, brief_id: str) -> Response:
    app.briefs.delete(caller, brief_id)
    return Response(status_code=204)


@router.get(
    "/briefs/{brief_id}/export",
    responses={200: {"content": {"text/markdown": {}, "application/pdf": {}}, "description": "the brief as a file"}},
)
def export_brief(app: App, caller: Caller, brief_id: str, format: str = Query("md", pattern="^(md|pdf)$")) -> Response:
    """Download the brief as Markdown or PDF."""
    exported = app.briefs.export(caller, brief_id, "pdf" if format == "pdf" else "md")
    disposition = {"Content-Disposition": f'attachment; filename="{exported.filename}"'}
    return Response(exported.content, media_type=exported.media_type, headers=disposition)
