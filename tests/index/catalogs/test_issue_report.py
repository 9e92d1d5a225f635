"""Kinds take the values out of a message, fields the list positions; the report is complete and atomic."""

from __future__ import annotations

import csv
from pathlib import Path

from assistant.core.errors import DataIssue
from index.catalogs.issue_report import field_of, kind_of, write_issue_report


def _issue(message: str, field: str | None = None, row: int = 1) -> DataIssue:
    return DataIssue(file="export.csv", message=message, row=row, field=field)


def test_kinds_and_fields_group_what_differs_only_in_values() -> None:
    a = _issue("'None' is not a valid EQF level, got 9", "skills[3].uri")
    b = _issue("'Advanced' is not a valid EQF level, got 12", "skills[0].uri")
    assert kind_of(a) == kind_of(b) == "… is not a valid EQF level, got N"
    assert field_of(a) == field_of(b) == "skills.uri"


def test_the_report_holds_every_issue_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    issues = [_issue(f"'{n}' is not a valid id", "id", row=n) for n in range(120)]
    summary = write_issue_report(issues, tmp_path / "issues.csv")
    with (tmp_path / "issues.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 120 and rows[5]["kind"] == "… is not a valid id"
    assert summary.issues == 120 and summary.records == 120 and summary.by_kind[0] == ("… is not a valid id", 120)
    assert [p.name for p in tmp_path.iterdir()] == ["issues.csv"]
