from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from assistant.core.models import Credential, CredentialKind, PrerequisiteGroup


def _credential(**overrides: Any) -> Credential:
    base: dict[str, Any] = {
        "id": "LPC-DA-110",
        "title": "SQL for Data Analysis",
        "kind": "micro-credential",
        "awarding_body": "Lakeshore Polytechnic College",
        "country": "US",
        "learning_outcomes": ["Write SQL queries that join, filter and aggregate tables."],
        "workload_hours": 45,
        "ects": 1.5,
        "eqf_level": 5,
        "assessment": "project",
        "delivery_mode": "online",
        "quality_assurance": "Internal curriculum review",
        "cost": {"amount": "450"},
        "duration_weeks": 5,
        "skills": [{"uri": "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742", "label": "SQL"}],
        "prerequisites": [{"credential_ids": ["LPC-DA-101"]}],
        "stacks_into": [{"target_id": "LPC-CERT-DA", "credit": 1.5, "credit_unit": "credit-hour"}],
    }
    base.update(overrides)
    return Credential.model_validate(base)


def test_valid_entry_carries_the_eu_elements() -> None:
    credential = _credential()
    assert credential.kind is CredentialKind.MICRO_CREDENTIAL and credential.kind.is_micro
    assert credential.cost.amount == Decimal("450") and credential.cost.currency == "USD"
    assert credential.prerequisite_ids == {"LPC-DA-101"}
    assert credential.prerequisites_met({"LPC-DA-101"}) and not credential.prerequisites_met(set())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("learning_outcomes", ["  "]),
        ("eqf_level", 9),
        ("workload_hours", 0),
        ("country", "USA"),
        ("kind", "nanodegree"),
        ("cost", {"amount": -1}),
        ("url", "ftp://example.org"),
        ("id", "has space"),
    ],
)
def test_invalid_values_are_rejected(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        _credential(**{field: value})
    assert info.value.errors()[0]["loc"][0] == field


def test_what_a_catalog_does_not_state_stays_unknown() -> None:
    """An onboarded export states no price, workload, level, mode, assessment or outcomes for some courses:
    the record keeps them unknown (None), it does not reject the course or take a default."""
    unknown = ("cost", "workload_hours", "eqf_level", "delivery_mode", "assessment", "quality_assurance")
    fields = {name: value for name, value in _credential().model_dump().items() if name not in unknown}
    credential = Credential(**{**fields, "learning_outcomes": (), "duration_weeks": None})
    assert all(getattr(credential, name) is None for name in (*unknown, "duration_weeks"))
    assert credential.learning_outcomes == ()


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="tuition"):
        _credential(tuition=100)


def test_self_references_are_rejected() -> None:
    with pytest.raises(ValidationError, match="own prerequisite"):
        _credential(prerequisites=[{"credential_ids": ["LPC-DA-110"]}])
    with pytest.raises(ValidationError, match="stack into itself"):
        _credential(stacks_into=[{"target_id": "LPC-DA-110", "credit": 1}])


def test_n_of_prerequisites() -> None:
    group = PrerequisiteGroup(credential_ids=("a", "b", "c"), min_required=2)
    assert not group.is_met({"a"})
    assert group.is_met({"a", "c"})
    with pytest.raises(ValidationError, match="exceeds"):
        PrerequisiteGroup(credential_ids=("a",), min_required=2)


def test_records_are_immutable() -> None:
    credential = _credential()
    with pytest.raises(ValidationError):
        credential.title = "changed"  # type: ignore[misc]
