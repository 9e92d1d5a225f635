"""Browsing the loaded data: the catalog with filters, one credential, occupations by title, one occupation's
requirements with wage and growth, and counts. Nothing here needs a learner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.core.catalog import Catalog
from assistant.core.models import Credential, Occupation, OccupationRequirement, Projection, Wage
from assistant.core.ports import CREDENTIAL, SemanticIndex
from assistant.core.search import OccupationMatch, SkillMatch, search_occupations, search_skills
from assistant.core.taxonomy import Taxonomy


@dataclass(frozen=True)
class CatalogQuery:
    field: str | None = None
    kind: str | None = None
    delivery_mode: str | None = None
    max_cost: float | None = None
    words: str | None = None


@dataclass(frozen=True)
class OccupationFacts:
    occupation: Occupation
    wage: Wage | None
    projection: Projection | None
    requirements: tuple[OccupationRequirement, ...]


@dataclass(frozen=True)
class Browse:
    taxonomy: Taxonomy
    catalog: Catalog
    credentials_index: Callable[[], SemanticIndex]

    def credentials(self, query: CatalogQuery) -> list[Credential]:
        """Credentials passing every filter given; ``words`` must all appear in the title or outcomes."""
        words = [w for w in (query.words or "").casefold().split() if w]
        return [
            c
            for c in self.catalog
            if (query.field is None or c.field == query.field)
            and (query.kind is None or c.kind.value == query.kind)
            and (
                query.delivery_mode is None
                or (c.delivery_mode is not None and c.delivery_mode.value == query.delivery_mode)
            )
            and (query.max_cost is None or (c.cost is not None and float(c.cost.amount) <= query.max_cost))
            and all(w in (c.title + " " + " ".join(c.learning_outcomes)).casefold() for w in words)
        ]

    def credential(self, credential_id: str) -> Credential:
        return self.catalog.get(credential_id)

    def skill_label(self, uri: str) -> str:
        return self.taxonomy.label_of(uri)

    def skills(self, typed: str, limit: int) -> list[SkillMatch]:
        """Skills whose labels hold the words typed (autocomplete): ESCO labels and O*NET technologies."""
        return search_skills(self.taxonomy, typed, limit=limit)

    def occupations(self, title: str, limit: int) -> list[OccupationMatch]:
        """Occupations whose ESCO labels best match the words of a job title."""
        return search_occupations(self.taxonomy, title, limit=limit)

    def occupation(self, uri: str) -> OccupationFacts:
        """An occupation's requirements with their sources, wage and projected growth."""
        occupation = self.taxonomy.occupation(uri)
        return OccupationFacts(
            occupation,
            self.taxonomy.wage_for(uri),
            self.taxonomy.projection_for(uri),
            tuple(self.taxonomy.requirements_for(uri)),
        )

    def search_credentials(self, query: str, limit: int = 5) -> list[str]:
        """Credential ids about ``query`` by meaning: the ones about as good as the best, not the tail."""
        hits = self.credentials_index().search([query], k=limit, kinds=(CREDENTIAL,))[0]
        if not hits:
            return []
        floor = max(0.35, hits[0].score - 0.12)
        return [hit.key for hit in hits if hit.score >= floor]

    def stats(self) -> dict[str, Any]:
        """Counts computed from the loaded data (what `stackwise data stats` prints)."""
        catalog = self.catalog
        return {
            **self.taxonomy.stats(),
            "credentials": len(catalog),
            "micro_credentials": len(catalog.micro_credentials()),
            "stack_destinations": len(catalog.stack_destinations()),
            "catalog_fields": len(catalog.by_field()),
            "releases": dict(self.taxonomy.releases),
        }
