"""The FastAPI app factory. ``create_app(root)`` takes the wiring root, so tests pass fakes into it as typed
arguments (``Stackwise(settings, taxonomy=..., store=...)``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from assistant import __version__
from assistant.api import errors as errors_table
from assistant.api.body_gate import BodyGate
from assistant.api.errors import first_line
from assistant.api.protection import RateLimitMiddleware
from assistant.api.schemas import Health, Readiness
from assistant.bootstrap import Stackwise
from assistant.core.errors import StackwiseError

log = logging.getLogger(__name__)


def message_without_input(error: Mapping[str, Any]) -> str:
    """Pydantic's message for one field, without the value sent: a few kinds quote it ("Input tag 'Maya
    Okafor, 12 Elm Street' found using 'kind'…"), and it may be a résumé line or not encodable."""
    kind, context = str(error.get("type", "")), error.get("ctx") or {}
    if kind == "union_tag_invalid":
        field, expected = context.get("discriminator", "tag"), context.get("expected_tags", "the known tags")
        return f"the {field} sent is not one of {expected}"
    message, sent = str(error.get("msg", "")), error.get("input")
    if isinstance(sent, str) and sent and sent in message:
        message = message.replace(sent, "…")
    return message


def create_app(root: Stackwise) -> FastAPI:
    """The app over the wiring root (which holds the store, the model and the use cases)."""
    from assistant.api.routes import accounts, briefs, catalog, catalog_health, chat, learners

    # uvicorn has configured its loggers by the time it calls the app factory: their handlers get the filter
    root.install_log_redaction()
    settings = root.settings
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
    app.state.root = root
    # inside the rate limit: JSON bodies are small and must be JSON a reply can carry (uploads are multipart)
    app.add_middleware(BodyGate, max_bytes=settings.max_request_kb * 1024)
    app.add_middleware(
        RateLimitMiddleware,
        limit=settings.rate_limit,
        guest_limit=settings.guest_rate_limit,
        storage=settings.rate_limit_storage,
        known_key=lambda key: root.store.user_by_key(key) is not None,
    )
    for router in (accounts.router, learners.router, chat.router, briefs.router, catalog.router, catalog_health.router):
        app.include_router(router)
    errors_table.install(app)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        """422 with where and what, never the submitted value: it may be a résumé line, or not encodable."""
        problems = [
            {"loc": list(e.get("loc", ())), "msg": message_without_input(e), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=422)

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

    @app.get("/health", response_model=Health, tags=["ops"])
    def health() -> Health:
        """Liveness: the process answers."""
        return Health(version=__version__)

    @app.get("/ready", response_model=Readiness, tags=["ops"], responses={503: {"model": Readiness}})
    def ready(response: Response) -> Readiness:
        """Readiness: taxonomy and catalog load and the database takes writes; says which check failed and why.
        Not ready answers 503, so a load balancer stops sending requests here until it is."""
        checks: dict[str, str] = {}
        for name, load in (("taxonomy", lambda: root.taxonomy), ("catalog", lambda: root.catalog)):
            try:
                load()
                checks[name] = "ok"
            except StackwiseError as exc:
                checks[name] = str(exc).splitlines()[0]
        try:
            checks["storage"] = root.store.problem() or "ok"
        except StackwiseError as exc:
            checks["storage"] = str(exc).splitlines()[0]
        building = root.index_build()
        if building is not None:  # a first start serves the page while its indexes are built
            checks["indexes"] = f"building: {building}"
        readiness = Readiness(ready=all(v == "ok" for v in checks.values()), checks=checks)
        if not readiness.ready:
            response.status_code = 503
        return readiness

    return app


def app_from_settings() -> FastAPI:
    """Factory for ``uvicorn --factory``: the serving root from the environment (one thread per request for the
    model and searches), warmed up (uvicorn listens, and ``/ready`` answers, only once the model and indexes
    are loaded), and the app over it."""
    root = Stackwise.serving()
    try:
        log.info("warmed up in %.1f s: model, indexes and linker loaded", root.warm_up())
    except StackwiseError as exc:  # no indexes yet, say: the first request will name the problem
        log.warning("not warmed up: %s", first_line(exc))
    return create_app(root)
