"""The loaded data, no learner needed: the catalog, occupations by title, one occupation's requirements, counts.

Each route reads its input, calls :class:`~assistant.usecases.browse.Browse` and shapes the answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from assistant.api.deps import App
from assistant.api.schemas import (
    CredentialDetail,
    CredentialPage,
    CredentialSummary,
    OccupationCredentialsOut,
    OccupationDetail,
    OccupationHit,
    errors,
)
from assistant.api.wire import SkillHit
from assistant.core.goals import GoalAnswer
from assistant.usecases.browse import CatalogQuery

router = APIRouter(prefix="/v1")


@router.get("/stats", tags=["data"], responses=errors(429))
def stats(app: App) -> dict[str, object]:
    """Counts computed from the loaded taxonomy and catalog."""
    return app.browse.stats()


@router.get("/catalog", response_model=CredentialPage, tags=["catalog"], responses=errors(422, 429))
def list_catalog(
    app: App,
    field: Annotated[str | None, Query(description="e.g. data-it, health-care")] = None,
    kind: str | None = None,
    delivery_mode: str | None = None,
    max_cost: Annotated[float | None, Query(ge=0)] = None,
    q: Annotated[str | None, Query(max_length=200, description="words in title or outcomes")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CredentialPage:
    """Browse the catalog with simple filters; ``hidden_by`` says how many credentials each filter alone hides."""
    query = CatalogQuery(field, kind, delivery_mode, max_cost, q)
    items = app.browse.credentials(query)
    hidden = {"q" if name == "words" else name: n for name, n in app.browse.hidden_by(query).items()}
    return CredentialPage(
        total=len(items),
        items=[CredentialSummary.of(c, app.browse.title_of) for c in items[offset : offset + limit]],
        hidden_by=hidden,
    )


@router.get(
    "/catalog/{credential_id}", response_model=CredentialDetail, tags=["catalog"], responses=errors(404, 422, 429)
)
def get_credential(app: App, credential_id: str) -> CredentialDetail:
    return CredentialDetail.of_credential(
        app.browse.credential(credential_id), app.browse.skill_label, app.browse.title_of
    )


@router.get("/skills", response_model=list[SkillHit], tags=["taxonomy"], responses=errors(422, 429))
def find_skills(
    app: App,
    q: Annotated[str, Query(min_length=1, max_length=100, description="the start of a skill or tool name")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[SkillHit]:
    """Skills to pick from as a learner types (ESCO labels and the O*NET technologies linked to them)."""
    return [SkillHit.of(match) for match in app.browse.skills(q, limit)]


@router.get("/occupations", response_model=list[OccupationHit], tags=["taxonomy"], responses=errors(422, 429))
def find_occupations(
    app: App,
    q: Annotated[str, Query(min_length=1, max_length=200, description="a job title")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[OccupationHit]:
    """Occupations whose ESCO labels best match the words of a job title."""
    return [OccupationHit.of(hit) for hit in app.browse.occupations(q, limit)]


@router.get("/goals/resolve", response_model=GoalAnswer, tags=["taxonomy"], responses=errors(422, 429))
def resolve_goal(
    app: App,
    q: Annotated[str, Query(min_length=1, max_length=300, description="a goal in the learner's own words")],
) -> GoalAnswer:
    """What a goal means: ``resolved`` (one occupation), ``clarify`` (options to ask about, at most 8, each
    with US wage and growth) or ``not_found``. The chat, the CLI and the pages use the same resolver."""
    return app.goals.resolve(q)


@router.get("/occupations/detail", response_model=OccupationDetail, tags=["taxonomy"], responses=errors(404, 422, 429))
def occupation_detail(app: App, uri: Annotated[str, Query(description="ESCO occupation URI")]) -> OccupationDetail:
    """An occupation's requirements with their sources, wage and projected growth."""
    return OccupationDetail.of(app.browse.occupation(uri))


@router.get(
    "/occupations/credentials",
    response_model=OccupationCredentialsOut,
    tags=["taxonomy"],
    responses=errors(404, 422, 429),
)
def occupation_credentials(
    app: App, uri: Annotated[str, Query(description="ESCO occupation URI")]
) -> OccupationCredentialsOut:
    """The catalog's credentials that build toward an occupation (made for it, or teaching its core skills and
    close enough to it to be planned), and the routes the advice plans toward it for a learner who starts from
    nothing and states no limits (at the hours a week every credential's timetable needs: ``hours_per_week``)."""
    return OccupationCredentialsOut.of(app.browse.toward(uri), app.browse.title_of)
