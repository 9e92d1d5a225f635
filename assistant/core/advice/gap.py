"""The gap: each required skill the learner lacks or shows only partly, with the closest evidence.

A requirement counts when its weight reaches ``GapPolicy.min_weight`` (0.2: drops O*NET skills
rated unimportant at a low level, which would otherwise list every generic skill for everyone).
Items whose *base* strength (before the hot/in-demand bonus, see ``requirements``) reaches
``core_weight`` (0.5) are the *core* gap that routes are planned to close: every ESCO essential or
required posting skill, and optional or O*NET skills only when the data rates them highly or
corroborates them, but not ESCO's block of research skills (funding bids, publishing…) unless the goal
is a research role; the other items are shown, ranked by weight, but not planned for.
It is met when the best held skill earns the matcher's ``held_threshold``; otherwise it is a gap
item, ``weak`` when something earned partial credit (a close sibling or broader skill, or a skill the
résumé suggests that the learner has not confirmed yet) and ``missing`` when nothing did. The *need* of
an item, ``weight · (1 − credit)``, is what recommendations and routes try to cover.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from assistant.core.advice.matching import SkillMatch, SkillMatcher
from assistant.core.advice.requirements import WeightedRequirement, WeightedRequirements
from assistant.core.models import GapItem, GapStatus, HeldSkill
from assistant.core.taxonomy import Taxonomy

#: ESCO's research-skills collection (funding bids, publishing, research ethics…): core only for research roles
RESEARCH = "research"
_RESEARCH_ROLE = re.compile(r"\b(?:research|researcher|lecturer|professor|postdoc\w*|academic)\b", re.I)


def research_role(label: str) -> bool:
    """A goal whose own name is a research or teaching-in-academia job ("research scientist", "biology
    lecturer"); a data scientist or an analyst is a practitioner, whatever ESCO's research list says."""
    return bool(_RESEARCH_ROLE.search(label))


@dataclass(frozen=True)
class GapPolicy:
    min_weight: float = 0.2
    core_weight: float = 0.5
    #: the most a skill the résumé only suggests (not yet confirmed) earns: "partly met", never met
    suggested_credit: float = 0.5
    #: this many research skills in a practitioner's core is ESCO's researcher block, not the job
    research_block: int = 5


def need(item: GapItem) -> float:
    """The part of an item's weight still to cover."""
    return item.weight * (1.0 - item.credit)


def readiness_of(gap_weight: float, required_weight: float) -> float:
    """1 − gap need / required weight (1 when the goal requires nothing weighed)."""
    return 1 - gap_weight / required_weight if required_weight else 1.0


class GapAnalysis(BaseModel):
    """Gap items by need (largest first), the requirements already met, and the totals behind shares."""

    model_config = ConfigDict(frozen=True)

    items: tuple[GapItem, ...]
    met: tuple[SkillMatch, ...]
    matches: tuple[SkillMatch, ...]
    required_weight: float
    gap_weight: float
    core: frozenset[str] = frozenset()
    ignored: int = 0

    @property
    def uris(self) -> tuple[str, ...]:
        return tuple(item.skill_uri for item in self.items)

    @property
    def readiness(self) -> float:
        """Share of the required weight already met: the one readiness figure, wherever it is shown."""
        return readiness_of(self.gap_weight, self.required_weight)

    @property
    def core_items(self) -> tuple[GapItem, ...]:
        return tuple(item for item in self.items if item.skill_uri in self.core)

    def match_for(self, skill_uri: str) -> SkillMatch | None:
        return next((m for m in self.matches if m.skill_uri == skill_uri), None)


def analyse_gap(
    requirements: WeightedRequirements,
    held: Sequence[HeldSkill],
    matcher: SkillMatcher,
    policy: GapPolicy = GapPolicy(),
    suggested: Sequence[HeldSkill] = (),
    research_core: bool = True,
    centrality: Mapping[str, float] | None = None,
) -> GapAnalysis:
    """Match every weighty requirement against the held skills and keep what is not met. Skills the résumé
    only ``suggested`` (awaiting the learner's yes) make a requirement they would meet partly met
    (``suggested_credit``), with their line as the evidence: a data analyst whose "SQL" awaits
    confirmation is not told SQL is missing. Items of equal need come in order of ``centrality`` (how central
    each skill is to the job), then by label."""
    considered = [r for r in requirements.linked if r.weight >= policy.min_weight]
    required = [(r.skill_uri, r.label) for r in considered]
    matches = matcher.match(held, required)
    if suggested:
        hints = matcher.match(suggested, required)
        for i, (match, hint) in enumerate(zip(matches, hints, strict=True)):
            partial = policy.suggested_credit  # what the suggestion would meet, were it confirmed
            if matcher.is_met(hint.credit) and partial > match.credit:
                matches[i] = hint.model_copy(update={"credit": partial})
    items: list[GapItem] = []
    met: list[SkillMatch] = []
    for requirement, match in zip(considered, matches, strict=True):
        if matcher.is_met(match.credit):
            met.append(match)
        else:
            items.append(_item(requirement, match))
    central = centrality or {}
    items.sort(key=lambda item: (-need(item), -central.get(item.skill_uri, 0.0), item.label.casefold(), item.skill_uri))
    return GapAnalysis(
        items=tuple(items),
        met=tuple(met),
        matches=tuple(matches),
        required_weight=round(sum(r.weight for r in considered), 6),
        gap_weight=round(sum(need(item) for item in items), 6),
        core=_core(considered, matcher, policy, research_core),
        ignored=len(requirements.linked) - len(considered),
    )


#: the skills of ESCO's research collection that are about research itself; the collection also lists
#: generic ones ("work in teams", "perform project management", "solve problems"), which stay core
_RESEARCH_WORDS = re.compile(
    r"research|scienti|science|academic|publication|disciplin|findable|intellectual property|"
    r"transfer of knowledge|gender dimension",
    re.I,
)


def research_skill(taxonomy: Taxonomy, uri: str) -> bool:
    """A skill of research work itself (funding bids, publishing, research ethics), from ESCO's collection."""
    skill = taxonomy.skills.get(uri)
    return (
        skill is not None
        and RESEARCH in skill.collections
        and bool(_RESEARCH_WORDS.search(skill.preferred_label))
        and not skill.preferred_label.startswith("teach")
    )


def _core(
    considered: Sequence[WeightedRequirement], matcher: SkillMatcher, policy: GapPolicy, research_core: bool
) -> frozenset[str]:
    """Requirements strong enough to plan for; ESCO's block of research skills (attached to every research
    occupation: a data scientist gets twenty) is left out of a practitioner's core, while a lone one that
    the job lists ("perform scientific research" for a software developer) stays."""
    core = [r.skill_uri for r in considered if r.base >= policy.core_weight]
    research = {uri for uri in core if research_skill(matcher.taxonomy, uri)}
    if research_core or len(research) < policy.research_block:
        return frozenset(core)
    return frozenset(uri for uri in core if uri not in research)


def _item(requirement: WeightedRequirement, match: SkillMatch) -> GapItem:
    credit = match.credit
    return GapItem(
        skill_uri=requirement.skill_uri,
        label=requirement.label,
        weight=requirement.weight,
        status=GapStatus.WEAK if credit > 0 else GapStatus.MISSING,
        requirements=requirement.requirements,
        closest=match.evidence if match.held_uri else None,
        credit=credit,
    )
