"""Credit from URIs, the ESCO hierarchy, relations and meaning — never from label strings alone."""

from __future__ import annotations

import pytest

from assistant.core.advice import EmbedderSimilarity, LexicalSimilarity, MatchKind, SkillMatcher
from assistant.core.models import HeldSkill
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import CLEAN, DB, JAVA, PROG, PY, QUERY, SQL, STAT_TECH, STATS, WELD, FakeSimilarity, held
from tests.fakes import FakeEmbedder


def _one(matcher: SkillMatcher, have: HeldSkill, uri: str) -> tuple[float, MatchKind]:
    match = matcher.match([have], [(uri, matcher.label(uri))])[0]
    return match.credit, match.kind


@pytest.mark.parametrize(
    ("have", "need", "credit", "kind"),
    [
        (PY, PY, 1.0, MatchKind.EXACT),
        (PY, PROG, 0.8, MatchKind.NARROWER),  # Python meets "computer programming"
        (PROG, PY, 0.5, MatchKind.BROADER),
        (JAVA, PY, 0.3, MatchKind.SIBLING),
        (STATS, STAT_TECH, 0.5, MatchKind.RELATED),
        (WELD, PY, 0.0, MatchKind.NONE),
    ],
)
def test_structural_credit(matcher: SkillMatcher, have: str, need: str, credit: float, kind: MatchKind) -> None:
    assert _one(matcher, held(have, matcher.label(have)), need) == (credit, kind)


def test_narrower_skill_counts_as_met_broader_does_not(matcher: SkillMatcher) -> None:
    assert matcher.is_met(_one(matcher, held(SQL, "SQL"), QUERY)[0])
    assert not matcher.is_met(_one(matcher, held(QUERY, "query languages"), SQL)[0])


def test_the_concept_matters_not_the_words_on_the_resume(matcher: SkillMatcher) -> None:
    written_differently = held(PY, "Python 3 scripting", text="Automated reports with Python 3 scripts")
    match = matcher.match([written_differently], [(PY, "Python (computer programming)")])[0]
    assert match.credit == 1.0
    assert match.evidence is not None and "Python 3" in match.evidence.text


def test_semantic_similarity_gives_partial_credit_and_closest_evidence(tiny_taxonomy: Taxonomy) -> None:
    similarity = FakeSimilarity({("use databases", "perform data cleansing"): 0.7})
    matcher = SkillMatcher(tiny_taxonomy, similarity)
    match = matcher.match([held(DB, "use databases", line=4)], [(CLEAN, "perform data cleansing")])[0]
    assert match.kind is MatchKind.SEMANTIC
    assert match.credit == pytest.approx(2 * (0.7 - 0.5))  # weak: met only from cosine 0.875
    assert match.evidence is not None and match.evidence.line_no == 4


def test_far_meaning_is_only_mentioned_never_credited(tiny_taxonomy: Taxonomy) -> None:
    matcher = SkillMatcher(tiny_taxonomy, FakeSimilarity({("use databases", "perform data cleansing"): 0.4}))
    match = matcher.match([held(DB, "use databases")], [(CLEAN, "perform data cleansing")])[0]
    assert (match.credit, match.kind, match.held_uri) == (0.0, MatchKind.NONE, DB)
    assert "too far" in match.explanation
    nothing = SkillMatcher(tiny_taxonomy).match([held(DB, "use databases")], [(CLEAN, "perform data cleansing")])[0]
    assert nothing.held_uri is None and nothing.explanation == "nothing came close"


def test_neighbourhood_agrees_with_structural(matcher: SkillMatcher, tiny_taxonomy: Taxonomy) -> None:
    for a in tiny_taxonomy.skills:
        near = matcher.neighbourhood(a)
        for b in tiny_taxonomy.skills:
            assert near.get(b, (0.0, MatchKind.NONE))[0] == matcher.structural(a, b)[0], (a, b)


def test_similarity_adapters_return_cosines() -> None:
    lexical = LexicalSimilarity().similarity(["SQL queries"], ["SQL", "welding"])
    assert lexical[0, 0] > 0 and lexical[0, 1] == 0
    embedder = FakeEmbedder()
    cosines = EmbedderSimilarity(embedder).similarity(["data cleaning", "SQL"], ["data cleaning", "welding"])
    assert cosines.shape == (2, 2) and cosines[0, 0] == pytest.approx(1.0, abs=1e-5)
    EmbedderSimilarity(embedder).similarity([], ["x"])  # empty sides do not call the model
