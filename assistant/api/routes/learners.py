"""A learner's data: résumé, profile, limits, held credentials, advice, and erasure."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from assistant.api.context import ApiContext, Caller, Context, learner_id_for
from assistant.api.schemas import errors
from assistant.api.wire import (
    AdviceIn,
    CompareIn,
    CompareOut,
    ConstraintsIO,
    DeletionOut,
    EvidenceOut,
    ExploreGoal,
    GapOut,
    HeldIn,
    OccupationGoal,
    ProfileOut,
    RecommendationsOut,
    ResumeOut,
    ResumeText,
    RoutesOut,
    SkillOut,
    Suggestion,
    SuggestionsOut,
)
from assistant.core.access import can_delete_learner
from assistant.core.advice.view import AdviceView
from assistant.core.dialogue import ConversationState
from assistant.core.errors import CatalogValidationError, DocumentError, NotFoundError, StackwiseError
from assistant.core.models import Constraints, EvidenceSource, LearnerProfile
from assistant.core.resume import ResumeDocument
from assistant.core.store import ResumeRecord, utcnow

#: every route names a learner (`me` is 400 for an advisor or admin; others they may not see are 404)
router = APIRouter(prefix="/v1/learners", tags=["learners"], responses=errors(400, 401, 404, 422, 429))

_DOCUMENT_STATUS = {"too-large": 413, "unsupported-type": 415, "too-many-pages": 413}


def _profile_out(ctx: ApiContext, learner_id: str) -> ProfileOut:
    profile, _ = ctx.profile(learner_id)
    resume = ctx.store.get_resume(learner_id)
    c = profile.constraints
    return ProfileOut(
        learner_id=learner_id,
        skills=[
            SkillOut(
                skill_uri=s.skill_uri,
                label=s.label,
                confidence=s.confidence,
                evidence=[
                    EvidenceOut(
                        source=e.source.value, text=e.text, line_no=e.line_no, section=e.section, reference=e.reference
                    )
                    for e in s.evidence
                ],
            )
            for s in profile.skills
        ],
        earned_credentials=list(profile.earned_credentials),
        constraints=ConstraintsIO(
            budget=c.budget,
            currency=c.currency,
            hours_per_week=c.hours_per_week,
            deadline=c.deadline,
            delivery_modes=sorted(m.value for m in c.delivery_modes),
            min_eqf_level=c.min_eqf_level,
            max_eqf_level=c.max_eqf_level,
        ),
        resume=ResumeOut(filename=resume.filename, uploaded_at=resume.uploaded_at, lines=len(resume.text.splitlines()))
        if resume
        else None,
    )


def _upload_limit(ctx: ApiContext) -> int:
    return int(ctx.service.settings.max_upload_mb * 1024 * 1024)


async def _read_upload(ctx: ApiContext, file: UploadFile) -> bytes:
    """The uploaded bytes, refused with 413 past ``max_upload_mb`` (reads one byte more to tell)."""
    limit = _upload_limit(ctx)
    data = await file.read(limit + 1)
    await file.close()
    if len(data) > limit:
        raise HTTPException(413, f"This file is larger than {ctx.service.settings.max_upload_mb:g} MB.")
    return data


def _document_error(exc: DocumentError) -> HTTPException:
    return HTTPException(_DOCUMENT_STATUS.get(exc.reason, 422), exc.message)


def _store_resume(ctx: ApiContext, learner_id: str, document: ResumeDocument) -> ProfileOut:
    from assistant.core.profile import profile_from_resume

    found = profile_from_resume(document, ctx.service.skill_linker, today=date.today())
    profile, earned = ctx.profile(learner_id)
    kept = profile.skills_without(EvidenceSource.RESUME)
    profile = profile.model_copy(update={"skills": (*kept, *found.skills)})
    ctx.store.save_resume(
        ResumeRecord(learner_id=learner_id, filename=document.filename, text=document.text, uploaded_at=utcnow())
    )
    ctx.save_profile(learner_id, profile, earned)
    return _profile_out(ctx, learner_id)


@router.put("/{learner_id}/resume", response_model=ProfileOut, responses=errors(403, 413, 415))
async def upload_resume(
    ctx: Context, caller: Caller, learner_id: str, file: Annotated[UploadFile, File(description="PDF, DOCX or text")]
) -> ProfileOut:
    """Read a résumé file in a sandboxed worker; only its text is kept, never the file."""
    from assistant.adapters.documents import DocumentLimits, parse_resume_file

    learner = learner_id_for(ctx, caller, learner_id, write=True)
    data = await _read_upload(ctx, file)
    try:
        document = await run_in_threadpool(
            parse_resume_file, data, file.filename, file.content_type, DocumentLimits(max_bytes=_upload_limit(ctx))
        )
    except DocumentError as exc:
        raise _document_error(exc) from exc
    finally:
        del data
    return await run_in_threadpool(_store_resume, ctx, learner, document)


@router.put("/{learner_id}/resume/text", response_model=ProfileOut, responses=errors(403, 413))
def paste_resume(ctx: Context, caller: Caller, learner_id: str, body: ResumeText) -> ProfileOut:
    from assistant.adapters.documents import parse_pasted_text

    learner = learner_id_for(ctx, caller, learner_id, write=True)
    try:
        document = parse_pasted_text(body.text)
    except DocumentError as exc:
        raise _document_error(exc) from exc
    return _store_resume(ctx, learner, document)


@router.delete("/{learner_id}/resume", status_code=204, responses=errors(403))
def delete_resume(ctx: Context, caller: Caller, learner_id: str) -> None:
    """Forget the résumé and the skills read from it (typed skills and held credentials stay)."""
    learner = learner_id_for(ctx, caller, learner_id, write=True)
    profile, earned = ctx.profile(learner)
    kept = profile.skills_without(EvidenceSource.RESUME)
    ctx.save_profile(learner, profile.model_copy(update={"skills": kept}), earned)
    if not ctx.store.delete_resume(learner):
        raise HTTPException(404, "There is no résumé on file.")


@router.get("/{learner_id}/profile", response_model=ProfileOut)
def get_profile(ctx: Context, caller: Caller, learner_id: str) -> ProfileOut:
    return _profile_out(ctx, learner_id_for(ctx, caller, learner_id))


@router.put("/{learner_id}/constraints", response_model=ProfileOut, responses=errors(403, 413))
def set_constraints(ctx: Context, caller: Caller, learner_id: str, body: ConstraintsIO) -> ProfileOut:
    learner = learner_id_for(ctx, caller, learner_id, write=True)
    profile, earned = ctx.profile(learner)
    try:
        constraints = Constraints.model_validate(body.model_dump())
    except ValidationError as exc:  # rules across fields, e.g. the EQF levels' order: say which, in words
        raise HTTPException(422, str(exc.errors()[0]["msg"]).removeprefix("Value error, ") + ".") from exc
    ctx.save_profile(learner, profile.model_copy(update={"constraints": constraints}), earned)
    return _profile_out(ctx, learner)


@router.put("/{learner_id}/credentials", response_model=ProfileOut, responses=errors(403, 413))
def set_held(ctx: Context, caller: Caller, learner_id: str, body: HeldIn) -> ProfileOut:
    """Catalog credentials the learner already holds (alumni): they count toward stacks and are not re-sold."""
    learner = learner_id_for(ctx, caller, learner_id, write=True)
    unknown = [cid for cid in body.credential_ids if cid not in ctx.service.catalog]
    if unknown:
        raise HTTPException(422, f"Not in the catalog: {', '.join(unknown[:5])}.")
    profile, earned = ctx.profile(learner)
    held = tuple(dict.fromkeys(body.credential_ids))
    ctx.save_profile(learner, profile.model_copy(update={"earned_credentials": held}), earned)
    return _profile_out(ctx, learner)


@router.post("/{learner_id}/badges", response_model=ProfileOut, responses=errors(403, 413))
async def import_badges(
    ctx: Context, caller: Caller, learner_id: str, file: Annotated[UploadFile, File(description="Open Badges 3.0 JSON")]
) -> ProfileOut:
    """Earned Open Badges 3.0 credentials: matched to the catalog where they can be, their skills kept."""
    from index.importers.open_badges import read_earned_credentials

    learner = learner_id_for(ctx, caller, learner_id, write=True)
    data = await _read_upload(ctx, file)
    try:
        result = read_earned_credentials(data, catalog=ctx.service.catalog.credentials, name=file.filename or "upload")
        result.raise_for_issues("this badge file could not be read")
    except (CatalogValidationError, StackwiseError) as exc:
        raise HTTPException(422, str(exc).splitlines()[0]) from exc
    profile, earned = ctx.profile(learner)
    merged = {e.achievement_id: e for e in (*earned, *result.earned)}
    held = tuple(dict.fromkeys((*profile.earned_credentials, *(e.catalog_id for e in result.earned if e.catalog_id))))
    ctx.save_profile(learner, profile.model_copy(update={"earned_credentials": held}), tuple(merged.values()))
    return _profile_out(ctx, learner)


def _view(ctx: ApiContext, learner: str, body: AdviceIn) -> AdviceView:
    profile, earned = ctx.profile(learner)
    advisor = ctx.service.advisor
    profile = _with_badge_skills(ctx, profile, earned)
    state = ConversationState(profile=profile, earned=earned)
    target = body.target
    try:
        if isinstance(target, ExploreGoal):
            return advisor.explore(state)
        if isinstance(target, OccupationGoal):
            state = advisor.set_goal(state, target.title)
        else:
            state = advisor.load_posting(state, target.text)
        state = advisor.refresh(state)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    except DocumentError as exc:
        raise HTTPException(422, exc.message) from exc
    assert state.view is not None
    return state.view


def _with_badge_skills(ctx: ApiContext, profile: LearnerProfile, earned: tuple[object, ...]) -> LearnerProfile:
    from assistant.core.advice import holdings
    from assistant.core.models import EarnedCredential

    badges = [e for e in earned if isinstance(e, EarnedCredential)]
    if not badges:
        return profile
    held = holdings(profile, badges, ctx.service.catalog, ctx.service.taxonomy)
    ids = tuple(dict.fromkeys((*profile.earned_credentials, *held.credential_ids)))
    known = profile.skill_uris
    extra = tuple(s for s in held.skills if s.skill_uri not in known)
    return profile.model_copy(update={"earned_credentials": ids, "skills": (*profile.skills, *extra)})


@router.post("/{learner_id}/advice", response_model=AdviceView, responses=errors(413))
def advice(ctx: Context, caller: Caller, learner_id: str, body: AdviceIn) -> AdviceView:
    """Gap, recommendations and routes for a goal, computed from the stored profile and limits."""
    return _view(ctx, learner_id_for(ctx, caller, learner_id), body)


@router.post("/{learner_id}/gap", response_model=GapOut, responses=errors(413))
def gap(ctx: Context, caller: Caller, learner_id: str, body: AdviceIn) -> GapOut:
    view = _view(ctx, learner_id_for(ctx, caller, learner_id), body)
    return GapOut(target=view.target, readiness=view.readiness, skills=view.skills)


@router.post("/{learner_id}/recommendations", response_model=RecommendationsOut, responses=errors(413))
def recommendations(ctx: Context, caller: Caller, learner_id: str, body: AdviceIn) -> RecommendationsOut:
    view = _view(ctx, learner_id_for(ctx, caller, learner_id), body)
    return RecommendationsOut(target=view.target, recommendations=view.recommendations)


@router.post("/{learner_id}/routes", response_model=RoutesOut, responses=errors(413))
def routes(ctx: Context, caller: Caller, learner_id: str, body: AdviceIn) -> RoutesOut:
    view = _view(ctx, learner_id_for(ctx, caller, learner_id), body)
    return RoutesOut(target=view.target, routes=view.routes)


@router.post("/{learner_id}/compare", response_model=CompareOut, responses=errors(413))
def compare(ctx: Context, caller: Caller, learner_id: str, body: CompareIn) -> CompareOut:
    """What-if: the same profile and limits against two or three goals."""
    learner = learner_id_for(ctx, caller, learner_id)
    profile, earned = ctx.profile(learner)
    state = ConversationState(profile=_with_badge_skills(ctx, profile, earned), earned=earned)
    try:
        rows = ctx.service.advisor.compare(state, body.goals)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    return CompareOut(rows=rows)


@router.get("/{learner_id}/suggestions", response_model=SuggestionsOut, responses=errors(409))
def suggestions(ctx: Context, caller: Caller, learner_id: str) -> SuggestionsOut:
    """Upskilling: occupations ranked for the profile (and held credentials), with US wage and growth."""
    from assistant.core.advice import ExploreTarget, explore_occupations
    from assistant.core.advice.matching import SkillMatcher

    learner = learner_id_for(ctx, caller, learner_id)
    profile, earned = ctx.profile(learner)
    profile = _with_badge_skills(ctx, profile, earned)
    held = ctx.service.advisor.hold_credentials(ConversationState(profile=profile), profile.earned_credentials)
    from assistant.core.advice import holdings

    taxonomy, catalog = ctx.service.taxonomy, ctx.service.catalog
    skills = (*held.profile.skills, *holdings(held.profile, (), catalog, taxonomy).skills)
    if not skills:
        raise HTTPException(409, "Add a résumé, skills or held credentials first.")
    matcher = SkillMatcher(taxonomy, ctx.service.advisor.similarity)
    catalog_skills = frozenset(uri for c in catalog for uri in c.skill_uris)
    options = explore_occupations(taxonomy, skills, matcher, catalog_skills=catalog_skills, limit=ExploreTarget().limit)
    out = []
    for option in options:
        wage = taxonomy.wage_for(option.occupation_uri)
        projection = taxonomy.projection_for(option.occupation_uri)
        out.append(
            Suggestion(
                label=option.label,
                occupation_uri=option.occupation_uri,
                score=round(option.score, 4),
                wage_median=wage.annual_median if wage else None,
                growth_pct=projection.change_pct if projection else None,
                reasons=list(option.reasons),
            )
        )
    return SuggestionsOut(options=out)


@router.delete("/{learner_id}", response_model=DeletionOut, responses=errors(403))
def delete_learner(ctx: Context, caller: Caller, learner_id: str) -> DeletionOut:
    """Erase the learner: résumé text, profile, sessions and messages, briefs, assignments, the account."""
    learner = learner_id_for(ctx, caller, learner_id)
    if not can_delete_learner(caller, learner):
        raise HTTPException(403, "Only the learner or an administrator can delete a learner's data.")
    report = ctx.store.delete_learner(learner)
    return DeletionOut(**report.model_dump())
