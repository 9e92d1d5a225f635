"""Catalog health for the staff who run it: duplication, alignment, stacking, demand, coverage, completeness."""

from assistant.core.health.findings import HealthReport
from assistant.core.health.markdown import health_markdown
from assistant.core.health.report import RouteFinder, catalog_health

__all__ = ["HealthReport", "RouteFinder", "catalog_health", "health_markdown"]
