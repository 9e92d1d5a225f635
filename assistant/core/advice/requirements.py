"""Requirements weighted from the data: one entry per ESCO skill, every source kept for citation.

Why a formula and not a learned score: the advice has to say *why* a skill matters, so each weight is
a short sum of published facts. The base weight ``b`` of one requirement:

==========================  ==============================================================
source                      base weight ``b``
==========================  ==============================================================
ESCO essential              1.0
ESCO optional               0.4
O*NET Skills rating         ((importance − 1) / 4) · (level / 7)   (importance 1–5, level 0–7)
O*NET Technology Skills     0.3
job posting (required)      1.0   (a posting skill marked optional counts as ESCO optional)
==========================  ==============================================================

A skill named by several requirements gets a noisy-OR of its non-technology bases (its *base*
strength), raised by the O*NET demand flags of any technology requirement linked to it::

    base = 1 − Π_{r not technology} (1 − b_r)      (0.3 when only O*NET technology names it)
    w    = base · (1 + 0.25·hot_technology + 0.25·in_demand)                       w ∈ [0, 1.5]

Noisy-OR lets corroboration (optional in ESCO *and* rated by O*NET) raise a weight without any stack
of weak signals outranking one essential skill. Technology examples only add the demand bonus: O*NET
lists the tools *some* workers use, so ESCO's dozens of optional programming languages do not become
required because O*NET flags them hot; they weigh more among the optional skills instead.

Requirements with no ESCO URI (most O*NET technology examples) cannot be compared with ESCO-linked
résumé skills; :func:`weigh` returns them apart so the advice can still name hot technologies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.core.models import OccupationRequirement, RelationType, RequirementSource


@dataclass(frozen=True)
class WeightPolicy:
    """The constants of the formula in the module docstring; change them here, nowhere else."""

    essential: float = 1.0
    optional: float = 0.4
    technology: float = 0.3
    posting: float = 1.0
    hot_bonus: float = 0.25
    in_demand_bonus: float = 0.25

    def base(self, requirement: OccupationRequirement) -> float:
        source = requirement.source
        if source is RequirementSource.ESCO_ESSENTIAL:
            return self.essential
        if source is RequirementSource.ESCO_OPTIONAL:
            return self.optional
        if source is RequirementSource.JOB_POSTING:
            return self.optional if requirement.relation is RelationType.OPTIONAL else self.posting
        if source is RequirementSource.ONET_SKILL:
            if requirement.importance is None or requirement.level is None:
                return 0.0
            return ((requirement.importance - 1) / 4) * (requirement.level / 7)
        return self.technology


@dataclass(frozen=True)
class WeightedRequirement:
    """One ESCO skill the target requires: its weight and every requirement that names it."""

    skill_uri: str
    label: str
    weight: float
    base: float
    hot_technology: bool
    in_demand: bool
    requirements: tuple[OccupationRequirement, ...]

    @property
    def sources(self) -> frozenset[RequirementSource]:
        return frozenset(r.source for r in self.requirements)

    @property
    def essential(self) -> bool:
        return any(
            r.source is RequirementSource.ESCO_ESSENTIAL
            or (r.source is RequirementSource.JOB_POSTING and r.relation is not RelationType.OPTIONAL)
            for r in self.requirements
        )


@dataclass(frozen=True)
class WeightedRequirements:
    """Linked requirements, heaviest first, and the ones no ESCO skill is linked to."""

    linked: tuple[WeightedRequirement, ...]
    unlinked: tuple[OccupationRequirement, ...]

    def by_uri(self) -> dict[str, WeightedRequirement]:
        return {r.skill_uri: r for r in self.linked}

    @property
    def hot_unlinked(self) -> tuple[str, ...]:
        """Labels of hot or in-demand technologies that could not be linked to ESCO, in data order."""
        seen: dict[str, None] = {}
        for r in self.unlinked:
            if r.source is RequirementSource.ONET_TECHNOLOGY and (r.hot_technology or r.in_demand):
                seen.setdefault(r.label, None)
        return tuple(seen)


def weigh(
    requirements: Iterable[OccupationRequirement],
    policy: WeightPolicy = WeightPolicy(),
    label_of: Callable[[str], str] | None = None,
) -> WeightedRequirements:
    """Merge requirements by ESCO URI and weight them (formula in the module docstring).

    ``label_of`` gives a URI's ESCO preferred label (``Taxonomy.label_of``); without it, or when it
    does not know the URI, the label of the first ESCO or posting requirement is used, since O*NET
    element names ("Critical Thinking") are not ESCO's.
    """
    grouped: dict[str, list[OccupationRequirement]] = {}
    unlinked: list[OccupationRequirement] = []
    for requirement in requirements:
        if requirement.skill_uri is None:
            unlinked.append(requirement)
        else:
            grouped.setdefault(requirement.skill_uri, []).append(requirement)
    linked = [_merge(uri, items, policy, label_of) for uri, items in grouped.items()]
    linked.sort(key=lambda r: (-r.weight, r.label.casefold(), r.skill_uri))
    return WeightedRequirements(tuple(linked), tuple(unlinked))


def _merge(
    uri: str, items: list[OccupationRequirement], policy: WeightPolicy, label_of: Callable[[str], str] | None
) -> WeightedRequirement:
    miss = 1.0
    rated = [r for r in items if r.source is not RequirementSource.ONET_TECHNOLOGY]
    for requirement in rated:
        miss *= 1.0 - min(1.0, max(0.0, policy.base(requirement)))
    base = 1.0 - miss if rated else policy.technology
    hot = any(r.hot_technology for r in items)
    demand = any(r.in_demand for r in items)
    weight = base * (1 + policy.hot_bonus * hot + policy.in_demand_bonus * demand)
    return WeightedRequirement(
        skill_uri=uri,
        label=_label(uri, items, label_of),
        weight=round(weight, 6),
        base=round(base, 6),
        hot_technology=hot,
        in_demand=demand,
        requirements=tuple(items),
    )


def _label(uri: str, items: list[OccupationRequirement], label_of: Callable[[str], str] | None) -> str:
    known = label_of(uri) if label_of is not None else uri
    if known != uri:
        return known
    for requirement in items:
        if requirement.source in (
            RequirementSource.ESCO_ESSENTIAL,
            RequirementSource.ESCO_OPTIONAL,
            RequirementSource.JOB_POSTING,
        ):
            return requirement.label
    return items[0].label
