"""The core's ports stay pure, and the credential filter means what planners expect."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

from assistant.core.models import Constraints, DeliveryMode
from assistant.core.ports import CredentialFilter, Embedder, Hit, MetadataFilter

CORE = Path(__file__).resolve().parents[2] / "assistant" / "core"
FORBIDDEN = {
    "faiss",
    "langchain",
    "langchain_core",
    "langchain_community",
    "sentence_transformers",
    "torch",
    "onnxruntime",
    "fastapi",
    "streamlit",
    "index",
}

META = {
    "id": "SQL-1",
    "delivery_mode": "online",
    "eqf_level": 4,
    "cost": "300",
    "currency": "USD",
    "duration_weeks": 4.0,
    "language": "en",
    "kind": "micro-credential",
    "field": "Data",
}


def test_no_core_module_imports_an_adapter() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_empty_filter_passes_everything() -> None:
    assert CredentialFilter().is_empty
    assert CredentialFilter().matches(META)
    assert CredentialFilter().matches({})


def test_each_field_filters() -> None:
    assert CredentialFilter(delivery_modes=frozenset({"online", "blended"})).matches(META)
    assert not CredentialFilter(delivery_modes=frozenset({"onsite"})).matches(META)
    assert CredentialFilter(min_eqf_level=4, max_eqf_level=5).matches(META)
    assert not CredentialFilter(min_eqf_level=5).matches(META)
    assert not CredentialFilter(max_eqf_level=3).matches(META)
    assert CredentialFilter(max_cost=300).matches(META)
    assert not CredentialFilter(max_cost=Decimal("299.99")).matches(META)
    assert not CredentialFilter(max_cost=1000, currency="EUR").matches(META), "another currency is not comparable"
    assert CredentialFilter(max_duration_weeks=4).matches(META)
    assert not CredentialFilter(max_duration_weeks=3.5).matches(META)
    assert not CredentialFilter(languages=frozenset({"de"})).matches(META)
    assert not CredentialFilter(kinds=frozenset({"certificate"})).matches(META)
    assert CredentialFilter(fields=frozenset({"Data"})).matches(META)
    assert not CredentialFilter(exclude_ids=frozenset({"SQL-1"})).matches(META)


def test_a_value_the_catalog_does_not_state_passes_a_set_limit() -> None:
    """An onboarded course with no price is not over a budget: it stays plannable and the plan says the price is
    not stated. A stated value still has to meet the limit."""
    assert CredentialFilter(max_cost=100).matches({"id": "x", "cost": None})
    assert CredentialFilter(min_eqf_level=1, delivery_modes="onsite").matches({"id": "x"})
    assert not CredentialFilter(max_cost=100).matches({"id": "x", "cost": "150"})
    assert not CredentialFilter(min_eqf_level=5).matches({"id": "x", "eqf_level": 4})


def test_strings_and_lists_are_accepted_for_sets() -> None:
    flt = CredentialFilter(delivery_modes="online", languages=["en", "fr"])  # type: ignore[arg-type]
    assert flt.delivery_modes == frozenset({"online"})
    assert flt.languages == frozenset({"en", "fr"})
    assert hash(flt) == hash(CredentialFilter(delivery_modes=frozenset({"online"}), languages=frozenset({"en", "fr"})))


def test_from_constraints() -> None:
    constraints = Constraints(
        budget=Decimal(500), delivery_modes=frozenset({DeliveryMode.ONLINE}), max_eqf_level=5, languages={"en"}
    )
    flt = CredentialFilter.from_constraints(constraints)
    assert flt.matches(META)
    assert not flt.matches({**META, "cost": "501"})
    assert not flt.matches({**META, "delivery_mode": "onsite"})
    assert CredentialFilter.from_constraints(Constraints()).is_empty


def test_protocols_are_runtime_checkable() -> None:
    assert isinstance(CredentialFilter(), MetadataFilter)
    assert not isinstance(object(), Embedder)
    hit = Hit("skill", "uri", "SQL", 0.9, "preferred-label")
    assert hit.score == 0.9
