"""What the learner aims at: an occupation by name, a pasted job posting, or 'explore'.

An occupation title is normalised to an ESCO occupation by the lexical search (exact labels always
win) and, when a :class:`TitleSearch` port is given, by meaning as well (the occupations index);
the best score across both picks it, and the runners-up are kept so the advice can say what else
the title could have meant. A posting is the skills extracted from it, each a requirement citing
its line. Explore ranks occupations for the profile (see :func:`explore_occupations`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.core.advice.matching import SkillMatcher
from assistant.core.errors import GoalUnclearError, NotFoundError
from assistant.core.goals import GoalResolver
from assistant.core.models import (
    Evidence,
    HeldSkill,
    OccupationRequirement,
    RelationType,
    RequirementSource,
)
from assistant.core.ports import OCCUPATION, ONET_OCCUPATION, SemanticIndex
from assistant.core.taxonomy import Taxonomy

POSTING_URN = "urn:stackwise:job-posting:"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OccupationTarget(_Frozen):
    """An occupation by title (normalised) or by ESCO URI."""

    kind: Literal["occupation"] = "occupation"
    title: str | None = None
    uri: str | None = None

    @model_validator(mode="after")
    def _one_given(self) -> OccupationTarget:
        if not (self.title and self.title.strip()) and not self.uri:
            raise ValueError("give an occupation title or URI")
        return self


class PostingSkill(_Frozen):
    """A skill extracted from a job posting; ``required=False`` for 'nice to have' lines."""

    skill_uri: str
    label: str
    required: bool = True
    evidence: Evidence | None = None


class PostingTarget(_Frozen):
    kind: Literal["posting"] = "posting"
    title: str | None = None
    skills: tuple[PostingSkill, ...] = Field(min_length=1)


class ExploreTarget(_Frozen):
    kind: Literal["explore"] = "explore"
    limit: int = Field(default=10, ge=1, le=100)


TargetSpec = Annotated[OccupationTarget | PostingTarget | ExploreTarget, Field(discriminator="kind")]


class TitleCandidate(_Frozen):
    occupation_uri: str
    label: str
    score: float
    source: str = "lexical"
    matched: str = ""


@runtime_checkable
class TitleSearch(Protocol):
    """Occupations whose titles mean what ``title`` means, best first."""

    def search_titles(self, title: str, k: int = 10) -> Sequence[TitleCandidate]: ...


class IndexTitleSearch:
    """A :class:`TitleSearch` over the ``occupations`` part of the vector index.

    O*NET-title hits are mapped to the ESCO occupations the crosswalk links to that O*NET code.
    """

    def __init__(self, index: SemanticIndex, taxonomy: Taxonomy) -> None:
        self._index = index
        self._taxonomy = taxonomy

    def search_titles(self, title: str, k: int = 10) -> list[TitleCandidate]:
        hits = self._index.search([title], k=k, kinds=(OCCUPATION, ONET_OCCUPATION))[0]
        by_code = self._taxonomy.occupations_by_onet
        out: dict[str, TitleCandidate] = {}
        for hit in hits:
            uris = [hit.key] if hit.kind == OCCUPATION else sorted(by_code.get(hit.key, ()))
            for uri in uris:
                if uri in self._taxonomy.occupations and uri not in out:
                    label = self._taxonomy.occupations[uri].preferred_label
                    out[uri] = TitleCandidate(
                        occupation_uri=uri, label=label, score=hit.score, source="semantic", matched=hit.text
                    )
        return sorted(out.values(), key=lambda c: -c.score)[:k]


class _RankedTitle(Protocol):
    @property
    def uri(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def matched(self) -> str: ...


class _TitleRanker(Protocol):
    def rank(self, titles: Sequence[str], k: int = 10) -> Sequence[Sequence[_RankedTitle]]: ...


class RankerTitleSearch:
    """A :class:`TitleSearch` over a title ranker such as ``assistant.core.titles.TitleNormalizer``.

    Its fused score (meaning plus a share of the word overlap) is used as is, so it outranks the
    plain lexical score whenever it finds the occupation at all.
    """

    def __init__(self, ranker: _TitleRanker) -> None:
        self._ranker = ranker

    def search_titles(self, title: str, k: int = 10) -> list[TitleCandidate]:
        ranked = self._ranker.rank([title], k)
        return [
            TitleCandidate(occupation_uri=m.uri, label=m.label, score=m.score, source="semantic", matched=m.matched)
            for m in (ranked[0] if ranked else ())
        ]


class ResolvedTarget(_Frozen):
    """The target as understood, with the alternatives it was chosen over."""

    kind: Literal["occupation", "posting", "explore"]
    label: str
    occupation_uri: str | None = None
    matched_label: str | None = None
    score: float | None = None
    alternatives: tuple[TitleCandidate, ...] = ()
    reasons: tuple[str, ...] = ()


#: words that mark a posting line as a wish rather than a requirement
OPTIONAL_MARKERS = ("nice to have", "preferred", "a plus", "bonus", "desirable")


def is_optional_line(text: str) -> bool:
    """A posting line that asks for a skill as a plus ("Tableau is a plus"), not a requirement."""
    folded = text.casefold()
    return any(marker in folded for marker in OPTIONAL_MARKERS)


def resolve_occupation(
    taxonomy: Taxonomy, target: OccupationTarget, title_search: TitleSearch | None = None, k: int = 5
) -> ResolvedTarget:
    """One ESCO occupation for a title, through the goal resolver (:mod:`assistant.core.goals`).

    Raises NotFoundError when nothing is close and GoalUnclearError (with the options) when the words
    name several jobs or a field: a title is never switched to a neighbour silently.
    """
    if target.uri:
        occupation = taxonomy.occupation(target.uri)
        return ResolvedTarget(
            kind="occupation",
            label=occupation.preferred_label,
            occupation_uri=occupation.uri,
            matched_label=occupation.preferred_label,
            score=1.0,
            reasons=(f"ESCO occupation given by URI: {occupation.preferred_label}",),
        )
    title = (target.title or "").strip()
    answer = GoalResolver(taxonomy, title_search).resolve(title)
    if answer.status == "not_found" or (answer.status == "resolved" and answer.occupation is None):
        raise NotFoundError(f"no ESCO occupation matches the title {title!r}. {answer.note} Try another wording.")
    if answer.status == "clarify":
        options = [(o.uri, o.label, o.facts) for o in answer.options]
        raise GoalUnclearError(answer.phrase or title, options, answer.note, answer.field)
    assert answer.occupation is not None
    return ResolvedTarget(
        kind="occupation",
        label=answer.occupation.label,
        occupation_uri=answer.occupation.uri,
        matched_label=answer.phrase,
        score=1.0,
        reasons=(answer.note,) if answer.note else (),
    )


def posting_requirements(target: PostingTarget) -> tuple[ResolvedTarget, list[OccupationRequirement]]:
    """Each extracted skill becomes a JOB_POSTING requirement that cites its line of the posting."""
    digest = hashlib.sha1(  # noqa: S324 - a stable name for the posting, not security
        "|".join(sorted(s.skill_uri for s in target.skills)).encode()
    ).hexdigest()[:12]
    urn = POSTING_URN + digest
    name = target.title or "job posting"
    requirements = []
    for skill in target.skills:
        where = ""
        if skill.evidence is not None:
            line = f" line {skill.evidence.line_no}" if skill.evidence.line_no else ""
            where = f",{line}: '{skill.evidence.text}'"
        requirements.append(
            OccupationRequirement(
                occupation_uri=urn,
                source=RequirementSource.JOB_POSTING,
                label=skill.label,
                skill_uri=skill.skill_uri,
                relation=RelationType.ESSENTIAL if skill.required else RelationType.OPTIONAL,
                citation=f"{name}{where}",
            )
        )
    resolved = ResolvedTarget(
        kind="posting",
        label=name,
        occupation_uri=None,
        reasons=(f"{len(target.skills)} skills extracted from the posting are the requirements",),
    )
    return resolved, requirements


# -- explore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplorePolicy:
    """Weights of the explore score; each component is in [0, 1] (see :func:`explore_occupations`)."""

    overlap: float = 0.45
    reachable: float = 0.15
    growth: float = 0.12
    openings: float = 0.08
    hot: float = 0.08
    wage: float = 0.12
    optional_weight: float = 0.4
    min_met: int = 2


class OccupationOption(_Frozen):
    occupation_uri: str
    label: str
    score: float
    components: Mapping[str, float]
    met_essential: tuple[str, ...] = ()
    essential_count: int = 0
    reasons: tuple[str, ...] = ()


def held_credit(held: Sequence[HeldSkill], matcher: SkillMatcher) -> dict[str, tuple[float, HeldSkill]]:
    """Every skill the held ones earn credit toward by the ESCO structure (the concept, its hierarchy and
    relations; meaning is left out, to keep a scan of thousands of occupations fast), with the best credit
    and the first held skill that gives it."""
    credit: dict[str, tuple[float, HeldSkill]] = {}
    for skill in held:
        for uri, (value, _kind) in matcher.neighbourhood(skill.skill_uri).items():
            if value > (credit[uri][0] if uri in credit else 0.0):
                credit[uri] = (value, skill)
    return credit


def explore_occupations(
    taxonomy: Taxonomy,
    held: Sequence[HeldSkill],
    matcher: SkillMatcher,
    *,
    catalog_skills: Collection[str] | None = None,
    limit: int = 10,
    policy: ExplorePolicy = ExplorePolicy(),
) -> list[OccupationOption]:
    """Rank occupations for a profile by skill overlap, reachability, demand and wage, and say why.

    Components, each in [0, 1]: ``overlap`` = Σ weight·credit / Σ weight over the ESCO requirements
    (essential 1, optional 0.4; credit from the ESCO hierarchy and relations — meaning is left out
    here to keep a scan of thousands of occupations fast); ``reachable`` = share of essential
    skills either met or taught by the catalog; ``growth`` = BLS 2020–30 change, −5 % → 0 and
    +30 % → 1; ``openings`` = log(1 + annual openings, thousands) / log(301); ``hot`` = O*NET hot
    technologies / 25; ``wage`` = (median − 25k) / 125k USD. Score = the policy-weighted mean, with
    overlap divided by the best candidate's overlap so that fit and demand are on one scale.
    Candidates are occupations with at least ``min_met`` requirements met (1 if none has).
    """
    credit = {uri: value for uri, (value, _) in held_credit(held, matcher).items()}
    threshold = matcher.policy.held_threshold
    met_uris = [uri for uri, value in credit.items() if value >= threshold]
    counts: dict[str, int] = {}
    for uri in met_uris:
        for occupation_uri in set(taxonomy.occupations_requiring(uri)):
            if occupation_uri not in taxonomy.occupations:
                continue  # a relation to an occupation the bundle does not carry (e.g. a retired concept)
            counts[occupation_uri] = counts.get(occupation_uri, 0) + 1
    minimum = policy.min_met if any(n >= policy.min_met for n in counts.values()) else 1
    candidates = [uri for uri, n in counts.items() if n >= minimum]
    catalog_set = frozenset(catalog_skills) if catalog_skills is not None else None
    options = [_option(taxonomy, uri, credit, threshold, catalog_set, policy) for uri in candidates]
    best_overlap = max((o.components["overlap"] for o in options), default=0.0) or 1.0
    options = [o.model_copy(update={"score": _score(o.components, best_overlap, policy)}) for o in options]
    options.sort(key=lambda o: (-o.score, o.label))
    return options[:limit]


def _score(components: Mapping[str, float], best_overlap: float, policy: ExplorePolicy) -> float:
    """Policy-weighted mean of the components, overlap taken relative to the best candidate's."""
    weights = {
        "overlap": policy.overlap,
        "reachable": policy.reachable,
        "growth": policy.growth,
        "openings": policy.openings,
        "hot": policy.hot,
        "wage": policy.wage,
    }
    values = {**components, "overlap": components["overlap"] / best_overlap}
    used = [name for name in weights if name in values]
    return round(sum(weights[n] * values[n] for n in used) / sum(weights[n] for n in used), 4)


def _option(
    taxonomy: Taxonomy,
    uri: str,
    credit: Mapping[str, float],
    threshold: float,
    catalog_skills: frozenset[str] | None,
    policy: ExplorePolicy,
) -> OccupationOption:
    occupation = taxonomy.occupations[uri]
    total = got = 0.0
    essential: list[str] = []
    met_essential: list[str] = []
    reachable = 0
    for relation in taxonomy.relations_for(uri):
        weight = 1.0 if relation.relation is RelationType.ESSENTIAL else policy.optional_weight
        value = credit.get(relation.skill_uri, 0.0)
        total += weight
        got += weight * value
        if relation.relation is RelationType.ESSENTIAL:
            essential.append(relation.skill_uri)
            if value >= threshold:
                met_essential.append(taxonomy.label_of(relation.skill_uri))
                reachable += 1
            elif catalog_skills is not None and relation.skill_uri in catalog_skills:
                reachable += 1
    components: dict[str, float] = {"overlap": got / total if total else 0.0}
    if catalog_skills is not None:
        components["reachable"] = reachable / len(essential) if essential else 0.0
    projection = taxonomy.projection_for(uri)
    wage = taxonomy.wage_for(uri)
    hot = _hot_counts(taxonomy).get(occupation.onet_codes[0], 0) if occupation.onet_codes else 0
    growth = projection.change_pct if projection and projection.change_pct is not None else None
    openings = projection.annual_openings if projection and projection.annual_openings is not None else None
    median = wage.annual_median if wage and wage.annual_median is not None else None
    components["growth"] = _clip((growth + 5) / 35) if growth is not None else 0.0
    components["openings"] = _clip(math.log1p(max(openings, 0.0)) / math.log1p(300)) if openings is not None else 0.0
    components["hot"] = _clip(hot / 25)
    components["wage"] = _clip((median - 25_000) / 125_000) if median is not None else 0.0
    reasons = [
        f"you already show {len(met_essential)} of its {len(essential)} essential skills"
        + (f" ({', '.join(met_essential[:4])})" if met_essential else "")
        + f"; weighted skill overlap {components['overlap']:.0%}"
    ]
    if catalog_skills is not None and essential:
        taught = reachable - len(met_essential)
        reasons.append(
            f"the catalog teaches {taught} of the {len(essential) - len(met_essential)} essential skills left"
        )
    if projection is not None and growth is not None:
        opening_text = f", {openings * 1000:,.0f} openings a year" if openings is not None else ""
        reasons.append(f"BLS projects {growth:+.1f}% employment 2020–30{opening_text} ({projection.title})")
    if median is not None and wage is not None:
        reasons.append(f"median annual wage ${median:,.0f} ({wage.release or 'BLS OEWS'}, {wage.title})")
    if hot:
        reasons.append(f"O*NET lists {hot} hot technologies for it")
    if projection is None and wage is None:
        reasons.append("no US labour-market data is mapped to it")
    return OccupationOption(
        occupation_uri=uri,
        label=occupation.preferred_label,
        score=0.0,
        components={k: round(v, 4) for k, v in components.items()},
        met_essential=tuple(met_essential),
        essential_count=len(essential),
        reasons=tuple(reasons),
    )


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


@lru_cache(maxsize=4)
def _hot_counts(taxonomy: Taxonomy) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for tech in taxonomy.onet_technologies:
        if tech.hot_technology:
            counts[tech.onet_code] = counts.get(tech.onet_code, 0) + 1
    return counts


__all__ = [
    "ExplorePolicy",
    "ExploreTarget",
    "IndexTitleSearch",
    "OccupationOption",
    "OccupationTarget",
    "PostingSkill",
    "PostingTarget",
    "RankerTitleSearch",
    "ResolvedTarget",
    "TargetSpec",
    "TitleCandidate",
    "TitleSearch",
    "explore_occupations",
    "posting_requirements",
    "resolve_occupation",
]
