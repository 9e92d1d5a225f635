"""Dates as résumés write them ("Jan 2019 – Present", "2017-2020", "03/2018 - 06/2021") and month arithmetic.

A hand-written grammar rather than a fuzzy parser: it must say *where* in the line the dates are (so the
rest of the line can be read as title and organisation) and refuse anything it is not sure of. Nothing here
reads the clock; callers pass ``today``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class DatePrecision(StrEnum):
    MONTH = "month"
    YEAR = "year"


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_YEAR = r"(?:19|20)\d{2}"
_TOKEN = (
    rf"(?:\b{_MONTH}\s{{0,3}},?\s{{0,3}}(?:{_YEAR}|['’]\d{{2}})(?!\d)"  # Jan 2019, January, 2019, Jan '19
    rf"|(?<![\d/.])(?:0?[1-9]|1[0-2])\s?[/.]\s?{_YEAR}(?!\d)"  # 03/2018, 3.2018
    rf"|(?<!\d){_YEAR}[/-](?:0[1-9]|1[0-2])(?![\d/-])"  # 2018-03
    rf"|(?<![\d/.]){_YEAR}(?!\d))"  # 2018
)
_SEP = r"\s{0,3}(?:-{1,2}|[–—‒―~]|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s{0,3}"
_OPEN = r"(?:present|current(?:ly)?|now|today|to\s{1,3}date|ongoing|date)\b"
_RANGE = re.compile(
    rf"(?P<start>{_TOKEN}){_SEP}(?:(?P<open>{_OPEN})|(?P<end>{_TOKEN}))"
    rf"|(?P<m1>\b{_MONTH}){_SEP}(?P<m2end>\b{_MONTH}\s{{0,3}},?\s{{0,3}}{_YEAR}(?!\d))"  # Jun – Aug 2019
    rf"|\b(?:since|from)\s{{1,3}}(?P<since>{_TOKEN})"
    rf"|(?P<dangling>{_TOKEN})\s{{0,3}}[-–—]\s{{0,3}}$",  # "2019 –" with nothing after it
    re.IGNORECASE,
)
_SINGLE = re.compile(rf"(?<![-\d]){_TOKEN}", re.IGNORECASE)  # not the end of "555-2019"


@dataclass(frozen=True)
class DateRange:
    """Dates found in a line; ``start_index``/``end_index`` locate them in that line."""

    start: date | None
    end: date | None
    current: bool
    start_precision: DatePrecision
    end_precision: DatePrecision
    start_index: int
    end_index: int
    text: str
    single: bool = False


def parse_date(token: str, *, as_end: bool = False) -> tuple[date, DatePrecision] | None:
    """Parse one date token; a year alone is January (or December ``as_end``) with year precision."""
    token = token.strip().casefold()
    if match := re.fullmatch(rf"({_MONTH})\s{{0,3}},?\s{{0,3}}({_YEAR}|['’]\d{{2}})", token):
        year_text = match.group(2)
        year = int(year_text) if year_text[0].isdigit() else _two_digit_year(int(year_text[1:]))
        return date(year, _MONTHS[match.group(1)[:3]], 1), DatePrecision.MONTH
    if match := re.fullmatch(rf"(0?[1-9]|1[0-2])\s?[/.]\s?({_YEAR})", token):
        return date(int(match.group(2)), int(match.group(1)), 1), DatePrecision.MONTH
    if match := re.fullmatch(rf"({_YEAR})[/-](0[1-9]|1[0-2])", token):
        return date(int(match.group(1)), int(match.group(2)), 1), DatePrecision.MONTH
    if re.fullmatch(_YEAR, token):
        return date(int(token), 12 if as_end else 1, 1), DatePrecision.YEAR
    return None


def _two_digit_year(value: int) -> int:
    """'19 → 2019, '98 → 1998: a fixed pivot, because the core has no clock."""
    return 2000 + value if value < 50 else 1900 + value


def find_date_range(line: str) -> DateRange | None:
    """The first well-ordered date range in a line, or None (single dates: see ``find_single_date``)."""
    for match in _RANGE.finditer(line):
        found = _from_match(match)
        if found is not None:
            return found
    return None


def find_single_date(line: str) -> DateRange | None:
    """The first lone date in a line, as a one-point range (a year alone spans January–December)."""
    match = _SINGLE.search(line)
    if match is None:
        return None
    start = parse_date(match.group(0))
    end = parse_date(match.group(0), as_end=True)
    if start is None or end is None:
        return None
    return DateRange(start[0], end[0], False, start[1], end[1], match.start(), match.end(), match.group(0), True)


def find_dates(line: str) -> DateRange | None:
    """A range if the line has one, else a single date."""
    return find_date_range(line) or find_single_date(line)


def _from_match(match: re.Match[str]) -> DateRange | None:
    span = (match.start(), match.end(), match.group(0).strip())
    if match.group("m1"):
        end = parse_date(match.group("m2end"))
        if end is None:
            return None
        start = date(end[0].year, _MONTHS[match.group("m1")[:3].casefold()], 1)
        return _checked(start, DatePrecision.MONTH, end[0], DatePrecision.MONTH, False, span)
    open_start = match.group("since") or match.group("dangling")
    if open_start:
        start_parsed = parse_date(open_start)
        if start_parsed is None:
            return None
        return _checked(start_parsed[0], start_parsed[1], None, DatePrecision.MONTH, True, span)
    start_parsed = parse_date(match.group("start"))
    if start_parsed is None:
        return None
    if match.group("open"):
        return _checked(start_parsed[0], start_parsed[1], None, DatePrecision.MONTH, True, span)
    end_parsed = parse_date(match.group("end"), as_end=True)
    if end_parsed is None:
        return None
    return _checked(start_parsed[0], start_parsed[1], end_parsed[0], end_parsed[1], False, span)


def _checked(
    start: date,
    start_precision: DatePrecision,
    end: date | None,
    end_precision: DatePrecision,
    current: bool,
    span: tuple[int, int, str],
) -> DateRange | None:
    if end is not None and end < start:
        return None
    return DateRange(start, end, current, start_precision, end_precision, span[0], span[1], span[2])


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s month (days ignored; negative if reversed)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def years_between(start: date, end: date) -> float:
    return round(months_between(start, end) / 12, 2)


def months_since(when: date, today: date) -> int:
    """Recency in months, never negative (a future date counts as now)."""
    return max(0, months_between(when, today))


def estimate_months(start: date, start_precision: DatePrecision, end: date, end_precision: DatePrecision) -> int:
    """Months from start to end, both months counted ("Jan–Dec 2019" is 12).

    A year alone is taken as mid-year (July for a start, June for an end), so "2017–2020" is 36 months
    rather than the 48 its bounds allow; a range within one year counts at least half its bounds.
    """
    bounds = months_between(start, end) + 1
    if start_precision is DatePrecision.MONTH and end_precision is DatePrecision.MONTH:
        return max(bounds, 1)
    effective_start = start.replace(month=7) if start_precision is DatePrecision.YEAR else start
    effective_end = end.replace(month=6) if end_precision is DatePrecision.YEAR else end
    return max(months_between(effective_start, effective_end) + 1, bounds // 2, 1)
