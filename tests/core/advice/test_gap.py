"""The gap lists what is missing or weak, with its weight, sources and closest evidence."""

from __future__ import annotations

from assistant.core.advice import GapAnalysis, GapPolicy, SkillMatcher, analyse_gap, need, weigh
from assistant.core.models import GapStatus
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import CLEAN, DA, EXCEL, PY, QUERY, SQL, STAT_TECH, STATS, THINK, held


def _gap(
    taxonomy: Taxonomy, matcher: SkillMatcher, *skills: tuple[str, str], policy: GapPolicy | None = None
) -> GapAnalysis:
    weighted = weigh(taxonomy.requirements_for(DA), label_of=taxonomy.label_of)
    return analyse_gap(
        weighted,
        [held(uri, label, line=n + 1) for n, (uri, label) in enumerate(skills)],
        matcher,
        policy or GapPolicy(),
    )


def test_held_skills_are_not_in_the_gap(tiny_taxonomy: Taxonomy, matcher: SkillMatcher) -> None:
    gap = _gap(tiny_taxonomy, matcher, (PY, "Python (computer programming)"), (SQL, "SQL"))
    assert PY not in gap.uris
    assert QUERY not in gap.uris  # SQL is a narrower skill of query languages
    assert {m.skill_uri for m in gap.met} == {PY, QUERY}


def test_items_carry_weight_sources_status_and_closest(tiny_taxonomy: Taxonomy, matcher: SkillMatcher) -> None:
    gap = _gap(tiny_taxonomy, matcher, (STATS, "statistics"))
    by_uri = {item.skill_uri: item for item in gap.items}
    weak = by_uri[STAT_TECH]
    assert weak.status is GapStatus.WEAK and weak.credit == 0.5
    assert weak.closest is not None and weak.closest.line_no == 1
    missing = by_uri[CLEAN]
    assert missing.status is GapStatus.MISSING and missing.closest is None
    assert missing.requirements[0].citation.startswith("ESCO v1.1.1: data analyst")


def test_sorted_by_need_and_light_requirements_dropped(tiny_taxonomy: Taxonomy, matcher: SkillMatcher) -> None:
    gap = _gap(tiny_taxonomy, matcher, policy=GapPolicy(min_weight=0.45))
    needs = [need(item) for item in gap.items]
    assert needs == sorted(needs, reverse=True)
    assert EXCEL not in gap.uris and gap.ignored >= 1  # optional 0.4 is below the bar
    assert THINK in gap.uris  # O*NET critical thinking, 0.48
    assert gap.gap_weight == round(sum(needs), 6)


def test_equally_needed_skills_come_most_central_first(tiny_taxonomy: Taxonomy, matcher: SkillMatcher) -> None:
    """A head chef's gap opened with "assist customers" (alphabetical among equal weights); the skills most
    central to the job lead instead, and the label only breaks what centrality leaves tied."""
    weighted = weigh(tiny_taxonomy.requirements_for(DA), label_of=tiny_taxonomy.label_of)
    plain = analyse_gap(weighted, [], matcher)
    top = need(plain.items[0])
    tied = [item.skill_uri for item in plain.items if need(item) == top]
    assert len(tied) >= 2 and tied == sorted(tied, key=lambda u: tiny_taxonomy.label_of(u).casefold())
    central = analyse_gap(weighted, [], matcher, centrality={tied[-1]: 0.9, tied[0]: 0.1})
    assert central.items[0].skill_uri == tied[-1]
    assert [item.skill_uri for item in central.items].index(tied[0]) == 1  # 0.1 still before the unscored


def test_a_suggested_skill_makes_what_it_would_meet_partly_met_not_met(
    tiny_taxonomy: Taxonomy, matcher: SkillMatcher
) -> None:
    """SQL awaiting the learner's yes: "query languages" (which SQL would meet) is partly met, citing the
    line; nothing it would only come close to gains anything."""
    weighted = weigh(tiny_taxonomy.requirements_for(DA), label_of=tiny_taxonomy.label_of)
    suggested = [held(SQL, "SQL", line=4, text="Wrote SQL queries")]
    gap = analyse_gap(weighted, [], matcher, GapPolicy(), suggested=suggested)
    query = next(item for item in gap.items if item.skill_uri == QUERY)
    assert query.status is GapStatus.WEAK and query.credit == GapPolicy().suggested_credit
    assert query.closest is not None and query.closest.line_no == 4
    plain = analyse_gap(weighted, [], matcher, GapPolicy())
    assert gap.gap_weight < plain.gap_weight
    assert {i.skill_uri for i in gap.items if i.credit > 0} == {QUERY}
