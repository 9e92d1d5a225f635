"""Weights follow the documented formula and merging keeps every citation."""

from __future__ import annotations

import pytest

from assistant.core.advice import WeightPolicy, weigh
from assistant.core.models import OccupationRequirement, RelationType, RequirementSource
from assistant.core.taxonomy import Taxonomy
from tests.core.advice.tiny import DA, EXCEL, PY, QUERY, THINK


def test_essential_outweighs_optional_and_onet_uses_importance_times_level(tiny_taxonomy: Taxonomy) -> None:
    weighted = weigh(tiny_taxonomy.requirements_for(DA), label_of=tiny_taxonomy.label_of).by_uri()
    assert weighted[QUERY].weight == 1.0
    assert weighted[EXCEL].weight == pytest.approx(0.4)
    # Critical Thinking: importance 4, level 4.5 → (4 − 1)/4 · 4.5/7
    assert weighted[THINK].weight == pytest.approx(0.75 * 4.5 / 7, abs=1e-6)
    assert weighted[THINK].label == "think critically"  # the ESCO label, not O*NET's element name


def test_merged_skill_keeps_every_source_and_gets_the_demand_bonus(tiny_taxonomy: Taxonomy) -> None:
    python = weigh(tiny_taxonomy.requirements_for(DA)).by_uri()[PY]
    assert python.sources == {RequirementSource.ESCO_OPTIONAL, RequirementSource.ONET_TECHNOLOGY}
    assert python.base == pytest.approx(0.4)  # the technology example adds no base strength…
    assert python.weight == pytest.approx(0.4 * 1.5)  # …only its flags: hot technology and in demand, +25 % each
    assert python.hot_technology and python.in_demand


def test_unlinked_hot_technologies_are_kept_apart(tiny_taxonomy: Taxonomy) -> None:
    weighted = weigh(tiny_taxonomy.requirements_for(DA))
    assert weighted.hot_unlinked == ("Tableau",)
    assert all(r.skill_uri for r in weighted.linked)


def test_heaviest_first_and_posting_optional_counts_as_optional() -> None:
    def posting(uri: str, relation: RelationType) -> OccupationRequirement:
        return OccupationRequirement(
            occupation_uri="urn:x",
            source=RequirementSource.JOB_POSTING,
            label=uri,
            skill_uri=uri,
            relation=relation,
        )

    weighted = weigh([posting("b", RelationType.OPTIONAL), posting("a", RelationType.ESSENTIAL)])
    assert [(r.skill_uri, r.weight) for r in weighted.linked] == [("a", 1.0), ("b", 0.4)]
    assert weighted.linked[0].essential and not weighted.linked[1].essential


def test_policy_is_the_single_place_for_constants() -> None:
    policy = WeightPolicy(optional=0.5)
    requirement = OccupationRequirement(
        occupation_uri="o", source=RequirementSource.ESCO_OPTIONAL, label="x", skill_uri="x"
    )
    assert weigh([requirement], policy).linked[0].weight == 0.5
