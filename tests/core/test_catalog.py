"""The Catalog aggregate: lookups, stacking views and the cross-record checks of validate()."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.core.catalog import Catalog
from assistant.core.errors import CatalogValidationError, NotFoundError
from assistant.core.models import Credential
from tests.builders import INSTITUTION, SKILL_BASE, credential

SKILL = SKILL_BASE


def make(cid: str, **overrides: Any) -> Credential:
    return credential(cid, **{"title": f"Title of {cid}", **overrides})


def stack(target: str, credit: float, unit: str = "ECTS") -> list[dict[str, Any]]:
    return [{"target_id": target, "credit": credit, "credit_unit": unit}]


def requires(*ids: str, min_required: int | None = None) -> list[dict[str, Any]]:
    return [{"credential_ids": list(ids), "min_required": min_required}]


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        INSTITUTION,
        [
            make("A", field="Data", stacks_into=stack("CERT", 5)),
            make("B", field="Data", prerequisites=requires("A"), stacks_into=stack("CERT", 5)),
            make("C", kind="digital-badge", stacks_into=stack("DIP", 5)),
            make("CERT", kind="certificate", field="Data", stack_requirement={"credits_required": 10}),
            make("DIP", kind="diploma", stack_requirement={"credits_required": 5, "additional_credits": 55}),
        ],
        source="test.yaml",
    )


def fields(issues: list[Any]) -> list[tuple[int | None, str | None, str | None]]:
    return [(issue.row, issue.record_id, issue.field) for issue in issues]


# -- lookups -------------------------------------------------------------------------------------


def test_lookups_keep_catalog_order(catalog: Catalog) -> None:
    assert len(catalog) == 5
    assert [c.id for c in catalog] == ["A", "B", "C", "CERT", "DIP"]
    assert catalog.ids == ("A", "B", "C", "CERT", "DIP")
    assert catalog.get("B").prerequisite_ids == {"A"}
    assert "A" in catalog
    assert catalog.get("A") in catalog
    assert "Z" not in catalog
    assert make("A", title="Another") not in catalog
    assert 42 not in catalog


def test_get_unknown_id_names_the_catalog_and_a_near_match(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match=r"no credential 'CERTT' in the catalog of Test College.*'CERT'"):
        catalog.get("CERTT")
    with pytest.raises(LookupError):  # NotFoundError is a LookupError too
        catalog.get("nothing-like-it")


def test_groupings(catalog: Catalog) -> None:
    groups = catalog.by_field()
    assert list(groups) == ["Data", None]
    assert [c.id for c in groups["Data"]] == ["A", "B", "CERT"]
    assert [c.id for c in groups[None]] == ["C", "DIP"]
    assert [c.id for c in catalog.micro_credentials()] == ["A", "B", "C"]


def test_stack_views(catalog: Catalog) -> None:
    assert [c.id for c in catalog.stack_destinations()] == ["CERT", "DIP"]
    assert [c.id for c in catalog.parts_of("CERT")] == ["A", "B"]
    assert [c.id for c in catalog.parts_of("DIP")] == ["C"]
    with pytest.raises(NotFoundError):
        catalog.parts_of("NOPE")


def test_a_target_without_stack_requirement_is_still_a_destination() -> None:
    catalog = Catalog(INSTITUTION, [make("A", stacks_into=stack("T", 1)), make("T", kind="certificate")])
    assert [c.id for c in catalog.stack_destinations()] == ["T"]


# -- validate ------------------------------------------------------------------------------------


def test_a_consistent_catalog_has_no_issues(catalog: Catalog) -> None:
    assert catalog.validate() == []
    assert Catalog.build(INSTITUTION, list(catalog), source="ok").ids == catalog.ids


def test_duplicate_ids_are_reported_on_the_repeat() -> None:
    catalog = Catalog(INSTITUTION, [make("A"), make("B"), make("A", title="Again")], source="dup.yaml")
    issues = catalog.validate()
    assert fields(issues) == [(3, "A", "id")]
    assert "row 1 already uses it" in issues[0].message
    assert issues[0].file == "dup.yaml"
    assert catalog.get("A").title == "Title of A"  # first one wins for lookups


def test_unknown_references_are_located_by_field_path() -> None:
    catalog = Catalog(
        INSTITUTION,
        [
            make("A", prerequisites=[*requires("X1"), *requires("A2", "B1", min_required=1)]),
            make("B1", stacks_into=stack("CERT-XX", 1)),
            make("CERT-X", kind="certificate", stack_requirement={"credits_required": 1, "required_ids": ["Q"]}),
        ],
    )
    issues = catalog.validate()
    assert fields(issues) == [
        (1, "A", "prerequisites[0].credential_ids[0]"),
        (1, "A", "prerequisites[1].credential_ids[0]"),
        (2, "B1", "stacks_into[0].target_id"),
        (3, "CERT-X", "stack_requirement.required_ids[0]"),
        (3, "CERT-X", "stack_requirement.credits_required"),
    ]
    assert issues[0].message == "prerequisite 'X1' is not in the catalog"
    assert issues[2].message.startswith("stacking target 'CERT-XX' is not in the catalog; did you mean 'CERT-X'?")


def test_prerequisite_cycle_is_named_once() -> None:
    catalog = Catalog(
        INSTITUTION,
        [
            make("START"),
            make("P", prerequisites=requires("R")),
            make("Q", prerequisites=requires("P")),
            make("R", prerequisites=requires("START", "Q")),
        ],
    )
    issues = catalog.validate()
    assert fields(issues) == [(2, "P", "prerequisites[0]")]
    assert "prerequisite cycle P → R → Q → P" in issues[0].message


def test_cycles_through_alternatives_count_too() -> None:
    # Routes are planned over a DAG, so even an "any one of" loop is refused.
    catalog = Catalog(
        INSTITUTION,
        [
            make("X", prerequisites=requires("Y", "Z", min_required=1)),
            make("Y", prerequisites=requires("X")),
            make("Z"),
        ],
    )
    assert [issue.field for issue in catalog.validate()] == ["prerequisites[0]"]


def test_separate_cycles_are_each_reported() -> None:
    catalog = Catalog(
        INSTITUTION,
        [
            make("A", prerequisites=requires("B")),
            make("B", prerequisites=requires("A")),
            make("C", prerequisites=requires("D")),
            make("D", prerequisites=requires("C")),
        ],
    )
    assert [issue.record_id for issue in catalog.validate()] == ["A", "C"]


def test_long_prerequisite_chains_do_not_hit_the_recursion_limit() -> None:
    chain = [make("N0")] + [make(f"N{i}", prerequisites=requires(f"N{i - 1}")) for i in range(1, 3000)]
    assert Catalog(INSTITUTION, chain).validate() == []


def test_unreachable_credit_requirement_names_what_the_parts_carry() -> None:
    catalog = Catalog(
        INSTITUTION,
        [
            make("A", stacks_into=stack("T", 3, "credit-hour")),
            make("B", stacks_into=stack("T", 3, "credit-hour")),
            make(
                "T",
                kind="certificate",
                stack_requirement={"credits_required": 9, "credit_unit": "credit-hour"},
            ),
        ],
    )
    issues = catalog.validate()
    assert fields(issues) == [(3, "T", "stack_requirement.credits_required")]
    assert issues[0].message == (
        "needs 9 credit-hour from stacked parts, but the parts that stack into it carry only 6 credit-hour (A 3, B 3)"
    )


def test_credit_units_must_match_the_target() -> None:
    catalog = Catalog(
        INSTITUTION,
        [
            make("A", stacks_into=stack("T", 6, "ECTS")),
            make("B", stacks_into=stack("T", 3, "credit-hour")),
            make(
                "T",
                kind="certificate",
                stack_requirement={"credits_required": 3, "credit_unit": "credit-hour"},
            ),
        ],
    )
    issues = catalog.validate()
    assert fields(issues) == [(1, "A", "stacks_into[0].credit_unit")]
    assert "gives 6 ECTS toward 'T', which counts credit-hour" in issues[0].message


def test_skills_outside_the_taxonomy() -> None:
    catalog = Catalog(
        INSTITUTION,
        [make("A", skills=[{"uri": SKILL + "known"}, {"uri": SKILL + "gone", "label": "old skill"}])],
    )
    assert catalog.validate() == []  # no taxonomy given: not checked
    issues = catalog.validate(known_skill_uris=[SKILL + "known"])
    assert fields(issues) == [(1, "A", "skills[1].uri")]
    assert issues[0].message == f"skill {SKILL}gone ('old skill') is not in the loaded ESCO taxonomy"


def test_ids_defined_elsewhere_are_accepted_and_credit_sums_deferred() -> None:
    catalog = Catalog(
        INSTITUTION,
        [
            make("A", prerequisites=requires("ELSEWHERE"), stacks_into=stack("T", 1)),
            make("T", kind="certificate", stack_requirement={"credits_required": 10}),
        ],
    )
    assert len(catalog.validate()) == 2
    assert catalog.validate(defined_elsewhere={"ELSEWHERE"}) == []


def test_build_refuses_a_bad_catalog_with_every_issue() -> None:
    with pytest.raises(CatalogValidationError) as caught:
        Catalog.build(
            INSTITUTION,
            [make("A", prerequisites=requires("B")), make("B", prerequisites=requires("A")), make("A")],
            source="mem",
        )
    assert fields(list(caught.value.issues)) == [(1, "A", "prerequisites[0]"), (3, "A", "id")]
    assert str(caught.value).startswith("catalog mem rejected: 2 issue(s)")
