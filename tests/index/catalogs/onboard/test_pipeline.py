"""Onboarding an export end to end, with a deterministic finder (the real linker is in ``test_onboard_real``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from assistant.core.errors import CatalogValidationError, DataSourceError
from index.catalogs.onboard.pipeline import onboard, review_rows

FIXTURE = Path(__file__).parents[1] / "fixtures" / "free_text_skills_export.csv"
SQL = "http://data.europa.eu/esco/skill/sql"
PYTHON = "http://data.europa.eu/esco/skill/python"


@dataclass(frozen=True)
class Mention:
    uri: str
    label: str
    confidence: float
    text: str


class WordFinder:
    """Names a skill wherever its word appears: confident for SQL and Python, unsure for "spreadsheet"."""

    WORDS: ClassVar[dict[str, tuple[str, str, float]]] = {"sql": (SQL, "SQL", 0.95), "python": (PYTHON, "Python", 0.95),
             "spreadsheet": ("http://data.europa.eu/esco/skill/sheets", "use spreadsheets software", 0.6)}  # fmt: skip

    def __init__(self) -> None:
        self.calls = 0

    def mentions_many(self, texts: Sequence[str]) -> list[list[Mention]]:
        self.calls += 1
        return [
            [Mention(uri, label, conf, word) for word, (uri, label, conf) in self.WORDS.items() if word in t.lower()]
            for t in texts
        ]


def _onboard(tmp_path: Path, export: Path = FIXTURE, **kwargs: object) -> tuple[dict[str, object], Path]:
    out = tmp_path / "review"
    onboard(export, out, WordFinder(), is_language_skill=lambda uri: False, **kwargs)  # type: ignore[arg-type]
    return json.loads((out / "summary.json").read_text(encoding="utf-8")), out


def test_an_export_with_free_text_columns_is_proposed_with_its_sources(tmp_path: Path) -> None:
    summary, out = _onboard(tmp_path)
    assert summary["rows"] == 5 and summary["proposed"] == 5 and summary["mapping_inferred"] is True
    assert summary["rows_with_skills_cell"] == 3  # rows whose skills column named a skill the finder knows
    assert summary["rows_with_suggested_skills"] == 4
    assert summary["prices_stated"] == 3  # "Contact the registrar" and an empty cell are not prices
    assert summary["duplicate_groups"] == 1
    proposals = {p["title"] + p["id"][-2:]: p for p in map(json.loads, (out / "proposals.jsonl").open())}
    sql = next(p for p in proposals.values() if p["title"] == "SQL for Data Analysis")
    assert sql["id"] == "LP-sql-for-data-analysis" and sql["price"] == 450 and sql["currency"] == "USD"
    assert sql["effort_hours_per_week"] == [4, 6] and sql["duration_weeks"] == 8 and sql["workload_hours"] == 40
    assert sql["sources"]["effort"] == "4-6 hours per week" and sql["level_stated"] == "introductory"
    sheets = next(p for p in proposals.values() if p["title"] == "Spreadsheet Skills at Work")
    assert sheets["price"] is None and {"price", "workload", "level", "delivery_mode"} <= set(sheets["not_stated"])
    mapping = (out / "mapping.yaml").read_text(encoding="utf-8")
    assert "skills: Skills Gained" in mapping and "effort: Time Commitment" in mapping


def test_the_review_sheet_prefills_only_what_the_rules_decide(tmp_path: Path) -> None:
    _, out = _onboard(tmp_path)
    with (out / "review.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    courses = [r for r in rows if r["kind"] == "course"]
    python = [r for r in courses if r["title"] == "Python Programming Basics"]
    assert [r["decision"] for r in python] == ["accept", "reject"]  # the second copy of one course
    assert "keep one of the group" in python[1]["note"]
    skills = [r for r in rows if r["kind"] == "skill"]
    confident = [r for r in skills if r["skill_label"] in ("SQL", "Python")]
    assert confident and all(r["decision"] == "accept" and r["auto"] == "yes" for r in confident)
    unsure = [r for r in skills if r["skill_label"] == "use spreadsheets software"]
    assert unsure and all(r["decision"] == "" for r in unsure)  # a person decides
    assert all(r["evidence"] for r in skills)


def test_a_folder_with_a_review_in_it_is_never_overwritten(tmp_path: Path) -> None:
    _, out = _onboard(tmp_path)
    edited = (out / "review.csv").read_text(encoding="utf-8-sig").replace("accept", "reject", 1)
    (out / "review.csv").write_text(edited, encoding="utf-8-sig")
    with pytest.raises(DataSourceError, match="already holds files"):
        onboard(FIXTURE, out, WordFinder(), is_language_skill=lambda uri: False)
    assert (out / "review.csv").read_text(encoding="utf-8-sig") == edited


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"\xff\xfe\x00b\x00a\x00d", CatalogValidationError, "cannot read"),
        (b"", DataSourceError, "no header and course rows"),
        (b"Fee,Link\n$10,https://example.edu/a\n", CatalogValidationError, "cannot onboard"),
    ],
    ids=["wrong-encoding", "empty", "no-title-column"],
)
def test_bad_exports_fail_clearly_and_write_nothing(
    tmp_path: Path, content: bytes, error: type[Exception], message: str
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(content)
    out = tmp_path / "review"
    finder = WordFinder()
    with pytest.raises(error, match=message):
        onboard(export, out, finder, is_language_skill=lambda uri: False)
    assert not out.exists() and finder.calls == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".review")]  # no staging folder left


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="over the"):
        onboard(FIXTURE, tmp_path / "review", WordFinder(), is_language_skill=lambda uri: False, max_bytes=100)
    assert not (tmp_path / "review").exists()


def test_a_missing_export_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="not found"):
        onboard(tmp_path / "absent.csv", tmp_path / "review", WordFinder(), is_language_skill=lambda uri: False)


def test_review_rows_have_the_same_columns_for_courses_and_skills(tmp_path: Path) -> None:
    _, out = _onboard(tmp_path)
    from index.catalogs.onboard.pipeline import Proposal

    proposals = [Proposal(**json.loads(line)) for line in (out / "proposals.jsonl").open(encoding="utf-8")]
    rows = review_rows(proposals)
    assert len({tuple(row) for row in rows}) == 1
