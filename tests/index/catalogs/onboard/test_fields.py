"""Fields read from an export's free text, with the text kept and nothing guessed."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from index.catalogs.onboard.fields import (
    NOT_STATED,
    read_effort,
    read_language,
    read_length,
    read_level,
    read_pacing,
    read_price,
)


def test_effort_and_length_ranges() -> None:
    effort = read_effort("2–3 hours per week")
    assert effort.value is not None and (effort.value.low, effort.value.high) == (2, 3)
    assert read_effort("10 hours a week").value is not None
    weeks = read_length("6 Weeks").value
    assert weeks is not None and weeks.low == weeks.high == 6
    months = read_length("3 - 6 Months").value
    assert months is not None and (months.low, months.high) == (13.0, 26.0)
    years = read_length("2 to 4 years depending on the program").value
    assert years is not None and (years.low, years.high) == (104.0, 208.0)


def test_prices_as_exports_write_them() -> None:
    offer = read_price("FREE-Add a Verified Certificate for $49 USD").value
    assert offer is not None and offer.free_to_audit and offer.amount == Decimal(49) and offer.currency == "USD"
    plain = read_price("$1,200.00").value
    assert plain is not None and plain.amount == Decimal("1200.00") and not plain.free_to_audit
    free = read_price("Free").value
    assert free is not None and free.amount == 0 and free.free_to_audit


@pytest.mark.parametrize(
    "reader", [read_effort, read_length, read_price, read_level, read_language, read_pacing]
)
def test_nothing_is_guessed(reader: object) -> None:
    empty = reader("")  # type: ignore[operator]
    assert empty.value is None and empty.why_missing == NOT_STATED
    junk = reader(" and Environmental Determinants of Malaria")  # type: ignore[operator]
    assert junk.value is None and junk.why_missing == "unreadable"


def test_levels_languages_and_pacing_stay_what_the_export_says() -> None:
    assert read_level("Introductory").value == "introductory"
    assert read_level("2").value is None  # a number is not turned into an EQF level
    assert read_language("Español").value == "es" and read_language("English, 中文").value == "en"
    assert read_pacing("Self-paced on your time").value == "self-paced"
    assert read_pacing("Instructor-led on a course schedule").value == "scheduled"


EDX = Path(__file__).resolve().parents[5] / "shared" / "data" / "catalogs" / "edx" / "edx_courses.csv"


@pytest.mark.skipif(not EDX.exists(), reason="the edX export is in ../shared/data")
def test_on_the_real_edx_export_every_well_formed_cell_is_read() -> None:
    """Cells that look like the field (not a misaligned fragment of a description) are all read."""
    with EDX.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2706
    checks = (("course_effort", read_effort, "per week"), ("course_length", read_length, "Week"),
              ("price", read_price, "Verified Certificate"))  # fmt: skip
    for column, reader, marker in checks:
        cells = [row[column] for row in rows if marker in row[column] and len(row[column]) < 60]
        unread = [cell for cell in cells if not reader(cell).stated]
        assert cells and not unread, (column, unread[:5])
