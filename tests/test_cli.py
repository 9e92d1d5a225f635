"""The `stackwise` command on the real bundle and demo catalog."""

import json
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import main

FIXTURES = Path(__file__).parent / "index" / "catalogs" / "fixtures"


def test_data_stats_reports_the_acceptance_counts() -> None:
    result = CliRunner().invoke(main, ["data", "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["skills"] == 13_896
    assert stats["occupations"] == 3_007
    assert stats["occupation_skill_relations"] == 123_855
    assert stats["credentials"] >= 80
    assert stats["stack_destinations"] >= 8
    assert stats["catalog_fields"] >= 6


def test_catalog_validate_accepts_the_demo_catalog() -> None:
    demo = Path(__file__).parents[1] / "index" / "data" / "catalogs" / "demo" / "catalog.yaml"
    result = CliRunner().invoke(main, ["catalog", "validate", str(demo)])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output


def test_catalog_validate_names_row_and_field_and_exits_2() -> None:
    result = CliRunner().invoke(main, ["catalog", "validate", str(FIXTURES / "malformed_catalog.yaml")])
    assert result.exit_code == 2
    assert "nothing was loaded" in result.output
    assert "row 3" in result.output
    assert "field 'delivery_mode'" in result.output


def test_missing_catalog_file_is_a_plain_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["catalog", "validate", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_data_check_says_bundle_matches_sources() -> None:
    result = CliRunner().invoke(main, ["data", "check"])
    assert result.exit_code == 0, result.output


def test_catalog_import_ctdl_writes_a_loadable_catalog(shared_data: Path, tmp_path: Path) -> None:
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text(
        "awarding_body: Sample College\ncountry: US\nlearning_outcomes: [Outcomes as published]\n"
        "workload_hours: 45\neqf_level: 5\nassessment: exam\ndelivery_mode: online\n"
        "quality_assurance: Accredited\ncost: {amount: 0}\nduration_weeks: 8\ncredit_unit: credit-hour\n"
    )
    source = shared_data / "ctdl/PathwaysConditionsAndConstraints/Pathway-Examples/CompTIA"
    out = tmp_path / "catalog.yaml"
    args = [
        "catalog",
        "import",
        str(source / "CompTIA-IT_Networking_Specialist.jsonld"),
        "--from",
        "ctdl",
        "--defaults",
        str(defaults),
        "--institution",
        "Sample College",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "8 credentials" in result.output
    check = CliRunner().invoke(main, ["catalog", "validate", str(out)])
    assert check.exit_code == 0, check.output


def test_catalog_import_refuses_incomplete_records(shared_data: Path, tmp_path: Path) -> None:
    defaults = tmp_path / "defaults.yaml"
    defaults.write_text("country: US\n")
    source = shared_data / "ctdl/PathwaysConditionsAndConstraints/Pathway-Examples/CompTIA"
    out = tmp_path / "catalog.yaml"
    args = [
        "catalog",
        "import",
        str(source / "CompTIA-IT_Networking_Specialist.jsonld"),
        "--from",
        "ctdl",
        "--defaults",
        str(defaults),
        "--institution",
        "Sample College",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "learning_outcomes" in result.output
    assert not out.exists()
