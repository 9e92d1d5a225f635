"""The real bundle carries one relation to an occupation it does not list: exploring must skip it."""

from assistant.core.advice import explore_occupations
from assistant.core.advice.matching import SkillMatcher
from assistant.core.models import HeldSkill
from assistant.core.taxonomy import Taxonomy


def test_explore_skips_relations_to_occupations_not_in_the_taxonomy(taxonomy: Taxonomy) -> None:
    orphans = {r for r in taxonomy.relations if r.occupation_uri not in taxonomy.occupations}
    assert orphans, "the bundle no longer has an orphan relation; this test guards nothing"
    skill_uris = {r.skill_uri for r in orphans}
    held = [
        HeldSkill(skill_uri=uri, label=taxonomy.label_of(uri), confidence=1.0)
        for uri in sorted(skill_uris)
        if uri in taxonomy.skills
    ]
    options = explore_occupations(taxonomy, held, SkillMatcher(taxonomy, None), limit=10)
    assert all(option.occupation_uri in taxonomy.occupations for option in options)
