"""Public API shapes. Kept apart from the domain models so the wire format can evolve on its own."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from assistant.core.advice.view import RouteView, SkillRef
from assistant.core.models import Credential
from assistant.core.search import OccupationMatch
from assistant.usecases.browse import OccupationCredentials, OccupationFacts


class Health(BaseModel):
    status: str = "ok"
    version: str


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, str]


class CredentialRef(BaseModel):
    id: str
    title: str


class PrerequisiteGroupOut(BaseModel):
    """Credentials of which at least ``required`` must be held first: all of them when ``required`` is their
    number, any one of them when it is 1."""

    required: int
    credentials: list[CredentialRef]


class CredentialSummary(BaseModel):
    id: str
    title: str
    kind: str
    field: str | None
    eqf_level: int | None
    workload_hours: float | None
    ects: float | None
    cost: Decimal | None  # null: the catalog does not state a price (the pages say "price not stated")
    currency: str | None
    duration_weeks: float | None
    delivery_mode: str | None
    language: str
    url: str | None
    stacks_into: list[str]
    prerequisites: list[str]  # every id named in a prerequisite group; read ``prerequisite_groups`` for how many
    prerequisite_groups: list[PrerequisiteGroupOut]  # each group must be met
    counts_toward: list[CredentialRef]  # the bigger credentials of ``stacks_into``, with their titles

    @classmethod
    def of(cls, credential: Credential, title_of: Callable[[str], str]) -> CredentialSummary:
        return cls(
            id=credential.id,
            title=credential.title,
            kind=credential.kind.value,
            field=credential.field,
            eqf_level=credential.eqf_level,
            workload_hours=credential.workload_hours,
            ects=credential.ects,
            cost=credential.cost.amount if credential.cost else None,
            currency=credential.cost.currency if credential.cost else None,
            duration_weeks=credential.duration_weeks,
            delivery_mode=credential.delivery_mode.value if credential.delivery_mode else None,
            language=credential.language,
            url=credential.url,
            stacks_into=[rule.target_id for rule in credential.stacks_into],
            prerequisites=sorted(credential.prerequisite_ids),
            prerequisite_groups=[
                PrerequisiteGroupOut(
                    required=group.required_count,
                    credentials=[CredentialRef(id=cid, title=title_of(cid)) for cid in group.credential_ids],
                )
                for group in credential.prerequisites
            ],
            counts_toward=[CredentialRef(id=r.target_id, title=title_of(r.target_id)) for r in credential.stacks_into],
        )


class CredentialPage(BaseModel):
    total: int
    items: list[CredentialSummary]
    hidden_by: dict[str, int] = Field(
        default_factory=dict,
        description="for each filter given (its parameter name), how many credentials it alone hides: they pass "
        "every other filter, so clearing it would list them",
    )


class CredentialDetail(CredentialSummary):
    awarding_body: str
    country: str
    learning_outcomes: list[str]
    assessment: str | None
    pacing: str
    quality_assurance: str | None
    skills: list[SkillRef]
    description: str | None

    @classmethod
    def of_credential(
        cls, credential: Credential, label_of: Callable[[str], str], title_of: Callable[[str], str]
    ) -> CredentialDetail:
        return cls(
            **CredentialSummary.of(credential, title_of).model_dump(),
            awarding_body=credential.awarding_body,
            country=credential.country,
            learning_outcomes=list(credential.learning_outcomes),
            assessment=credential.assessment.value if credential.assessment else None,
            pacing=credential.pacing.value,
            quality_assurance=credential.quality_assurance,
            skills=[SkillRef(uri=s.uri, label=label_of(s.uri)) for s in credential.skills],
            description=credential.description,
        )


class OccupationHit(BaseModel):
    uri: str
    label: str
    isco_group: str
    matched_label: str
    score: float = Field(ge=0, le=1)
    onet_codes: list[str]

    @classmethod
    def of(cls, hit: OccupationMatch) -> OccupationHit:
        return cls(
            uri=hit.occupation.uri,
            label=hit.occupation.preferred_label,
            isco_group=hit.occupation.isco_group,
            matched_label=hit.matched_label,
            score=round(hit.score, 4),
            onet_codes=list(hit.occupation.onet_codes),
        )


class Requirement(BaseModel):
    label: str
    skill_uri: str | None
    source: str
    importance: float | None
    level: float | None
    hot_technology: bool
    in_demand: bool
    citation: str


class OccupationDetail(BaseModel):
    uri: str
    label: str
    description: str | None
    isco_group: str
    onet_codes: list[str]
    annual_median_wage_usd: float | None
    wage_source: str | None
    projected_growth_pct_2020_2030: float | None
    requirements: list[Requirement]

    @classmethod
    def of(cls, facts: OccupationFacts) -> OccupationDetail:
        occupation, wage, projection = facts.occupation, facts.wage, facts.projection
        return cls(
            uri=occupation.uri,
            label=occupation.preferred_label,
            description=occupation.description,
            isco_group=occupation.isco_group,
            onet_codes=list(occupation.onet_codes),
            annual_median_wage_usd=wage.annual_median if wage else None,
            wage_source=f"{wage.release}, SOC {wage.soc_code} ({wage.title})" if wage else None,
            projected_growth_pct_2020_2030=projection.change_pct if projection else None,
            requirements=[
                Requirement(
                    label=r.label,
                    skill_uri=r.skill_uri,
                    source=r.source.value,
                    importance=r.importance,
                    level=r.level,
                    hot_technology=r.hot_technology,
                    in_demand=r.in_demand,
                    citation=r.citation,
                )
                for r in facts.requirements
            ],
        )


class CredentialTowardOut(CredentialSummary):
    made_for: bool = Field(description="the catalog or its title says it is for this occupation")
    teaches: list[SkillRef] = Field(description="the occupation's core skills it teaches")
    core_share: float = Field(ge=0, le=1, description="the share of the core skills' weight it teaches")


class OccupationCredentialsOut(BaseModel):
    """The catalog's credentials that build toward an occupation, and routes toward it, for a learner who starts
    from nothing and states no limits."""

    occupation_uri: str
    label: str
    core_skills: int = Field(description="how many core skills of the occupation the routes plan for")
    hours_per_week: float = Field(description="the routes' hours a week: enough for every credential's timetable")
    credentials: list[CredentialTowardOut]
    routes: list[RouteView]
    notes: list[str]

    @classmethod
    def of(cls, found: OccupationCredentials, title_of: Callable[[str], str]) -> OccupationCredentialsOut:
        return cls(
            occupation_uri=found.occupation.uri,
            label=found.occupation.preferred_label,
            core_skills=found.core_skills,
            hours_per_week=found.hours_per_week,
            credentials=[
                CredentialTowardOut(
                    **CredentialSummary.of(row.credential, title_of).model_dump(),
                    made_for=row.made_for,
                    teaches=[SkillRef(uri=uri, label=label) for uri, label in row.teaches],
                    core_share=round(min(1.0, row.share), 4),
                )
                for row in found.credentials
            ],
            routes=list(found.advice.routes),
            notes=list(found.advice.notes),
        )


class ErrorOut(BaseModel):
    """Every error answer. ``detail`` is plain words, or FastAPI's list of field errors for a request body or
    parameter that fails validation (422)."""

    detail: str | list[dict[str, Any]]


_ERRORS: dict[int, dict[str, Any]] = {
    400: {"description": "A body that cannot be read (not JSON, a broken form), or `me` from an advisor or admin"},
    401: {
        "description": "No API key, or one that is not valid",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}},
    },
    403: {"description": "Signed in, but this role may not do this"},
    404: {"description": "Nothing with this id that the caller may see"},
    409: {"description": "Not possible yet in the learner's current state"},
    413: {"description": "The request body or the uploaded file is too large"},
    415: {"description": "A file type that is not supported"},
    422: {"description": "A request that fails validation"},
    429: {
        "description": "Too many requests",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}},
    },
    503: {
        "description": "The database cannot be written or reached now (disk full, read-only); nothing was changed",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}},
    },
}


def errors(*codes: int, stream: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, so the spec lists every status a route can answer.

    ``stream``: the route answers 200 with an event stream but errors with JSON; FastAPI would file a ``model``
    under the route's media type, so the schema is referenced by hand (``ErrorOut`` is in the components
    because the other routes use it as a model).
    Every route reads the store (an API key, at least), so every route lists 503.
    """
    codes = (*codes, 503) if 503 not in codes else codes
    if stream:
        json_body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        return {code: {**_ERRORS[code], "content": json_body} for code in codes}
    return {code: {"model": ErrorOut, **_ERRORS[code]} for code in codes}
