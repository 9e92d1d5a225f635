"""A learner's data: résumé, profile, limits, held credentials, advice, and erasure.

Each route reads its input, calls one use case (:mod:`assistant.usecases`) and shapes the answer.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent

from assistant.api.deps import App, Caller, read_upload
from assistant.api.errors import answer_for
from assistant.api.schemas import errors
from assistant.api.wire import (
    AdviceIn,
    CompareIn,
    CompareOut,
    ConstraintsIO,
    DeletionOut,
    GapOut,
    HeldIn,
    ProfileOut,
    RecommendationsOut,
    ResumeText,
    RoutesOut,
    SkillEdits,
    SuggestionsOut,
)
from assistant.core.advice.view import AdviceView
from assistant.core.profile import Progress
from assistant.usecases.learners import Learner

#: every route names a learner (`me` is 400 for an advisor or admin; others they may not see are 404)
router = APIRouter(prefix="/v1/learners", tags=["learners"], responses=errors(400, 401, 404, 422, 429))
log = logging.getLogger("stackwise.api")


@router.put("/{learner_id}/resume", response_model=ProfileOut, responses=errors(403, 413, 415))
async def upload_resume(
    app: App, caller: Caller, learner_id: str, file: Annotated[UploadFile, File(description="PDF, DOCX or text")]
) -> ProfileOut:
    """Read a résumé file in a sandboxed worker; only its text is kept, never the file."""
    data = await read_upload(app, file)
    upload = app.learners.upload_resume
    return ProfileOut.of(await run_in_threadpool(upload, caller, learner_id, data, file.filename, file.content_type))


@router.put("/{learner_id}/resume/text", response_model=ProfileOut, responses=errors(403, 413))
def paste_resume(app: App, caller: Caller, learner_id: str, body: ResumeText) -> ProfileOut:
    return ProfileOut.of(app.learners.paste_resume(caller, learner_id, body.text))


def _writable_learner(app: App, caller: Caller, learner_id: str) -> str:
    """Checked as a dependency: a streaming route's body only runs once the 200 response has started."""
    return app.learners.access.learner(caller, learner_id, write=True)


def _reading(read: Callable[[Progress], Learner]) -> Iterator[ServerSentEvent]:
    """Run ``read`` on a thread of its own and tell how it goes: ``progress`` ({done, total} lines linked)
    while it links, then ``profile`` (as ``PUT …/resume`` answers) or ``error`` ({detail, status}: what the
    plain route would have answered)."""
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            events.put(("profile", read(lambda done, total: events.put(("progress", (done, total))))))
        except Exception as exc:  # reported in-band: the 200 response has started
            events.put(("error", exc))

    threading.Thread(target=work, name="resume-reading", daemon=True).start()
    while True:
        kind, value = events.get()
        if kind == "progress":
            yield ServerSentEvent(event="progress", data={"done": value[0], "total": value[1]})
            continue
        if kind == "profile":
            yield ServerSentEvent(event="profile", data=ProfileOut.of(value).model_dump(mode="json"))
            return
        answer = answer_for(value)
        if answer is None:
            log.error("résumé reading failed", exc_info=value)
            status, detail = 500, "Something went wrong while reading the résumé; please try again."
        else:
            status, detail, _ = answer
        yield ServerSentEvent(event="error", data={"detail": detail, "status": status})
        return


@router.put(
    "/{learner_id}/resume/text/stream",
    response_class=EventSourceResponse,
    responses=errors(403, 413, stream=True),
)
def paste_resume_stream(
    app: App, caller: Caller, learner: Annotated[str, Depends(_writable_learner)], body: ResumeText
) -> Iterator[ServerSentEvent]:
    """The same reading as ``PUT …/resume/text``, told as it goes: ``progress`` events ({done, total} lines
    linked), then ``profile``, or ``error`` ({detail, status}) for a résumé that cannot be read."""
    yield from _reading(lambda told: app.learners.paste_resume(caller, learner, body.text, told))


@router.put(
    "/{learner_id}/resume/stream",
    response_class=EventSourceResponse,
    responses=errors(403, 413, 415, stream=True),
)
async def upload_resume_stream(
    app: App,
    caller: Caller,
    learner: Annotated[str, Depends(_writable_learner)],
    file: Annotated[UploadFile, File(description="PDF, DOCX or text")],
) -> AsyncIterator[ServerSentEvent]:
    """The same reading as ``PUT …/resume``, told as it goes (events as ``PUT …/resume/text/stream``)."""
    data = await read_upload(app, file)
    name, kind = file.filename, file.content_type
    upload = app.learners.upload_resume
    async for event in iterate_in_threadpool(_reading(lambda told: upload(caller, learner, data, name, kind, told))):
        yield event


@router.delete("/{learner_id}/resume", status_code=204, responses=errors(403))
def delete_resume(app: App, caller: Caller, learner_id: str) -> None:
    """Forget the résumé and the skills read from it (typed skills and held credentials stay)."""
    app.learners.delete_resume(caller, learner_id)


@router.get("/{learner_id}/profile", response_model=ProfileOut)
def get_profile(app: App, caller: Caller, learner_id: str) -> ProfileOut:
    return ProfileOut.of(app.learners.get(caller, learner_id))


@router.patch("/{learner_id}/skills", response_model=ProfileOut, responses=errors(403, 413))
def edit_skills(app: App, caller: Caller, learner_id: str, body: SkillEdits) -> ProfileOut:
    """Confirm offered skills, remove wrong ones, add missing ones; the advice uses the new list at once."""
    learner, unresolved = app.learners.edit_skills(
        caller, learner_id, confirm=body.confirm, remove=body.remove, add=body.add, text=body.text
    )
    return ProfileOut.of(learner, [f"Not recognised as a skill: {', '.join(unresolved)}."] if unresolved else [])


@router.put("/{learner_id}/constraints", response_model=ProfileOut, responses=errors(403, 413))
def set_constraints(app: App, caller: Caller, learner_id: str, body: ConstraintsIO) -> ProfileOut:
    return ProfileOut.of(app.learners.set_constraints(caller, learner_id, body.model_dump()))


@router.put("/{learner_id}/credentials", response_model=ProfileOut, responses=errors(403, 413))
def set_held(app: App, caller: Caller, learner_id: str, body: HeldIn) -> ProfileOut:
    """Catalog credentials the learner already holds (alumni): they count toward stacks and are not re-sold."""
    return ProfileOut.of(app.learners.hold(caller, learner_id, body.credential_ids))


@router.post("/{learner_id}/badges", response_model=ProfileOut, responses=errors(403, 413))
async def import_badges(
    app: App, caller: Caller, learner_id: str, file: Annotated[UploadFile, File(description="Open Badges 3.0 JSON")]
) -> ProfileOut:
    """Earned Open Badges 3.0 credentials: matched to the catalog where they can be, their skills kept."""
    data = await read_upload(app, file)
    learner, taken = app.learners.import_badges(caller, learner_id, data, file.filename or "upload")
    return ProfileOut.of(learner, notes=taken)


@router.post("/{learner_id}/advice", response_model=AdviceView, responses=errors(413))
def advice(app: App, caller: Caller, learner_id: str, body: AdviceIn) -> AdviceView:
    """Gap, recommendations and routes for a goal, computed from the stored profile, badges and limits."""
    return app.advising.view(caller, learner_id, body.goal)


@router.post("/{learner_id}/gap", response_model=GapOut, responses=errors(413))
def gap(app: App, caller: Caller, learner_id: str, body: AdviceIn) -> GapOut:
    return GapOut.of(app.advising.view(caller, learner_id, body.goal))


@router.post("/{learner_id}/recommendations", response_model=RecommendationsOut, responses=errors(413))
def recommendations(app: App, caller: Caller, learner_id: str, body: AdviceIn) -> RecommendationsOut:
    return RecommendationsOut.of(app.advising.view(caller, learner_id, body.goal))


@router.post("/{learner_id}/routes", response_model=RoutesOut, responses=errors(413))
def routes(app: App, caller: Caller, learner_id: str, body: AdviceIn) -> RoutesOut:
    return RoutesOut.of(app.advising.view(caller, learner_id, body.goal))


@router.post("/{learner_id}/compare", response_model=CompareOut, responses=errors(413))
def compare(app: App, caller: Caller, learner_id: str, body: CompareIn) -> CompareOut:
    """What-if: the same profile and limits against two or three goals."""
    return CompareOut(rows=app.advising.compare(caller, learner_id, body.goals))


@router.get("/{learner_id}/suggestions", response_model=SuggestionsOut, responses=errors(409))
def suggestions(app: App, caller: Caller, learner_id: str) -> SuggestionsOut:
    """Upskilling: occupations ranked for the profile (and held credentials), with US wage and growth."""
    return SuggestionsOut.of(app.advising.suggestions(caller, learner_id))


@router.delete("/{learner_id}", response_model=DeletionOut, responses=errors(403))
def delete_learner(app: App, caller: Caller, learner_id: str) -> DeletionOut:
    """Erase the learner: résumé text, profile, sessions and messages, briefs, assignments, the account."""
    return DeletionOut.of(app.learners.delete(caller, learner_id))
