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


def test_catalog_validate_names_row_and_field_and_exits_2(tmp_path: Path) -> None:
    report = tmp_path / "issues.csv"
    args = ["catalog", "validate", str(FIXTURES / "malformed_catalog.yaml"), "--report", str(report)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "nothing was loaded" in result.output
    assert "row 3" in result.output
    assert "field 'delivery_mode'" in result.output
    assert f"all of them are in {report}" in result.output


def test_every_issue_of_a_large_export_is_written_with_a_summary(tmp_path: Path) -> None:
    """Past the 50 the terminal shows, nothing is lost: the report holds every issue, grouped by kind."""
    import csv

    import yaml

    rows = [
        {"id": f"X-{n:03d}", "title": f"Course {n}", "kind": "micro-credential", "learning_outcomes": ["Do it"],
         "workload_hours": 10, "eqf_level": 4, "assessment": "quiz", "delivery_mode": "correspondence",
         "cost": -5, "duration_weeks": 2}
        for n in range(40)
    ]  # fmt: skip
    catalog = {
        "format": "stackwise-catalog/1",
        "institution": {"name": "Export College", "country": "US", "currency": "USD"},
        "defaults": {"quality_assurance": "Accredited"},
        "credentials": rows,
    }
    path = tmp_path / "export.yaml"
    path.write_text(yaml.safe_dump(catalog), encoding="utf-8")
    result = CliRunner().invoke(main, ["catalog", "validate", str(path), "--report", str(tmp_path / "all.json")])
    assert result.exit_code == 2
    assert "… and 30 more" in result.output  # the terminal still stops at 50
    written = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(written) == 80 and {row["field"] for row in written} == {"delivery_mode", "cost.amount"}
    assert "80 issue(s) in 40 record(s)" in result.output and "by field: " in result.output
    default = CliRunner().invoke(main, ["catalog", "validate", str(path)])
    with (tmp_path / "export.issues.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 80
    assert default.exit_code == 2


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


def test_catalog_onboard_refuses_bad_exports_before_loading_anything(tmp_path: Path) -> None:
    """A missing file, a file with no title column and a folder holding a review: clear errors, exit 2, and
    nothing written (the linker is never loaded for an export that cannot be read)."""
    out = tmp_path / "review"
    missing = CliRunner().invoke(main, ["catalog", "onboard", str(tmp_path / "absent.csv"), "--out", str(out)])
    assert missing.exit_code == 2 and "not found" in missing.output and "Traceback" not in missing.output
    export = tmp_path / "export.csv"
    export.write_text("Fee,Link\n$10,https://example.edu/a\n", encoding="utf-8")
    untitled = CliRunner().invoke(main, ["catalog", "onboard", str(export), "--out", str(out)])
    assert untitled.exit_code == 2 and "no column holds the course titles" in untitled.output
    assert not out.exists()
    out.mkdir()
    (out / "review.csv").write_text("kind,id,decision\n", encoding="utf-8")
    occupied = CliRunner().invoke(main, ["catalog", "onboard", str(FIXTURES / "free_text_skills_export.csv"),
                                         "--out", str(out)])  # fmt: skip
    assert occupied.exit_code == 2 and "already holds files" in occupied.output
    assert (out / "review.csv").read_text(encoding="utf-8") == "kind,id,decision\n"


def test_catalog_apply_review_writes_a_catalog_that_validates(tmp_path: Path) -> None:
    from index.catalogs.onboard.pipeline import onboard
    from tests.index.catalogs.onboard.test_pipeline import FIXTURE, WordFinder

    folder = tmp_path / "review"
    onboard(FIXTURE, folder, WordFinder(), is_language_skill=lambda uri: False)
    # the fake finder's URIs are not ESCO's: accepting one is reported with its line, and nothing is written
    catalog = tmp_path / "catalog.yaml"
    args = ["catalog", "apply-review", str(folder), "--out", str(catalog), "--institution", "Lakeside Polytechnic"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "is not an ESCO skill" in refused.output and not catalog.exists()
    sheet = (folder / "review.csv").read_text(encoding="utf-8-sig").replace(",accept,yes,http", ",reject,yes,http")
    (folder / "review.csv").write_text(sheet, encoding="utf-8-sig")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "4 credentials (1 rejected in the review)" in result.output and "price 1" in result.output
    checked = CliRunner().invoke(main, ["catalog", "validate", str(catalog)])
    assert checked.exit_code == 0 and "no problems found" in checked.output
    assert "not stated (shown to learners as not stated, never guessed): price 1" in checked.output


def test_catalog_health_prints_stable_json_and_markdown_for_a_catalog_file(tmp_path: Path) -> None:
    import yaml

    demo = Path(__file__).parents[1] / "index" / "data" / "catalogs" / "demo" / "catalog.yaml"
    document = yaml.safe_load(demo.read_text(encoding="utf-8"))
    twin = dict(document["credentials"][0], id="LPC-DA-101-COPY")
    bare = dict(document["credentials"][1], id="LPC-BARE-1", skills=[])
    for row in (twin, bare):
        row.pop("stacks_into", None)
        row.pop("prepares_for", None)
    document["credentials"] += [twin, bare]
    path = tmp_path / "planted.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["catalog", "health", str(path), "--json", "--no-routes"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"duplicates", "unaligned", "destinations", "demand_gaps", "coverage", "completeness"} <= set(report)
    first = document["credentials"][0]["id"]
    assert any(set(pair["ids"]) == {first, "LPC-DA-101-COPY"} for pair in report["duplicates"])
    assert {"id": "LPC-BARE-1", "problem": "no aligned skills"}.items() <= next(
        u for u in report["unaligned"] if u["id"] == "LPC-BARE-1"
    ).items()
    markdown = CliRunner().invoke(main, ["catalog", "health", str(path), "--markdown", "--no-routes"])
    assert markdown.exit_code == 0 and "LPC-DA-101-COPY" in markdown.output
