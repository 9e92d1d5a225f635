"""The FastAPI app factory. ``create_app(service)`` takes a built service so tests swap data freely."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from assistant import __version__
from assistant.api.context import ApiContext
from assistant.api.protection import RateLimitMiddleware
from assistant.api.schemas import (
    CredentialDetail,
    CredentialPage,
    CredentialSummary,
    Health,
    OccupationDetail,
    OccupationHit,
    Readiness,
    Requirement,
    SkillRef,
    errors,
)
from assistant.bootstrap import Stackwise, build_service
from assistant.core.dialogue import LanguageModel
from assistant.core.errors import NotFoundError, StackwiseError
from assistant.core.models import Credential
from assistant.core.search import search_occupations
from assistant.core.store import Store


def _summary(credential: Credential) -> CredentialSummary:
    return CredentialSummary(
        id=credential.id,
        title=credential.title,
        kind=credential.kind.value,
        field=credential.field,
        eqf_level=credential.eqf_level,
        workload_hours=credential.workload_hours,
        ects=credential.ects,
        cost=credential.cost.amount,
        currency=credential.cost.currency,
        duration_weeks=credential.duration_weeks,
        delivery_mode=credential.delivery_mode.value,
        language=credential.language,
        url=credential.url,
        stacks_into=[rule.target_id for rule in credential.stacks_into],
        prerequisites=sorted(credential.prerequisite_ids),
    )


def create_app(service: Stackwise, store: Store | None = None, llm: LanguageModel | None = None) -> FastAPI:
    """The app over a built service; ``store`` defaults to the settings' database, ``llm`` to none."""
    from assistant.adapters.logging_redaction import install_redaction
    from assistant.api.routes import accounts, briefs, chat, learners

    # uvicorn has configured its loggers by the time it calls the app factory: their handlers get the filter
    install_redaction()
    settings = service.settings
    if store is None:
        from assistant.adapters.storage import SqlStore

        settings.state_dir.mkdir(parents=True, exist_ok=True)
        store = SqlStore(settings.database)
    upload_limit = int(settings.max_upload_mb * 1024 * 1024) + 64 * 1024
    app = FastAPI(
        title="Stackwise API",
        version=__version__,
        description=(
            "Skills-gap analysis against ESCO/O*NET and stackable micro-credentials from the catalog, "
            "with a grounded advising conversation. Authenticate with an API key as a bearer token "
            "(`Authorization: Bearer <key>`) or the `X-API-Key` header; `POST /v1/auth/guest` issues a learner key."
        ),
        max_body_size=upload_limit,
    )
    app.state.context = ApiContext(service=service, store=store, llm=llm)
    app.add_middleware(RateLimitMiddleware, limit=settings.rate_limit, guest_limit=settings.guest_rate_limit)
    for router in (accounts.router, learners.router, chat.router, briefs.router):
        app.include_router(router)

    @app.middleware("http")
    async def json_body_limit(request: Request, call_next):  # type: ignore[no-untyped-def]
        """JSON bodies are small; only uploads (multipart) may use the larger upload limit."""
        length = request.headers.get("content-length")
        kind = request.headers.get("content-type", "")
        too_big = length is not None and length.isdigit() and int(length) > settings.max_request_kb * 1024
        if too_big and not kind.startswith("multipart/"):
            return JSONResponse({"detail": f"Request body larger than {settings.max_request_kb} KB."}, status_code=413)
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """A 405 names every method the path has (Starlette names only those of the first route matching it)."""
        if exc.status_code == 405:
            methods = {
                method.upper()
                for path, operations in app.openapi()["paths"].items()
                if compile_path(path)[0].match(request.url.path)
                for method in operations
            }
            exc.headers = {**(exc.headers or {}), "Allow": ", ".join(sorted(methods))}
        return await http_exception_handler(request, exc)

    @app.exception_handler(StackwiseError)
    async def stackwise_error(request: Request, exc: StackwiseError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFoundError) else 422
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=status)

    @app.get("/health", response_model=Health, tags=["ops"])
    def health() -> Health:
        """Liveness: the process answers."""
        return Health(version=__version__)

    @app.get("/ready", response_model=Readiness, tags=["ops"])
    def ready() -> Readiness:
        """Readiness: taxonomy and catalog load; says which check failed and why."""
        checks: dict[str, str] = {}
        for name, load in (("taxonomy", lambda: service.taxonomy), ("catalog", lambda: service.catalog)):
            try:
                load()
                checks[name] = "ok"
            except StackwiseError as exc:
                checks[name] = str(exc).splitlines()[0]
        return Readiness(ready=all(v == "ok" for v in checks.values()), checks=checks)

    @app.get("/v1/stats", tags=["data"], responses=errors(429))
    def stats() -> dict[str, object]:
        """Counts computed from the loaded taxonomy and catalog."""
        return service.stats()

    @app.get("/v1/catalog", response_model=CredentialPage, tags=["catalog"], responses=errors(422, 429))
    def list_catalog(
        field: Annotated[str | None, Query(description="e.g. data-it, health-care")] = None,
        kind: str | None = None,
        delivery_mode: str | None = None,
        max_cost: Annotated[float | None, Query(ge=0)] = None,
        q: Annotated[str | None, Query(max_length=200, description="words in title or outcomes")] = None,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> CredentialPage:
        """Browse the catalog with simple filters."""
        words = [w for w in (q or "").casefold().split() if w]
        items = [
            c
            for c in service.catalog
            if (field is None or c.field == field)
            and (kind is None or c.kind.value == kind)
            and (delivery_mode is None or c.delivery_mode.value == delivery_mode)
            and (max_cost is None or float(c.cost.amount) <= max_cost)
            and all(w in (c.title + " " + " ".join(c.learning_outcomes)).casefold() for w in words)
        ]
        return CredentialPage(total=len(items), items=[_summary(c) for c in items[offset : offset + limit]])

    @app.get(
        "/v1/catalog/{credential_id}",
        response_model=CredentialDetail,
        tags=["catalog"],
        responses=errors(404, 422, 429),
    )
    def get_credential(credential_id: str) -> CredentialDetail:
        try:
            credential = service.catalog.get(credential_id)
        except NotFoundError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        taxonomy = service.taxonomy
        return CredentialDetail(
            **_summary(credential).model_dump(),
            awarding_body=credential.awarding_body,
            country=credential.country,
            learning_outcomes=list(credential.learning_outcomes),
            assessment=credential.assessment.value,
            pacing=credential.pacing.value,
            quality_assurance=credential.quality_assurance,
            skills=[SkillRef(uri=s.uri, label=taxonomy.label_of(s.uri)) for s in credential.skills],
            description=credential.description,
        )

    @app.get("/v1/occupations", response_model=list[OccupationHit], tags=["taxonomy"], responses=errors(422, 429))
    def find_occupations(
        q: Annotated[str, Query(min_length=1, max_length=200, description="a job title")],
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> list[OccupationHit]:
        """Occupations whose ESCO labels best match the words of a job title."""
        hits = search_occupations(service.taxonomy, q, limit=limit)
        return [
            OccupationHit(
                uri=h.occupation.uri,
                label=h.occupation.preferred_label,
                isco_group=h.occupation.isco_group,
                matched_label=h.matched_label,
                score=round(h.score, 4),
                onet_codes=list(h.occupation.onet_codes),
            )
            for h in hits
        ]

    @app.get(
        "/v1/occupations/detail",
        response_model=OccupationDetail,
        tags=["taxonomy"],
        responses=errors(404, 422, 429),
    )
    def occupation_detail(uri: Annotated[str, Query(description="ESCO occupation URI")]) -> OccupationDetail:
        """An occupation's requirements with their sources, wage and projected growth."""
        taxonomy = service.taxonomy
        try:
            occupation = taxonomy.occupation(uri)
        except NotFoundError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        wage = taxonomy.wage_for(uri)
        projection = taxonomy.projection_for(uri)
        return OccupationDetail(
            uri=uri,
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
                for r in taxonomy.requirements_for(uri)
            ],
        )

    return app


def app_from_settings() -> FastAPI:
    """Factory for ``uvicorn --factory``: builds the service, store and language model from the environment."""
    service = build_service()
    return create_app(service, llm=service.language_model())
