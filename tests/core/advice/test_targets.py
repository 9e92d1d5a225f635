"""Targets: titles normalise to ESCO occupations, postings cite their lines, explore says why."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.core.advice import (
    IndexTitleSearch,
    OccupationTarget,
    PostingSkill,
    PostingTarget,
    RankerTitleSearch,
    SkillMatcher,
    TitleCandidate,
    explore_occupations,
    posting_requirements,
    resolve_occupation,
)
from assistant.core.errors import GoalUnclearError, NotFoundError
from assistant.core.models import Evidence, EvidenceSource, RelationType, RequirementSource
from assistant.core.ports import Hit
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import DA, DB, DEV, JAVA, PROG, PY, QUERY, SQL, held


class FakeTitles:
    def __init__(self, *candidates: TitleCandidate) -> None:
        self.candidates = candidates

    def search_titles(self, title: str, k: int = 10) -> Sequence[TitleCandidate]:
        return self.candidates[:k]


def test_title_normalised_with_alternatives(tiny_taxonomy: Taxonomy) -> None:
    resolved = resolve_occupation(tiny_taxonomy, OccupationTarget(title="Data Analysts"))
    assert resolved.occupation_uri == DA
    assert resolved.reasons == ()  # named as ESCO names it (a plural is the same title): nothing to explain


def test_a_title_found_only_by_meaning_is_offered_not_taken(tiny_taxonomy: Taxonomy) -> None:
    fake = FakeTitles(TitleCandidate(occupation_uri=DEV, label="software developer", score=0.9, source="semantic"))
    with pytest.raises(GoalUnclearError) as unclear:
        resolve_occupation(tiny_taxonomy, OccupationTarget(title="coder"), fake)
    assert [uri for uri, _, _ in unclear.value.options] == [DEV]


def test_unknown_title_is_an_error(tiny_taxonomy: Taxonomy) -> None:
    with pytest.raises(NotFoundError, match="zzz"):
        resolve_occupation(tiny_taxonomy, OccupationTarget(title="zzz"))
    with pytest.raises(ValueError, match="title or URI"):
        OccupationTarget(title="  ")


def test_a_title_that_means_nothing_is_an_error_not_a_guess(tiny_taxonomy: Taxonomy) -> None:
    weak = FakeTitles(TitleCandidate(occupation_uri=DEV, label="software developer", score=0.45, source="semantic"))
    with pytest.raises(NotFoundError, match="asdf qwerty"):
        resolve_occupation(tiny_taxonomy, OccupationTarget(title="asdf qwerty"), weak)


def test_index_title_search_maps_onet_hits_to_esco(tiny_taxonomy: Taxonomy) -> None:
    class Index:
        def search(self, texts: Sequence[str], k: int = 10, **_: object) -> list[list[Hit]]:
            return [[Hit("onet-occupation", "15-2051.00", "Data Scientists", 0.8), Hit("occupation", DEV, "dev", 0.5)]]

        def metadata(self, key: str) -> dict[str, object]:
            return {}

    found = IndexTitleSearch(Index(), tiny_taxonomy).search_titles("data scientist")
    assert [c.occupation_uri for c in found] == [DA, DEV]


def test_ranker_title_search_adapts_the_title_normalizer(tiny_taxonomy: Taxonomy) -> None:
    from assistant.core.titles import TitleMatch

    class Ranker:
        def rank(self, titles: Sequence[str], k: int = 10) -> list[list[TitleMatch]]:
            return [[TitleMatch(DEV, "software developer", 1.1, "coder")]]

    found = RankerTitleSearch(Ranker()).search_titles("coder")
    assert [(c.occupation_uri, c.score, c.matched) for c in found] == [(DEV, 1.1, "coder")]


def test_posting_requirements_cite_lines() -> None:
    evidence = Evidence(source=EvidenceSource.JOB_POSTING, text="Must know SQL", line_no=3)
    target = PostingTarget(
        title="Analyst at Acme",
        skills=(
            PostingSkill(skill_uri=SQL, label="SQL", evidence=evidence),
            PostingSkill(skill_uri=PY, label="Python", required=False),
        ),
    )
    resolved, requirements = posting_requirements(target)
    assert resolved.kind == "posting" and resolved.occupation_uri is None
    assert {r.source for r in requirements} == {RequirementSource.JOB_POSTING}
    assert requirements[0].citation == "Analyst at Acme, line 3: 'Must know SQL'"
    assert requirements[1].relation is RelationType.OPTIONAL


def test_explore_ranks_by_overlap_and_says_why(tiny_taxonomy: Taxonomy, matcher: SkillMatcher) -> None:
    profile = [held(JAVA, "Java"), held(DB, "use databases"), held(SQL, "SQL")]
    options = explore_occupations(tiny_taxonomy, profile, matcher, catalog_skills={QUERY, PROG})
    assert [o.occupation_uri for o in options][:2] == [DEV, DA]
    top = options[0]
    assert "3 of its 3 essential skills" in top.reasons[0]
    assert set(top.components) == {"overlap", "reachable", "growth", "openings", "hot", "wage"}
    assert options[1].components["growth"] > 0 and any("BLS" in r for r in options[1].reasons)
