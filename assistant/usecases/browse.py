"""Browsing the loaded data: the catalog with filters (and what each filter hides), one credential, occupations by
title, one occupation's requirements with wage and growth, the credentials that build toward an occupation with a
route, and counts. Nothing here needs a learner."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from assistant.core.advice import AdviceService
from assistant.core.advice.problem import DEFAULT_HOURS_PER_WEEK, schedule_weeks
from assistant.core.advice.targets import OccupationTarget
from assistant.core.advice.view import AdviceView, compute_view
from assistant.core.catalog import Catalog
from assistant.core.models import (
    Constraints,
    Credential,
    LearnerProfile,
    Occupation,
    OccupationRequirement,
    Projection,
    Wage,
)
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


#: how many occupations' credentials and routes are kept (each is planned once, then served from here)
TOWARD_CACHE_SIZE = 256


@dataclass(frozen=True)
class OccupationFacts:
    occupation: Occupation
    wage: Wage | None
    projection: Projection | None
    requirements: tuple[OccupationRequirement, ...]


@dataclass(frozen=True)
class CredentialToward:
    """A catalog credential that builds toward an occupation: made for it (``relevance.made_for``), or teaching
    its core skills and close enough to it to be planned (the advice's relevance gate)."""

    credential: Credential
    made_for: bool
    #: the occupation's core skills it teaches, (ESCO URI, label), in the order the gap weighs them
    teaches: tuple[tuple[str, str], ...]
    #: the share of the core skills' weight it teaches (0 when it is made for the job but teaches none of them)
    share: float


@dataclass(frozen=True)
class OccupationCredentials:
    """What the catalog offers toward one occupation, for a learner who starts from nothing and states no limits."""

    occupation: Occupation
    credentials: tuple[CredentialToward, ...]
    core_skills: int
    #: the hours a week the routes are planned at: enough for every credential's fixed timetable
    hours_per_week: float
    #: the advice for that learner: its routes (most coverage, cheapest, fastest) and notes
    advice: AdviceView


@dataclass(frozen=True)
class Browse:
    taxonomy: Taxonomy
    catalog: Catalog
    credentials_index: Callable[[], SemanticIndex]
    advice: Callable[[], AdviceService]
    _toward: dict[str, OccupationCredentials] = dataclass_field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def credentials(self, query: CatalogQuery) -> list[Credential]:
        """Credentials passing every filter given; ``words`` must all appear in the title or outcomes."""
        tests = _filters(query).values()
        return [c for c in self.catalog if all(test(c) for test in tests)]

    def hidden_by(self, query: CatalogQuery) -> dict[str, int]:
        """For each filter given (named as :class:`CatalogQuery` names it), how many credentials it alone hides:
        they pass every other filter but not this one, so clearing it would show them. A credential whose price
        is not stated is hidden by a cost limit."""
        tests = _filters(query)
        hidden = {}
        for name, test in tests.items():
            others = [t for other, t in tests.items() if other != name]
            hidden[name] = sum(1 for c in self.catalog if not test(c) and all(t(c) for t in others))
        return hidden

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

    def toward(self, uri: str) -> OccupationCredentials:
        """The catalog's credentials that build toward an occupation, and routes toward it, as the advice works
        them out for a learner with no skills, no credentials and no limits: every credential made for the job,
        then every credential that teaches its core skills and passes the advice's relevance gate (most of the
        core skills' weight first). "No limits" includes time: the learner has the hours a week that every
        credential's fixed timetable needs (at the advice's default of 10, a course meeting 12 hours a week
        would be left out). Worked out once per occupation."""
        occupation = self.taxonomy.occupation(uri)  # NotFoundError for an unknown URI
        known = self._toward.get(uri)
        if known is not None:
            return known
        advice = self.advice()
        hours = self.open_hours()
        nobody = LearnerProfile(constraints=Constraints(hours_per_week=hours))
        target = OccupationTarget(uri=uri)
        problem = advice.prepare(nobody, target).problem
        made_for = advice.fit(uri).made_for
        total = problem.total_need
        rows = []
        for credential in self.catalog:
            candidate = problem.candidates.get(credential.id)
            covers = candidate.covers if candidate is not None else frozenset()
            if credential.id not in made_for and not covers:
                continue
            rows.append(
                CredentialToward(
                    credential,
                    credential.id in made_for,
                    tuple((skill, problem.labels[skill]) for skill in problem.needs if skill in covers),
                    problem.coverage_need([credential.id]) / total if covers and total > 0 else 0.0,
                )
            )
        rows.sort(key=lambda row: (not row.made_for, -row.share))  # stable: catalog order among equals
        view = compute_view(advice, nobody, target)
        found = OccupationCredentials(occupation, tuple(rows), len(problem.needs), hours, view)
        if len(self._toward) >= TOWARD_CACHE_SIZE:
            self._toward.clear()
        self._toward[uri] = found
        return found

    def open_hours(self) -> float:
        """Hours a week at which no credential a learner enrols in is too much for its fixed timetable (at least the
        advice's default): what a learner with no limit on time is planned at. Certificates and degrees completed
        by stacking parts are not enrolled in, so their timetables do not count."""
        destinations = {rule.target_id for c in self.catalog for rule in c.stacks_into}
        loads = [schedule_weeks(c, DEFAULT_HOURS_PER_WEEK)[1] for c in self.catalog if c.id not in destinations]
        return float(max(DEFAULT_HOURS_PER_WEEK, math.ceil(max(loads, default=0.0) - 1e-9)))

    def title_of(self, credential_id: str) -> str:
        """A credential's title, or its id when the catalog does not hold it."""
        return self.catalog.get(credential_id).title if credential_id in self.catalog else credential_id

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


def _filters(query: CatalogQuery) -> dict[str, Callable[[Credential], bool]]:
    """One test per filter the query gives, named as the query names it."""
    tests: dict[str, Callable[[Credential], bool]] = {}
    if query.field is not None:
        tests["field"] = lambda c: c.field == query.field
    if query.kind is not None:
        tests["kind"] = lambda c: c.kind.value == query.kind
    if query.delivery_mode is not None:
        tests["delivery_mode"] = lambda c: c.delivery_mode is not None and c.delivery_mode.value == query.delivery_mode
    if query.max_cost is not None:
        limit = query.max_cost
        tests["max_cost"] = lambda c: c.cost is not None and float(c.cost.amount) <= limit
    words = [w for w in (query.words or "").casefold().split() if w]
    if words:
        tests["words"] = lambda c: all(w in (c.title + " " + " ".join(c.learning_outcomes)).casefold() for w in words)
    return tests
