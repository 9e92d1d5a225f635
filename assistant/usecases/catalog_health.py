"""Catalog health for the staff who run the catalog: the report, and its Markdown for a committee.

The checks are in :mod:`assistant.core.health`; this use case binds them to the loaded catalog and taxonomy
and, for coverage, asks the advice service for the cheapest and fastest route a learner with no skills
would get toward each listed occupation, the same planner learners get. Planning every listed
occupation takes about a minute on two cores, so an API request plans for a few seconds and says how many
occupations are left (``routes_pending``); each occupation's routes, and the finished report, are kept.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date

from assistant.core.access import AccessDenied, Principal, can_review_catalog
from assistant.core.advice import AdviceService
from assistant.core.advice.matching import SkillMatcher
from assistant.core.advice.service import AdviceOptions
from assistant.core.advice.targets import OccupationTarget
from assistant.core.health import HealthReport, catalog_health, health_markdown
from assistant.core.health.findings import RouteSummary
from assistant.core.models import LearnerProfile, RouteObjective

OBJECTIVES = (RouteObjective.CHEAPEST, RouteObjective.FASTEST)
REQUEST_BUDGET_S = 2.0  # route planning per API request; the rest is planned by the next request


@dataclass(frozen=True)
class HealthFile:
    filename: str
    content: bytes
    media_type: str


@dataclass
class CatalogHealth:
    advice: AdviceService
    _cache: dict[bool, HealthReport] = field(default_factory=dict, init=False, repr=False)
    _planned: dict[str, tuple[RouteSummary | None, RouteSummary | None]] = field(
        default_factory=dict, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def for_staff(self, caller: Principal, *, routes: bool = True) -> HealthReport:
        """The report, for an administrator, planning routes for at most ``REQUEST_BUDGET_S`` per request."""
        self._staff(caller)
        return self.report(routes=routes, budget_s=REQUEST_BUDGET_S)

    def export(self, caller: Principal, format: str) -> HealthFile:
        """The report as Markdown or PDF, for a curriculum committee."""
        self._staff(caller)
        text = health_markdown(self.report(routes=True, budget_s=REQUEST_BUDGET_S))
        stem = f"catalog-health-{date.today().isoformat()}"
        if format == "pdf":
            from assistant.adapters.pdf_export import markdown_to_pdf

            return HealthFile(f"{stem}.pdf", markdown_to_pdf(text, title="Catalog health"), "application/pdf")
        return HealthFile(f"{stem}.md", text.encode("utf-8"), "text/markdown; charset=utf-8")

    @staticmethod
    def _staff(caller: Principal) -> None:
        if not can_review_catalog(caller):
            raise AccessDenied("Only an administrator can see the catalog's health.")

    def report(self, *, routes: bool = True, budget_s: float | None = None) -> HealthReport:
        """The report for the loaded catalog. ``routes=False`` skips planning; ``budget_s`` bounds the time
        spent planning in this call: occupations left over are counted in ``routes_pending`` and planned by the
        next call (each occupation's routes are kept), so no request waits a minute."""
        with self._lock:
            cached = self._cache.get(routes)
            if cached is not None:
                return cached
            deadline = None if budget_s is None else time.monotonic() + budget_s

            def finder(uri: str) -> tuple[RouteSummary | None, RouteSummary | None] | None:
                if uri not in self._planned:
                    if deadline is not None and time.monotonic() > deadline:
                        return None
                    self._planned[uri] = self._routes(uri)
                return self._planned[uri]

            report = catalog_health(
                self.advice.catalog,
                self.advice.taxonomy,
                SkillMatcher(self.advice.taxonomy),
                routes=finder if routes else None,
            )
            if not report.routes_pending:
                self._cache[routes] = report
            return report

    def markdown(self, *, routes: bool = True) -> str:
        return health_markdown(self.report(routes=routes))

    def _routes(self, occupation_uri: str) -> tuple[RouteSummary | None, RouteSummary | None]:
        result = self.advice.advise(
            LearnerProfile(),
            OccupationTarget(uri=occupation_uri),
            options=AdviceOptions(objectives=OBJECTIVES, max_recommendations=1),
        )
        summaries: dict[RouteObjective, RouteSummary] = {}
        catalog = self.advice.catalog
        for report in result.routes:
            route = report.route
            if not route.steps:
                continue
            ids = tuple(step.credential_id for step in route.steps)
            summaries[route.objective] = RouteSummary(
                objective=route.objective.value,
                credential_ids=ids,
                total_cost=route.total_cost,
                weeks=route.weeks,
                coverage=round(route.coverage, 3),
                unstated=tuple(i for i in ids if catalog.get(i).cost is None or catalog.get(i).workload_hours is None),
            )
        return summaries.get(RouteObjective.CHEAPEST), summaries.get(RouteObjective.FASTEST)


__all__ = ["CatalogHealth", "HealthFile"]
