"""Taxonomy lookups on a tiny hand-made taxonomy, then a few facts of the real one."""

import pytest

from assistant.core.errors import NotFoundError
from assistant.core.models import (
    Occupation,
    OccupationSkillRelation,
    OnetOccupation,
    OnetSkillRating,
    OnetTechnology,
    RelationType,
    RequirementSource,
    Skill,
    SkillGroup,
    Wage,
)
from assistant.core.taxonomy import Taxonomy

S = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"


@pytest.fixture
def tiny() -> Taxonomy:
    skills = {
        S + "sql": Skill(uri=S + "sql", preferred_label="SQL", broader=(S + "query",)),
        S + "query": Skill(uri=S + "query", preferred_label="query languages", broader=(S + "g1",)),
        S + "py": Skill(uri=S + "py", preferred_label="Python (computer programming)", alt_labels=("Python",)),
        S + "think": Skill(uri=S + "think", preferred_label="think critically"),
    }
    groups = {S + "g1": SkillGroup(uri=S + "g1", preferred_label="ICT", broader=())}
    occupations = {
        OCC + "da": Occupation(
            uri=OCC + "da", preferred_label="data analyst", isco_group="2511", onet_codes=("15-2051.00",)
        ),
        OCC + "x": Occupation(uri=OCC + "x", preferred_label="unmapped", isco_group="9999"),
    }
    relations = (
        OccupationSkillRelation(occupation_uri=OCC + "da", skill_uri=S + "sql", relation=RelationType.ESSENTIAL),
        OccupationSkillRelation(occupation_uri=OCC + "da", skill_uri=S + "py", relation=RelationType.OPTIONAL),
    )
    return Taxonomy(
        skills=skills,
        occupations=occupations,
        relations=relations,
        skill_groups=groups,
        onet_occupations={"15-2051.00": OnetOccupation(code="15-2051.00", title="Data Scientists")},
        onet_skills=(
            OnetSkillRating(
                onet_code="15-2051.00",
                element_id="2.A.2.a",
                element_name="Critical Thinking",
                importance=4.0,
                level=4.5,
            ),
        ),
        onet_technologies=(
            OnetTechnology(
                onet_code="15-2051.00",
                example="Python",
                commodity_code="1",
                commodity_title="t",
                hot_technology=True,
                in_demand=True,
            ),
            OnetTechnology(onet_code="15-2051.00", example="Stata", commodity_code="2", commodity_title="t"),
        ),
        wages={"15-2050": Wage(soc_code="15-2050", title="broad group", annual_median=100_000)},
        technology_skills={"Python": S + "py"},
        onet_skill_links={"2.A.2.a": (S + "think",)},
        releases={"esco": "ESCO v1.1.1", "onet": "O*NET 29.2"},
    )


def test_unknown_uri_is_named(tiny: Taxonomy) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        tiny.skill(S + "nope")
    with pytest.raises(NotFoundError):
        tiny.requirements_for(OCC + "nope")


def test_ancestors_walk_skills_and_groups(tiny: Taxonomy) -> None:
    assert tiny.ancestors(S + "sql") == (S + "query", S + "g1")


def test_requirements_cite_every_source(tiny: Taxonomy) -> None:
    reqs = tiny.requirements_for(OCC + "da")
    by_source = {r.source: r for r in reqs}
    assert by_source[RequirementSource.ESCO_ESSENTIAL].skill_uri == S + "sql"
    assert "essential" in by_source[RequirementSource.ESCO_ESSENTIAL].citation
    onet_skill = by_source[RequirementSource.ONET_SKILL]
    assert (onet_skill.skill_uri, onet_skill.importance, onet_skill.level) == (S + "think", 4.0, 4.5)
    assert "importance 4.00/5" in onet_skill.citation
    techs = [r for r in reqs if r.source is RequirementSource.ONET_TECHNOLOGY]
    python = next(t for t in techs if t.label == "Python")
    assert python.skill_uri == S + "py" and python.hot_technology and python.in_demand
    assert "hot technology" in python.citation
    stata = next(t for t in techs if t.label == "Stata")
    assert stata.skill_uri is None  # kept, cited, but not linked to a wrong ESCO skill


def test_unmapped_occupation_has_only_esco_requirements(tiny: Taxonomy) -> None:
    assert tiny.requirements_for(OCC + "x") == []


def test_wage_falls_back_to_broad_group(tiny: Taxonomy) -> None:
    wage = tiny.wage_for(OCC + "da")
    assert wage is not None and wage.soc_code == "15-2050"
    assert tiny.wage_for(OCC + "x") is None
    assert tiny.projection_for(OCC + "da") is None


def test_real_taxonomy_joins_esco_onet_and_bls(taxonomy: Taxonomy) -> None:
    software = next(o for o in taxonomy.occupations.values() if o.preferred_label == "software developer")
    assert software.onet_codes
    sources = {r.source for r in taxonomy.requirements_for(software.uri)}
    assert {RequirementSource.ESCO_ESSENTIAL, RequirementSource.ONET_TECHNOLOGY} <= sources
    wage = taxonomy.wage_for(software.uri)
    assert wage is not None and wage.annual_median and wage.annual_median > 50_000
