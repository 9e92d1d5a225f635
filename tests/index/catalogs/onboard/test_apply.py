"""A reviewed onboarding folder becomes a native catalog: the person's decisions and edits win, nothing is
guessed, and a sheet with mistakes is reported whole with nothing written."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.core.errors import CatalogValidationError
from assistant.core.models import Institution
from index.catalogs.export import write_catalog
from index.catalogs.files import read_catalog_file
from index.catalogs.onboard.apply import apply_review
from index.catalogs.onboard.pipeline import onboard
from tests.index.catalogs.onboard.test_pipeline import FIXTURE, PYTHON, SQL, WordFinder

OWNER = Institution(name="Lakeside Polytechnic", country="US", currency="USD")
KNOWN = {SQL, PYTHON, "http://data.europa.eu/esco/skill/sheets"}


def _folder(tmp_path: Path) -> Path:
    out = tmp_path / "review"
    onboard(FIXTURE, out, WordFinder(), is_language_skill=lambda uri: False)
    return out


def _edit(folder: Path, change: dict[tuple[str, str], dict[str, str]]) -> None:
    """Edit the sheet as a person would in a spreadsheet: (title, skill label or "") → new cells."""
    path = folder / "review.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, columns = list(reader), reader.fieldnames or []
    for row in rows:
        row.update(change.get((row["title"], row["skill_label"]), {}))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def test_unattended_review_gives_a_catalog_that_says_what_it_does_not_know(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    applied = apply_review(folder, institution=OWNER, known_skill_uris=KNOWN)
    catalog = applied.catalog
    assert len(catalog) == 4 and applied.left_out == 1  # the second "Python Programming Basics" copy
    sql = catalog.get("LP-sql-for-data-analysis")
    assert sql.cost is not None and sql.cost.amount == Decimal(450) and sql.workload_hours == 40
    assert sql.skill_uris == (SQL,)
    sheets = catalog.get("LP-spreadsheet-skills-at-work")
    assert sheets.cost is None and sheets.workload_hours is None and sheets.eqf_level is None
    assert sheets.skills == ()  # the unsure suggestion waits for a person; the course is kept without skills
    assert applied.not_stated["price"] == 1 and applied.not_stated["skills"] >= 1
    assert "price 1" in applied.lines()[1]
    path = tmp_path / "catalog.yaml"
    write_catalog(path, OWNER, catalog)
    reloaded = read_catalog_file(path, known_skill_uris=KNOWN)
    assert reloaded.get("LP-spreadsheet-skills-at-work").cost is None  # the native format keeps it unknown


def test_a_reviewers_edits_win(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _edit(
        folder,
        {
            ("Spreadsheet Skills at Work", ""): {"price": "300", "eqf_level": "4", "delivery_mode": "online"},
            ("Spreadsheet Skills at Work", "use spreadsheets software"): {"decision": "accept"},
            ("SQL for Data Analysis", "SQL"): {"decision": "reject"},
            ("Welding Safety", ""): {"decision": "reject"},
        },
    )
    catalog = apply_review(folder, institution=OWNER, known_skill_uris=KNOWN).catalog
    sheets = catalog.get("LP-spreadsheet-skills-at-work")
    assert sheets.cost is not None and sheets.cost.amount == 300 and sheets.eqf_level == 4
    assert sheets.delivery_mode is not None and sheets.delivery_mode.value == "online"
    assert sheets.skill_uris == ("http://data.europa.eu/esco/skill/sheets",)
    assert catalog.get("LP-sql-for-data-analysis").skills == ()
    assert "HTS-welding-safety" not in catalog


def test_mistakes_in_the_sheet_are_all_reported_and_nothing_is_built(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _edit(
        folder,
        {
            ("SQL for Data Analysis", "SQL"): {"decision": "yes please", "skill_uri": SQL},
            ("Python Programming Basics", "Python"): {"skill_uri": "http://data.europa.eu/esco/skill/made-up"},
            ("Welding Safety", ""): {"price": "twelve hundred"},
        },
    )
    with pytest.raises(CatalogValidationError) as info:
        apply_review(folder, institution=OWNER, known_skill_uris=KNOWN)
    messages = " | ".join(issue.message for issue in info.value.issues)
    assert "accept, reject or leave it blank" in messages
    assert "not an ESCO skill" in messages
    assert "is not a number" in messages
    assert all(issue.row for issue in info.value.issues)  # each names its line of the sheet


def test_a_fact_stated_once_in_the_mapping_reaches_every_course(tmp_path: Path) -> None:
    """A registrar who knows every course is online says so once (``constants``) and onboards again."""
    first = _folder(tmp_path)
    mapping = (
        (first / "mapping.yaml")
        .read_text(encoding="utf-8")
        .replace("constants: {}", "constants: {delivery_mode: online, assessment: quiz}")
    )
    (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
    again = tmp_path / "again"
    onboard(FIXTURE, again, WordFinder(), is_language_skill=lambda uri: False, mapping_path=tmp_path / "mapping.yaml")
    catalog = apply_review(again, institution=OWNER, known_skill_uris=KNOWN).catalog
    assert all(c.delivery_mode is not None and c.delivery_mode.value == "online" for c in catalog)
    assert all(c.assessment is not None and c.assessment.value == "quiz" for c in catalog)
    assert [c.id for c in catalog] == [
        c.id for c in apply_review(first, institution=OWNER, known_skill_uris=KNOWN).catalog
    ]


def test_an_accepted_technology_adds_its_linked_esco_skill(tmp_path: Path) -> None:
    from index.catalogs.onboard.technologies import Technology, TechnologyFinder

    out = tmp_path / "review"
    finder = TechnologyFinder([Technology("Tableau", True, "http://data.europa.eu/esco/skill/sheets")])
    onboard(FIXTURE, out, WordFinder(), is_language_skill=lambda uri: False, technologies=finder)
    with (out / "review.csv").open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["kind"] == "technology"]
    assert [(r["title"], r["decision"]) for r in rows] == [("SQL for Data Analysis", "")]  # a person decides
    assert "hot technology" in rows[0]["skill_label"]
    _edit(out, {("SQL for Data Analysis", rows[0]["skill_label"]): {"decision": "accept"}})
    catalog = apply_review(out, institution=OWNER, known_skill_uris=KNOWN).catalog
    assert "http://data.europa.eu/esco/skill/sheets" in catalog.get("LP-sql-for-data-analysis").skill_uris
