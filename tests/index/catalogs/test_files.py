"""Loading the native catalog format from YAML and JSON: shorthands, all-or-nothing, located errors."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.core.errors import CatalogValidationError, DataIssue, DataSourceError
from assistant.core.models import CreditUnit, DeliveryMode
from index.catalogs import load_catalog

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "index" / "data" / "catalogs" / "demo" / "catalog.yaml"
BUNDLE_SKILLS = ROOT / "index" / "data" / "bundle" / "skills.jsonl.gz"
SKILL = "http://data.europa.eu/esco/skill/"

RECORD: dict[str, Any] = {
    "id": "X-1",
    "title": "A course",
    "kind": "course",
    "learning_outcomes": ["Do a thing"],
    "workload_hours": 10,
    "eqf_level": 4,
    "assessment": "quiz",
    "delivery_mode": "online",
    "cost": 100,
    "duration_weeks": 2,
}


def document(*records: dict[str, Any], **top: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "stackwise-catalog/1",
        "institution": {"name": "Test College", "country": "US", "currency": "USD"},
        "defaults": {"quality_assurance": "internal review"},
        "credentials": list(records) or [dict(RECORD)],
    }
    doc.update(top)
    return doc


def write_yaml(tmp_path: Path, doc: object, name: str = "catalog.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def rejected(path: Path, **kwargs: Any) -> list[DataIssue]:
    with pytest.raises(CatalogValidationError) as caught:
        load_catalog(path, **kwargs)
    return list(caught.value.issues)


def located(issues: list[DataIssue]) -> list[tuple[int | None, str | None]]:
    return [(issue.row, issue.field) for issue in issues]


# -- valid catalogs ------------------------------------------------------------------------------


def test_valid_yaml_catalog_loads_with_shorthands_expanded() -> None:
    catalog = load_catalog(FIXTURES / "valid_catalog.yaml")
    assert catalog.institution.name == "Riverbend Community College"
    assert catalog.source.endswith("valid_catalog.yaml")
    assert [c.id for c in catalog][:2] == ["RCC-DA-101", "RCC-DA-110"]
    first = catalog.get("RCC-DA-101")
    assert first.cost.amount == Decimal(300)
    assert first.cost.currency == "USD"  # from the institution
    assert first.awarding_body == "Riverbend Community College"  # from defaults
    assert first.field == "Data analytics"
    sql = catalog.get("RCC-DA-110")
    assert sql.prerequisite_ids == {"RCC-DA-101"}
    assert sql.prerequisites[0].required_count == 1
    assert sql.skill_uris == (SKILL + "598de5b0-5b58-4ea7-8058-a4bc4d18c742",)
    assert sql.delivery_mode is DeliveryMode.BLENDED
    assert catalog.get("RCC-DA-130").prerequisites[0].min_required == 1
    assert catalog.get("RCC-BADGE-PRES").field == "Communication"  # a record's value beats the default
    assert [c.id for c in catalog.stack_destinations()] == ["RCC-CERT-DA"]
    assert len(catalog.parts_of("RCC-CERT-DA")) == 4
    requirement = catalog.get("RCC-CERT-DA").stack_requirement
    assert requirement is not None
    assert requirement.credit_unit is CreditUnit.US_CREDIT_HOUR


def test_json_with_the_same_structure_loads_the_same_catalog(tmp_path: Path) -> None:
    doc = yaml.safe_load((FIXTURES / "valid_catalog.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    from_json = load_catalog(path)
    from_yaml = load_catalog(FIXTURES / "valid_catalog.yaml")
    assert list(from_json) == list(from_yaml)
    assert from_json.institution == from_yaml.institution


def test_yml_suffix_and_missing_defaults_block(tmp_path: Path) -> None:
    doc = document(dict(RECORD, quality_assurance="QA"))
    del doc["defaults"]
    catalog = load_catalog(write_yaml(tmp_path, doc, "catalog.yml"))
    assert catalog.get("X-1").country == "US"  # falls back to the institution


# -- the malformed catalog -----------------------------------------------------------------------


def test_malformed_catalog_reports_every_bad_row_and_returns_nothing() -> None:
    path = FIXTURES / "malformed_catalog.yaml"
    with pytest.raises(CatalogValidationError) as caught:
        load_catalog(path)
    issues = list(caught.value.issues)
    assert {issue.file for issue in issues} == {str(path)}
    assert located(issues) == [
        (2, "title"),
        (3, "delivery_mode"),
        (4, "cost.amount"),
        (5, "prerequisites[0].credential_ids[0]"),
        (6, "prerequisites[0]"),
    ]
    by_row = {issue.row: issue for issue in issues}
    assert by_row[2].record_id == "RCC-DA-102"
    assert by_row[2].message == "required field is missing"
    assert by_row[3].message == "'correspondence' is not allowed; use one of: online, onsite, blended"
    assert by_row[4].message == "must be at least 0 (it cannot be negative), got -50"
    assert by_row[5].message == "prerequisite 'RCC-DA-999' is not in the catalog"
    assert "prerequisite cycle RCC-DA-106 → RCC-DA-107 → RCC-DA-106" in by_row[6].message
    text = str(caught.value)
    assert text.startswith(f"catalog {path} rejected, nothing was loaded: 5 issue(s)")
    assert f"{path}, row 4 (id 'RCC-DA-104'), field 'cost.amount': must be at least 0" in text


def test_unknown_references_of_a_rejected_row_are_still_reported(tmp_path: Path) -> None:
    bad = dict(RECORD, id="X-2", eqf_level=9, prerequisites=["X-404"], skills=[SKILL + "gone"])
    issues = rejected(write_yaml(tmp_path, document(dict(RECORD), bad)), known_skill_uris=set())
    assert located(issues) == [
        (2, "eqf_level"),
        (2, "prerequisites[0].credential_ids[0]"),
        (2, "skills[0].uri"),
    ]
    assert issues[0].message == "must be at most 8, got 9"
    assert issues[2].message == f"skill {SKILL}gone is not in the loaded ESCO taxonomy"


def test_reference_to_a_rejected_row_is_not_called_unknown(tmp_path: Path) -> None:
    broken = dict(RECORD, id="X-2", workload_hours=0)
    issues = rejected(write_yaml(tmp_path, document(dict(RECORD, prerequisites=["X-2"]), broken)))
    assert located(issues) == [(2, "workload_hours")]
    assert issues[0].message == "must be more than 0, got 0"


def test_credit_requirement_that_parts_cannot_reach(tmp_path: Path) -> None:
    part = dict(RECORD, stacks_into=[{"target_id": "CERT", "credit": 2}])
    cert = dict(RECORD, id="CERT", kind="certificate", stack_requirement={"credits_required": 5})
    issues = rejected(write_yaml(tmp_path, document(part, cert)))
    assert located(issues) == [(2, "stack_requirement.credits_required")]
    assert "carry only 2 ECTS (X-1 2)" in issues[0].message


def test_unknown_skill_uri_when_the_taxonomy_is_given(tmp_path: Path) -> None:
    record = dict(RECORD, skills=[SKILL + "a", {"uri": SKILL + "b", "label": "b"}])
    path = write_yaml(tmp_path, document(record))
    assert len(load_catalog(path, known_skill_uris={SKILL + "a", SKILL + "b"})) == 1
    issues = rejected(path, known_skill_uris={SKILL + "a"})
    assert located(issues) == [(1, "skills[1].uri")]


def test_plain_word_messages_for_common_mistakes(tmp_path: Path) -> None:
    record = dict(
        RECORD,
        country="NO",  # dumped unquoted, read back by YAML 1.1 as false
        cost={"amount": "lots", "currency": "usd"},
        skills=["https://example.org/skill"],
        colour="blue",
    )
    text = yaml.safe_dump(document(record), sort_keys=False).replace("country: 'NO'", "country: NO")
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    messages = {issue.field: issue.message for issue in rejected(path)}
    assert messages["country"] == "expected text, got False (put the value in quotes in YAML)"
    assert messages["cost.amount"] == "expected a number, got 'lots'"
    assert messages["cost.currency"] == "'usd' is not a three-letter ISO 4217 currency code in capitals, such as 'USD'"
    assert messages["skills[0].uri"].startswith("'https://example.org/skill' is not an ESCO skill URI")
    assert messages["colour"] == "unknown field 'colour'; did you mean 'country'?"


def test_model_rules_name_their_field(tmp_path: Path) -> None:
    record = dict(RECORD, stacks_into=[{"target_id": "X-1", "credit": 1}])
    issues = rejected(write_yaml(tmp_path, document(record)))
    assert located(issues) == [(1, "stacks_into")]
    assert issues[0].message == "a credential cannot stack into itself"


# -- shared values and the document envelope -----------------------------------------------------


def test_a_bad_default_is_reported_once_at_its_source(tmp_path: Path) -> None:
    records = [dict(RECORD, id=f"X-{i}") for i in range(3)]
    doc = document(*records, defaults={"quality_assurance": "QA", "language": "English", "colour": "x", "id": "Y"})
    issues = rejected(write_yaml(tmp_path, doc))
    assert located(issues) == [(None, "defaults.colour"), (None, "defaults.id"), (None, "defaults.language")]
    assert issues[2].message == "'English' is not a two-letter lowercase ISO 639-1 language code, such as 'en'"


def test_institution_and_top_level_problems_are_collected(tmp_path: Path) -> None:
    doc = document(institution={"name": "", "country": "USA", "currency": "USD", "web": "x"}, extra=1)
    issues = rejected(write_yaml(tmp_path, doc))
    assert located(issues) == [
        (None, "extra"),
        (None, "institution.name"),
        (None, "institution.country"),
        (None, "institution.web"),
    ]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            [1, 2],
            "a catalog must be a mapping with keys format, institution, defaults, credentials; got a list",
        ),
        (None, "got an empty document"),
        ({"credentials": []}, "missing 'format: stackwise-catalog/1'"),
        ({"format": "stackwise-catalog/2"}, "unsupported format 'stackwise-catalog/2'"),
        (document(credentials=[]), "the catalog lists no credentials"),
        (document(credentials={"a": 1}), "'credentials' must be a list of records; got a dict"),
        (document(credentials=["X-1"]), "each credential must be a mapping of field: value; got 'X-1'"),
    ],
)
def test_wrong_shapes_are_refused_clearly(tmp_path: Path, doc: object, expected: str) -> None:
    issues = rejected(write_yaml(tmp_path, doc))
    assert expected in issues[0].message


# -- syntax, size and file problems --------------------------------------------------------------


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("format: stackwise-catalog/1\ninstitution:\n  name: [unclosed\n  country: US\n", encoding="utf-8")
    (issue,) = rejected(path)
    assert issue.message.startswith("YAML syntax error at line 4, column")


def test_duplicate_yaml_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("format: stackwise-catalog/1\ncredentials:\n  - id: A\n    id: B\n", encoding="utf-8")
    (issue,) = rejected(path)
    assert issue.message == "YAML syntax error at line 4, column 5: found duplicate key 'id'"


def test_json_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('{\n  "format": "stackwise-catalog/1",\n  "credentials": [,]\n}', encoding="utf-8")
    (issue,) = rejected(path)
    assert issue.message == "JSON syntax error at line 3, column 19: Expecting value"


def test_json_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('{"format": "stackwise-catalog/1", "format": "x"}', encoding="utf-8")
    (issue,) = rejected(path)
    assert "duplicate key 'format'" in issue.message


def test_undecodable_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_bytes(b"format: stackwise-catalog/1\ninstitution:\n  name: Caf\xe9\n")
    (issue,) = rejected(path)
    assert issue.message.startswith("line 3: byte b'\\xe9' is not valid utf-8-sig text")


def test_files_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, document())
    with pytest.raises(DataSourceError, match=r"file is \d+ bytes, over the 100 bytes limit"):
        load_catalog(path, max_bytes=100)
    assert len(load_catalog(path, max_bytes=100_000)) == 1


def test_unreadable_sources(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="file not found"):
        load_catalog(tmp_path / "missing.yaml")
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(DataSourceError, match="is a directory"):
        load_catalog(tmp_path / "dir.yaml")
    with pytest.raises(DataSourceError, match=r"unsupported catalog file type '\.xlsx'"):
        load_catalog(tmp_path / "catalog.xlsx")
    with pytest.raises(DataSourceError, match="needs a column mapping"):
        load_catalog(tmp_path / "catalog.csv")
    with pytest.raises(DataSourceError, match=r"only applies to \.csv"):
        load_catalog(tmp_path / "catalog.yaml", mapping=tmp_path / "m.yaml")


# -- the demo catalog ----------------------------------------------------------------------------


@pytest.mark.skipif(
    not DEMO.exists(), reason="the demo catalog index/data/catalogs/demo/catalog.yaml is not written yet"
)
def test_demo_catalog_loads_without_issues() -> None:
    catalog = load_catalog(DEMO)
    assert len(catalog) > 0
    assert catalog.validate() == []


@pytest.mark.skipif(
    not (DEMO.exists() and BUNDLE_SKILLS.exists()), reason="needs the demo catalog and the taxonomy bundle"
)
def test_demo_catalog_skills_are_in_the_taxonomy_bundle() -> None:
    with gzip.open(BUNDLE_SKILLS, "rt", encoding="utf-8") as lines:
        ids = [json.loads(line)["id"] for line in lines if line.strip()]
    known = {i if i.startswith("http") else "http://data.europa.eu/esco/" + i for i in ids}
    assert len(load_catalog(DEMO, known_skill_uris=known)) > 0
