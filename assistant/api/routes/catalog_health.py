"""Catalog health for administrators: the report (stable JSON keys) and its Markdown or PDF export.

Each route reads its input, calls :class:`~assistant.usecases.catalog_health.CatalogHealth` and shapes the
answer; who may see it is the use case's rule.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from assistant.api.deps import App, Caller
from assistant.api.schemas import errors
from assistant.core.health import HealthReport

router = APIRouter(prefix="/v1", tags=["catalog health"])


@router.get("/catalog-health", response_model=HealthReport, responses=errors(401, 403, 429))
def catalog_health(
    app: App, caller: Caller, routes: bool = Query(True, description="plan each listed occupation's routes")
) -> HealthReport:
    """Near-duplicates, credentials with no useful skills, stacking problems, in-demand skills not taught,
    coverage of the occupations the catalog prepares for, and the EU Annex I elements records lack."""
    return app.catalog_health.for_staff(caller, routes=routes)


@router.get(
    "/catalog-health/export",
    responses={
        200: {"content": {"text/markdown": {}, "application/pdf": {}}, "description": "the report as a file"},
        **errors(401, 403, 429),
    },
)
def export_catalog_health(app: App, caller: Caller, format: str = Query("md", pattern="^(md|pdf)$")) -> Response:
    """The report as Markdown or PDF, for a curriculum committee."""
    exported = app.catalog_health.export(caller, "pdf" if format == "pdf" else "md")
    disposition = {"Content-Disposition": f'attachment; filename="{exported.filename}"'}
    return Response(exported.content, media_type=exported.media_type, headers=disposition)
