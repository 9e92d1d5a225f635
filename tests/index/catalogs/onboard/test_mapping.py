"""The onboarding mapping: inferred from an export, written for review, read back strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.errors import CatalogValidationError
from index.catalogs.onboard.mapping import OnboardMapping, inferred_mapping, mapping_yaml, read_mapping


def test_an_inferred_mapping_round_trips_through_its_file(tmp_path: Path) -> None:
    header = ["Course Title", "Fee", "Time Commitment"]
    rows = [{"Course Title": "SQL", "Fee": "$450", "Time Commitment": "4 hours per week"}]
    mapping = inferred_mapping(header, rows)
    assert mapping.columns == {"title": "Course Title", "price": "Fee", "effort": "Time Commitment"}
    path = tmp_path / "mapping.yaml"
    path.write_text(mapping_yaml(mapping), encoding="utf-8")
    assert read_mapping(path) == mapping


def test_a_mapping_with_a_typo_or_a_missing_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text("columns: {title: Name, pricee: Fee}\nconstants: {colour: blue}\n", encoding="utf-8")
    with pytest.raises(CatalogValidationError) as info:
        read_mapping(path)
    text = " ".join(issue.message for issue in info.value.issues)
    assert "pricee" in text and "colour" in text
    with pytest.raises(CatalogValidationError, match="cannot onboard"):
        OnboardMapping(columns={"title": "Name"}).check_columns(["Title"], "export.csv")
