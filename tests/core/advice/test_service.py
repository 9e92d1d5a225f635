"""The facade end to end on the tiny data: targets, held credentials, badges, what-if and Markdown."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from assistant.core.advice import (
    AdviceOptions,
    AdviceService,
    ExploreTarget,
    OccupationTarget,
    PostingSkill,
    PostingTarget,
    compare_targets,
    render_markdown,
    render_whatif,
)
from assistant.core.advice.relevance import Crowd
from assistant.core.catalog import Catalog
from assistant.core.models import Constraints, EarnedCredential, LearnerProfile
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import CLEAN, DB, PY, SQL, STAT_TECH, VIZ, FakeSimilarity, held


def _profile(**limits: object) -> LearnerProfile:
    return LearnerProfile(
        skills=(held(PY, "Python (computer programming)", line=3, text="Python and pandas"), held(SQL, "SQL", line=4)),
        constraints=Constraints.model_validate(limits),
    )


def test_advise_on_an_occupation(tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, options: AdviceOptions) -> None:
    advice = AdviceService(tiny_taxonomy, tiny_catalog, similarity=FakeSimilarity())
    result = advice.advise(_profile(budget=Decimal(2000)), OccupationTarget(title="data analyst"), options=options)
    assert result.target.occupation_uri is not None
    gap = {item.skill_uri for item in result.gap}
    assert PY not in gap and SQL not in gap
    assert {DB, STAT_TECH, VIZ, CLEAN} <= gap
    assert [r.route.objective.value for r in result.routes] == ["most-coverage", "cheapest", "fastest"]
    assert all(r.route.total_cost <= 2000 for r in result.routes)
    assert set(result.titles) >= {r.credential_id for r in result.recommendations}
    assert any("Tableau" in note for note in result.notes)
    assert 0 < result.readiness < 1
    dumped = result.model_dump(mode="json")
    assert dumped["routes"][0]["route"]["optimal"] is True


def test_held_credentials_and_badges_are_never_recommended(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, options: AdviceOptions
) -> None:
    profile = _profile().model_copy(update={"earned_credentials": ("C-101", "NOT-IN-CATALOG")})
    badge = EarnedCredential(achievement_id="urn:badge:1", name="Stats badge", catalog_id="C-120")
    advice = AdviceService(tiny_taxonomy, tiny_catalog)
    result = advice.advise(profile, OccupationTarget(title="data analyst"), earned=[badge], options=options)
    assert set(result.profile.earned_credentials) == {"C-101", "C-120"}
    planned = {r.credential_id for r in result.recommendations} | {
        s.credential_id for r in result.routes for s in r.route.steps
    }
    assert not planned & {"C-101", "C-120"}
    assert STAT_TECH not in {item.skill_uri for item in result.gap}  # the badge's credential teaches it
    assert any("NOT-IN-CATALOG" in note for note in result.notes)


def test_posting_and_explore_targets(tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, options: AdviceOptions) -> None:
    posting = PostingTarget(skills=(PostingSkill(skill_uri=CLEAN, label="perform data cleansing"),))
    advice = AdviceService(tiny_taxonomy, tiny_catalog)
    result = advice.advise(_profile(), posting, options=options)
    assert [item.skill_uri for item in result.gap] == [CLEAN]
    assert result.routes[0].route.coverage == 1.0
    explored = advice.advise(_profile(), ExploreTarget(limit=3), options=options)
    assert explored.explored and explored.target.occupation_uri == explored.explored[0].occupation_uri


def test_whatif_and_markdown(tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, options: AdviceOptions) -> None:
    advice = AdviceService(tiny_taxonomy, tiny_catalog)
    comparison = compare_targets(
        advice,
        _profile(hours_per_week=12),
        [OccupationTarget(title="data analyst"), OccupationTarget(title="software developer")],
        options=options,
    )
    assert [row.target for row in comparison.rows] == ["data analyst", "software developer"]
    assert comparison.summary[0].startswith("Closest fit")
    text = render_whatif(comparison)
    assert "| data analyst |" in text
    markdown = render_markdown(comparison.results[0])
    for heading in ("# Advice: data analyst", "## Gap", "## Recommended credentials", "## Routes", "optimal (cp-sat)"):
        assert heading in markdown
    assert "line 3" not in markdown or "Python and pandas" in markdown
    with pytest.raises(ValueError, match="two or three"):
        compare_targets(advice, _profile(), [OccupationTarget(title="welder")])


def test_importing_the_advice_core_does_not_load_ortools() -> None:
    code = "import sys, assistant.core.advice; print('ortools' in ' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_hot_technology_note_says_which_the_learner_already_uses() -> None:
    from assistant.core.advice.service import technology_note

    note = technology_note(["Tableau", "Git", "Docker"], {"Git"})
    assert note.endswith("; you already use Git; not in your profile: Tableau, Docker.")
    assert technology_note(["Tableau"], set()).endswith("(not scored, no ESCO link): Tableau.")


def test_a_product_the_resume_names_counts_as_its_skill(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog, options: AdviceOptions
) -> None:
    """A résumé that names a database product (read by name) is not told the database skill is missing."""
    from assistant.core.models import Evidence, EvidenceSource, HeldTechnology

    line = Evidence(source=EvidenceSource.RESUME, text="PostgreSQL, Tableau", line_no=5)
    product = HeldTechnology(name="PostgreSQL", label="PostgreSQL", skill_uri=DB, evidence=(line,))
    advice = AdviceService(tiny_taxonomy, tiny_catalog)
    without = advice.advise(LearnerProfile(), OccupationTarget(title="data analyst"), options=options)
    result = advice.advise(
        LearnerProfile(technologies=(product,)), OccupationTarget(title="data analyst"), options=options
    )
    assert DB in {item.skill_uri for item in without.gap}
    assert DB not in {item.skill_uri for item in result.gap}
    met = next(m for m in result.met if m.skill_uri == DB)
    assert met.evidence is not None and met.evidence.line_no == 5


class _CountingCrowd:
    """A crowd that answers nothing until ``ready`` (the occupations index still building), then 0.2 each."""

    def __init__(self) -> None:
        self.ready = False
        self.calls = 0

    def crowd(self, texts: list[str]) -> list[Crowd]:
        self.calls += 1
        return [Crowd(0.2)] * len(texts) if self.ready else []


def test_the_crowd_is_read_once_and_a_fit_made_without_it_is_not_kept(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog
) -> None:
    """While the profiles cannot be read the hand-set gate answers, and the next advice tries again; once
    read, the goal-free crowd is worked out once for the catalog and every goal's fit uses it."""
    crowd = _CountingCrowd()
    advice = AdviceService(tiny_taxonomy, tiny_catalog, similarity=FakeSimilarity(), crowd=crowd)
    uri = advice.resolve(OccupationTarget(title="data analyst")).occupation_uri
    assert uri is not None
    assert advice.fit(uri).crowd == {}
    crowd.ready = True
    fit = advice.fit(uri)
    assert set(fit.crowd) == {c.id for c in tiny_catalog} and fit.threshold_for(next(iter(fit.crowd))) < 1.0
    assert advice.fit(uri) is fit and crowd.calls == 2


def test_the_markdown_numbers_picks_and_lists_a_prerequisite_to_take_first_under_its_pick(
    tiny_taxonomy: Taxonomy, tiny_catalog: Catalog
) -> None:
    from assistant.core.advice import OccupationTarget
    from tests.core.advice.tiny import DA

    result = AdviceService(tiny_taxonomy, tiny_catalog).advise(LearnerProfile(), OccupationTarget(uri=DA))
    under = [r for r in result.recommendations if r.prerequisite_of is not None]
    assert under, "C-101 covers no gap skill: it is there only to unlock C-110"
    lines = render_markdown(result).split("## Recommended credentials", 1)[1].split("## Routes", 1)[0].splitlines()
    numbered = [line for line in lines if line[:1].isdigit()]
    assert [line.split(".", 1)[0] for line in numbered] == [str(n) for n in range(1, len(numbered) + 1)]
    for rec in under:
        first = next(i for i, line in enumerate(lines) if f"take first: **{rec.credential_id} — " in line)
        pick = max(i for i, line in enumerate(lines[:first]) if line[:1].isdigit())
        assert f"**{rec.prerequisite_of} — " in lines[pick]
