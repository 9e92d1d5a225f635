"""Date ranges as résumés write them, and the month arithmetic used for years of use and recency."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.resume import (
    DatePrecision,
    estimate_months,
    find_date_range,
    find_dates,
    months_between,
    months_since,
    parse_date,
    years_between,
)

M, Y = DatePrecision.MONTH, DatePrecision.YEAR


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("Jan 2019 – Present", date(2019, 1, 1), None, True),
        ("2017-2020", date(2017, 1, 1), date(2020, 12, 1), False),
        ("03/2018 - 06/2021", date(2018, 3, 1), date(2021, 6, 1), False),
        ("March 2015 to Dec 2016", date(2015, 3, 1), date(2016, 12, 1), False),
        ("2019 – current", date(2019, 1, 1), None, True),
        ("Sept. 2016 — Feb. 2019", date(2016, 9, 1), date(2019, 2, 1), False),
        ("January, 2020 until now", date(2020, 1, 1), None, True),
        ("Jun – Aug 2011", date(2011, 6, 1), date(2011, 8, 1), False),
        ("2019-03 – 2020-05", date(2019, 3, 1), date(2020, 5, 1), False),
        ("since May 2022", date(2022, 5, 1), None, True),
        ("Jan '19 - Dec '20", date(2019, 1, 1), date(2020, 12, 1), False),
        ("2021 –", date(2021, 1, 1), None, True),
        ("(2015 to date)", date(2015, 1, 1), None, True),
    ],
)
def test_ranges(text: str, start: date, end: date | None, current: bool) -> None:
    found = find_date_range(f"Data Analyst, Acme   {text}")
    assert found is not None
    assert (found.start, found.end, found.current) == (start, end, current)


def test_range_location_in_the_line() -> None:
    line = "Data Analyst | Acme Corp | 2019–2022"
    found = find_date_range(line)
    assert found is not None
    assert line[found.start_index : found.end_index] == "2019–2022" == found.text


@pytest.mark.parametrize("text", ["2020 - 2018", "555-0142", "Call 555-2019 today", "Marketing 2019x", "1,200 hours"])
def test_not_ranges(text: str) -> None:
    assert find_date_range(text) is None


def test_single_dates_and_precision() -> None:
    assert parse_date("2019") == (date(2019, 1, 1), Y)
    assert parse_date("2019", as_end=True) == (date(2019, 12, 1), Y)
    assert parse_date("Sep 2019") == (date(2019, 9, 1), M)
    assert parse_date("13/2019") is None
    assert find_dates("Call 555-2019") is None
    found = find_dates("Graduated May 2020")
    assert found is not None and found.single and found.start == found.end == date(2020, 5, 1)


def test_month_arithmetic_has_no_hidden_clock() -> None:
    assert months_between(date(2019, 1, 31), date(2019, 2, 1)) == 1
    assert months_between(date(2020, 5, 1), date(2019, 5, 1)) == -12
    assert years_between(date(2018, 3, 1), date(2021, 9, 1)) == 3.5
    assert months_since(date(2030, 1, 1), date(2025, 1, 1)) == 0


@pytest.mark.parametrize(
    ("start", "start_precision", "end", "end_precision", "months"),
    [
        (date(2019, 1, 1), M, date(2019, 12, 1), M, 12),
        (date(2019, 3, 1), M, date(2019, 3, 1), M, 1),
        (date(2017, 1, 1), Y, date(2020, 12, 1), Y, 36),
        (date(2019, 1, 1), Y, date(2019, 12, 1), Y, 6),
        (date(2017, 1, 1), Y, date(2020, 3, 1), M, 33),
    ],
)
def test_estimated_months(
    start: date, start_precision: DatePrecision, end: date, end_precision: DatePrecision, months: int
) -> None:
    assert estimate_months(start, start_precision, end, end_precision) == months
