"""Lines a multi-line cell spilled into are joined back to their course; a well-formed export is untouched."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from index.catalogs.onboard.records import rejoin

HEADER = ["title", "institution", "level", "price", "syllabus", "url"]


def test_spilled_lines_join_their_course_and_bring_its_address() -> None:
    rows = [
        ["Leading Teams", "UQ", "Intermediate", "$49", "MODULE 1: Introduction", ""],
        ["Examines motivation", " developing strategies", " and what motivates"],
        ["Closing thoughts", "https://www.edx.org/course/leading-teams"],
        ["Intro to SQL", "edX", "Introductory", "Free", "Week 1", "https://www.edx.org/course/sql"],
    ]
    joined = rejoin(HEADER, rows, url_column="url")
    assert [r.cells["title"] for r in joined.records] == ["Leading Teams", "Intro to SQL"]
    first = joined.records[0]
    assert first.lines == [2, 3, 4] and first.cells["url"] == "https://www.edx.org/course/leading-teams"
    assert first.cells["syllabus"].endswith(
        "Examines motivation, developing strategies, and what motivates\nClosing thoughts"
    )
    assert joined.orphans == []


def test_a_well_formed_export_is_returned_as_it_is_and_a_leading_fragment_is_reported() -> None:
    rows = [
        ["just a fragment"],
        ["A", "B", "C", "D", "E", "https://x.org/a"],
        ["F", "G", "H", "I", "J", "https://x.org/b"],
    ]
    joined = rejoin(HEADER, rows, url_column="url")
    assert [r.cells["title"] for r in joined.records] == ["A", "F"] and not any(r.joined for r in joined.records)
    assert joined.orphans == [2]


EDX = Path(__file__).resolve().parents[5] / "shared" / "data" / "catalogs" / "edx" / "edx_courses.csv"


@pytest.mark.skipif(not EDX.exists(), reason="the edX export is in ../shared/data")
def test_the_edx_export_s_2706_records_are_about_976_courses() -> None:
    with EDX.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    joined = rejoin(rows[0], rows[1:], url_column="course_url")
    with_address = [r for r in joined.records if r.cells["course_url"].startswith("https://www.edx.org/")]
    assert len(rows) - 1 == 2706 and 970 <= len(with_address) <= 976
    assert len(joined.records) - len(with_address) < 10
