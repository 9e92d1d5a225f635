"""CSV exports read through a YAML column mapping: the worked registrar example and its failures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.core.errors import CatalogValidationError, DataIssue
from assistant.core.models import AssessmentType, CredentialKind, CreditUnit, DeliveryMode, Pacing
from index.catalogs import load_catalog, load_mapping

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "registrar_export.csv"
MALFORMED = FIXTURES / "registrar_export_malformed.csv"
MAPPING = FIXTURES / "registrar_mapping.yaml"
SKILL = "http://data.europa.eu/esco/skill/"

MINIMAL_MAPPING: dict[str, Any] = {
    "institution": {"name": "Tiny College", "country": "GB", "currency": "GBP"},
    "columns": {
        "id": "Code",
        "title": "Name",
        "kind": "Type",
        "learning_outcomes": "Outcomes",
        "workload_hours": "Hours",
        "eqf_level": "Level",
        "assessment": "Assessment",
        "delivery_mode": "Mode",
        "cost": "Fee",
        "duration_weeks": "Weeks",
    },
    "constants": {"quality_assurance": "QAA review"},
}
MINIMAL_HEADER = "Code,Name,Type,Outcomes,Hours,Level,Assessment,Mode,Fee,Weeks"


def write(tmp_path: Path, csv_text: str, mapping: dict[str, Any], encoding: str = "utf-8") -> tuple[Path, Path]:
    csv_path = tmp_path / "export.csv"
    csv_path.write_bytes(csv_text.encode(encoding))
    mapping_path = tmp_path / "mapping.yaml"
    mapping_path.write_text(yaml.safe_dump(mapping, sort_keys=False), encoding="utf-8")
    return csv_path, mapping_path


def rejected(path: Path, mapping: Path) -> list[DataIssue]:
    with pytest.raises(CatalogValidationError) as caught:
        load_catalog(path, mapping=mapping)
    return list(caught.value.issues)


# -- the worked example --------------------------------------------------------------------------


def test_registrar_export_loads_through_its_mapping() -> None:
    catalog = load_catalog(EXPORT, mapping=MAPPING)
    assert catalog.institution.name == "Harbor City Community College"
    assert catalog.ids == ("HCC-BUS-105", "HCC-BUS-140", "HCC-BUS-160", "HCC-BUS-175", "HCC-CERT-BA")

    excel = catalog.get("HCC-BUS-105")
    assert excel.kind is CredentialKind.COURSE
    assert excel.delivery_mode is DeliveryMode.ONLINE
    assert excel.pacing is Pacing.SELF_PACED
    assert excel.assessment is AssessmentType.QUIZ
    assert excel.cost.amount == Decimal("295.00")
    assert excel.cost.currency == "USD"
    assert excel.learning_outcomes == ("Build formulas and pivot tables", "Clean and summarise business data")
    assert excel.quality_assurance.startswith("Institutional accreditation")  # a constant
    assert excel.awarding_body == "Harbor City Community College"  # from the institution
    assert excel.url == "https://www.harborcity.example.edu/courses/bus-105"

    sql = catalog.get("HCC-BUS-140")
    assert sql.cost.amount == Decimal("1150.00")  # "$1,150.00"
    assert sql.delivery_mode is DeliveryMode.BLENDED
    assert sql.description is not None
    assert "\n" in sql.description  # a quoted multi-line cell
    assert sql.learning_outcomes[1] == "Model a small database; explain keys and normal forms"
    assert sql.skill_uris == (
        SKILL + "598de5b0-5b58-4ea7-8058-a4bc4d18c742",
        SKILL + "43ae58b9-5e56-4524-b45a-b422777a0576",
    )
    assert sql.stacks_into[0].target_id == "HCC-CERT-BA"
    assert sql.stacks_into[0].credit == 4
    assert sql.stacks_into[0].credit_unit is CreditUnit.US_CREDIT_HOUR

    assert catalog.get("HCC-BUS-160").delivery_mode is DeliveryMode.ONSITE
    assert catalog.get("HCC-BUS-160").prerequisite_ids == {"HCC-BUS-105", "HCC-BUS-140"}
    assert catalog.get("HCC-BUS-160").url is None  # empty cell: field left out

    certificate = catalog.get("HCC-CERT-BA")
    assert certificate.stack_requirement is not None
    assert certificate.stack_requirement.credits_required == 12
    assert certificate.stack_requirement.credit_unit is CreditUnit.US_CREDIT_HOUR
    assert certificate.stack_requirement.required_ids == ("HCC-BUS-105", "HCC-BUS-140")
    assert catalog.get("HCC-BUS-105").stack_requirement is None  # no requirement created by shared values
    assert [c.id for c in catalog.stack_destinations()] == ["HCC-CERT-BA"]
    assert catalog.validate() == []


def test_malformed_export_names_line_column_and_field() -> None:
    with pytest.raises(CatalogValidationError) as caught:
        load_catalog(MALFORMED, mapping=MAPPING)
    issues = list(caught.value.issues)
    # Line numbers count the header as row 1 and the two physical lines of the quoted cell in row 2.
    assert [(issue.row, issue.record_id, issue.field) for issue in issues] == [
        (4, "HCC-BUS-140", "title"),
        (5, "HCC-BUS-150", "delivery_mode"),
        (6, "HCC-BUS-160", "stacks_into[0]"),
        (6, "HCC-BUS-160", "skills[0].uri"),
        (6, "HCC-BUS-160", "cost.amount"),
        (6, "HCC-BUS-160", "prerequisites[0].credential_ids[0]"),
        (7, "HCC-BUS-170", "prerequisites[0]"),
    ]
    messages = [issue.message for issue in issues]
    assert messages[0] == "required field is missing (column 'Course Title')"
    assert messages[1] == "'Correspondence' is not allowed; use one of: online, onsite, blended (column 'Delivery')"
    assert (
        messages[2] == "expected TARGET:credit such as 'CERT-1:3', got 'HCC-CERT-BA' (column 'Counts Toward', item 1)"
    )
    assert messages[3].endswith("(column 'ESCO Skills', item 1)")
    assert messages[4] == "must be at least 0 (it cannot be negative), got '-150' (column 'Tuition (USD)')"
    assert messages[5] == "prerequisite 'HCC-BUS-999' is not in the catalog (column 'Prereqs', item 1)"
    assert "HCC-BUS-170 → HCC-BUS-171 → HCC-BUS-170" in messages[6]
    assert {issue.file for issue in issues} == {str(MALFORMED)}


# -- mapping features ----------------------------------------------------------------------------


def test_semicolon_delimited_cp1252_export_with_value_maps_ignoring_case(tmp_path: Path) -> None:
    mapping = dict(
        MINIMAL_MAPPING,
        encoding="cp1252",
        delimiter=";",
        list_separator="/",
        value_maps={"kind": {"Kurs": "course"}, "delivery_mode": {"Online": "online"}},
        defaults={"language": "en", "cost.currency": "EUR"},
    )
    text = MINIMAL_HEADER.replace(",", ";") + "\nT-1;Café basics;KURS;Order coffee/Pay in €;6;2;quiz;ONLINE;€45;1\n"
    csv_path, mapping_path = write(tmp_path, text, mapping, encoding="cp1252")
    catalog = load_catalog(csv_path, mapping=mapping_path)
    course = catalog.get("T-1")
    assert course.title == "Café basics"
    assert course.kind is CredentialKind.COURSE
    assert course.learning_outcomes == ("Order coffee", "Pay in €")
    assert course.cost.amount == Decimal(45)
    assert course.cost.currency == "EUR"  # defaults beat the institution currency
    assert course.country == "GB"


def test_missing_columns_are_reported_against_the_header(tmp_path: Path) -> None:
    header = MINIMAL_HEADER.replace("Outcomes", "Learning Outcomes").replace("Fee", "fee ")
    csv_path, mapping_path = write(tmp_path, header + "\n", MINIMAL_MAPPING)
    issues = rejected(csv_path, mapping_path)
    assert [(issue.row, issue.field) for issue in issues] == [(1, "learning_outcomes")]  # "fee " matches "Fee"
    assert issues[0].message == (
        "column 'Outcomes' (for learning_outcomes) is not in the header; did you mean 'Learning Outcomes'?"
    )


def test_extra_cells_and_empty_files(tmp_path: Path) -> None:
    row = "T-1,Name,course,Outcome,6,2,quiz,online,10,1"
    csv_path, mapping_path = write(tmp_path, f"{MINIMAL_HEADER}\n\n{row},surplus\n", MINIMAL_MAPPING)
    issues = rejected(csv_path, mapping_path)
    assert [(issue.row, issue.message) for issue in issues] == [
        (3, "row has 11 cells but the header has 10 columns (a stray delimiter?)")
    ]
    csv_path, mapping_path = write(tmp_path, "", MINIMAL_MAPPING)
    assert "the file is empty" in rejected(csv_path, mapping_path)[0].message
    csv_path, mapping_path = write(tmp_path, MINIMAL_HEADER + "\n", MINIMAL_MAPPING)
    assert rejected(csv_path, mapping_path)[0].message == "the file has a header but no credential rows"


def test_a_bad_constant_is_reported_once_in_the_mapping_file(tmp_path: Path) -> None:
    mapping = dict(MINIMAL_MAPPING, constants={"quality_assurance": "QA", "language": "EN"})
    rows = "\n".join(f"T-{i},Name,course,Outcome,6,2,quiz,online,10,1" for i in range(3))
    csv_path, mapping_path = write(tmp_path, f"{MINIMAL_HEADER}\n{rows}\n", mapping)
    issues = rejected(csv_path, mapping_path)
    assert [(issue.file, issue.row, issue.field) for issue in issues] == [
        (str(mapping_path), None, "constants.language")
    ]


def test_mapping_problems_are_all_reported_at_once(tmp_path: Path) -> None:
    mapping = {
        "institution": {"name": "X", "country": "GB", "currency": "pounds"},
        "colums": {},
        "columns": {"title": "Name", "workload": "Hours"},
        "constants": {"title": "Fixed"},
        "encoding": "klingon-8",
        "list_separators": {"title": "|"},
    }
    csv_path, mapping_path = write(tmp_path, "Name\n", mapping)
    with pytest.raises(CatalogValidationError) as caught:
        load_mapping(mapping_path)
    issues = {issue.field: issue.message for issue in caught.value.issues}
    assert issues["institution.currency"] == (
        "'pounds' is not a three-letter ISO 4217 currency code in capitals, such as 'USD'"
    )
    assert issues["colums"] == "unknown field 'colums'; did you mean 'columns'?"
    assert issues["columns"] == "unknown credential field 'workload'; did you mean 'workload_hours'?"
    assert issues["encoding"].startswith("unknown text encoding 'klingon-8'")
    assert issues["list_separators"].startswith("unknown list field 'title' (list fields: learning_outcomes, ")
    assert str(caught.value).startswith(f"column mapping {mapping_path} rejected")
    with pytest.raises(CatalogValidationError):
        load_catalog(csv_path, mapping=mapping_path)


def test_mapping_must_name_the_id_column_and_not_overlap(tmp_path: Path) -> None:
    columns = {k: v for k, v in MINIMAL_MAPPING["columns"].items() if k != "id"}
    _, path = write(tmp_path, "", dict(MINIMAL_MAPPING, columns=columns))
    with pytest.raises(CatalogValidationError, match="columns must map 'id'"):
        load_mapping(path)
    _, path = write(tmp_path, "", dict(MINIMAL_MAPPING, constants={"title": "T"}))
    with pytest.raises(CatalogValidationError, match="title cannot be both a column and a constant"):
        load_mapping(path)


def test_undecodable_csv_bytes_are_located(tmp_path: Path) -> None:
    csv_path, mapping_path = write(tmp_path, "", MINIMAL_MAPPING)
    csv_path.write_bytes(MINIMAL_HEADER.encode() + b"\nT-1,Caf\xe9,course,O,6,2,quiz,online,10,1\n")
    (issue,) = rejected(csv_path, mapping_path)
    assert issue.message.startswith("line 2: byte b'\\xe9' is not valid utf-8-sig text")
