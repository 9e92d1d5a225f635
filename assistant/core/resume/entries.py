"""Experience and education entries: which lines form each job or qualification, and their dates.

Experience is anchored on header lines that carry dates; up to two short lines before (or, for a date
written first, after) the anchor complete its header, and everything down to the next entry is its detail.
Education entries often have no dates, so they are cut where a line repeats a role the entry already has.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.core.resume.dates import DatePrecision, DateRange, find_date_range, find_dates, find_single_date
from assistant.core.resume.header import (
    cut,
    has_degree_word,
    has_institution_word,
    qualification_and_institution,
    split_parts,
    strip_education_status,
    title_and_organisation,
)
from assistant.core.resume.models import EducationEntry, ExperienceEntry, Line

_MAX_HEADER_WORDS = 14
_MAX_HEADER_CHARS = 150
_MAX_EDUCATION_HEADER_CHARS = 250
_ABBREVIATION_END = re.compile(r"\b(?:inc|ltd|corp|co|jr|sr|st)\.$", re.IGNORECASE)
_IN_PROGRESS = re.compile(r"\b(?:expected|anticipated|in progress|ongoing|candidate)\b", re.IGNORECASE)


def _header_like(line: Line) -> bool:
    """Short, not a bullet, not a sentence: a candidate title, organisation or date line."""
    text = line.text
    if line.bullet or len(text) > _MAX_HEADER_CHARS or len(text.split()) > _MAX_HEADER_WORDS:
        return False
    return not (text.endswith(".") and not _ABBREVIATION_END.search(text))


def _anchor_dates(line: Line) -> DateRange | None:
    """Dates that make a line an entry header: a range, or a lone date at the start or end of the line."""
    if not _header_like(line):
        return None
    found = find_date_range(line.text)
    if found is not None:
        return found
    single = find_single_date(line.text)
    if single is None:
        return None
    before = line.text[: single.start_index].strip(" ([,|–—-")
    after = line.text[single.end_index :].strip(" )].,|–—-")
    return single if not before or not after else None


def _gap_before(lines: Sequence[Line], index: int) -> bool:
    return index > 0 and lines[index].line_no - lines[index - 1].line_no > 1


@dataclass
class _Draft:
    anchor: int
    dates: DateRange
    headers: list[int] = field(default_factory=list)


def parse_experience(lines: Sequence[Line]) -> list[ExperienceEntry]:
    """Entries from the content lines of one experience section, in order."""
    anchors = {index: dates for index, line in enumerate(lines) if (dates := _anchor_dates(line)) is not None}
    drafts = [_Draft(index, dates, [index]) for index, dates in anchors.items()]
    claimed = set(anchors)
    # A section that opens with a line of dates alone ("2020 – Present") writes every header after its dates.
    dates_first = bool(drafts) and drafts[0].anchor == 0 and _wanted(lines, drafts[0]) == 2
    for draft in drafts if not dates_first else ():  # header lines written before the dates
        for index in range(draft.anchor - 1, -1, -1):
            if len(draft.headers) > _wanted(lines, draft) or not _joinable(lines, index, index + 1, claimed):
                break
            draft.headers.insert(0, index)
            claimed.add(index)
    for draft in drafts:  # or after them, when the dates come first
        if len(draft.headers) > 1:
            continue
        for index in range(draft.anchor + 1, len(lines)):
            if len(draft.headers) > _wanted(lines, draft) or not _joinable(lines, index, index, claimed):
                break
            draft.headers.append(index)
            claimed.add(index)
    return _build(lines, drafts)


def _wanted(lines: Sequence[Line], draft: _Draft) -> int:
    """How many more header lines the anchor needs: none when it already names title and organisation."""
    text = lines[draft.anchor].text
    return max(0, 2 - len(split_parts(cut(text, draft.dates.start_index, draft.dates.end_index))))


def _joinable(lines: Sequence[Line], index: int, gap_index: int, claimed: set[int]) -> bool:
    return index not in claimed and _header_like(lines[index]) and not _gap_before(lines, gap_index)


def _build(lines: Sequence[Line], drafts: list[_Draft]) -> list[ExperienceEntry]:
    drafts.sort(key=lambda draft: draft.headers[0])
    entries = []
    for number, draft in enumerate(drafts):
        stop = drafts[number + 1].headers[0] if number + 1 < len(drafts) else len(lines)
        parts: list[str] = []
        for index in draft.headers:
            text = lines[index].text
            if index == draft.anchor:
                text = cut(text, draft.dates.start_index, draft.dates.end_index)
            parts.extend(split_parts(text))
        roles = title_and_organisation(parts)
        dates = draft.dates
        entries.append(
            ExperienceEntry(
                title=roles.first,
                organisation=roles.second,
                start=dates.start,
                end=dates.end,
                current=dates.current,
                start_precision=dates.start_precision,
                end_precision=dates.end_precision,
                date_text=dates.text,
                header_lines=tuple(lines[i].line_no for i in draft.headers),
                detail_lines=tuple(lines[i].line_no for i in range(draft.headers[0], stop) if i not in draft.headers),
            )
        )
    return entries


def _roles(line: Line) -> frozenset[str]:
    if line.bullet or len(line.text) > _MAX_EDUCATION_HEADER_CHARS:
        return frozenset()
    roles = set()
    if has_degree_word(line.text):
        roles.add("qualification")
    if has_institution_word(line.text):
        roles.add("institution")
    if find_dates(line.text) is not None:
        roles.add("dates")
    return frozenset(roles)


def parse_education(lines: Sequence[Line]) -> list[EducationEntry]:
    """Entries from the content lines of one education section; a blank line always ends an entry."""
    blocks: list[list[int]] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        roles = _roles(line)
        previous_bullet = index > 0 and lines[index - 1].bullet
        new_block = not blocks or _gap_before(lines, index) or (not line.bullet and previous_bullet)
        if new_block or roles & seen:
            blocks.append([])
            seen = set()
        blocks[-1].append(index)
        seen |= roles
    return [entry for block in blocks if (entry := _education_entry([lines[i] for i in block])) is not None]


def _education_entry(block: list[Line]) -> EducationEntry | None:
    headers = [line for line in block if _roles(line)]
    if not headers:
        return None
    dates: DateRange | None = None
    parts: list[str] = []
    for line in headers:
        text = line.text
        found = find_dates(text) if dates is None else None
        if found is not None:
            dates = found
            text = cut(text, found.start_index, found.end_index)
        parts.extend(split_parts(strip_education_status(text)))
    roles = qualification_and_institution(parts)
    header_text = " ".join(line.text for line in headers)
    start, start_precision = (dates.start, dates.start_precision) if dates and not dates.single else (None, None)
    end, end_precision = (dates.end, dates.end_precision) if dates else (None, None)
    return EducationEntry(
        qualification=roles.first,
        institution=roles.second,
        start=start,
        end=end,
        start_precision=start_precision or DatePrecision.MONTH,
        end_precision=end_precision or DatePrecision.MONTH,
        in_progress=bool(_IN_PROGRESS.search(header_text)) or bool(dates and dates.current),
        date_text=dates.text if dates else None,
        header_lines=tuple(line.line_no for line in headers),
        detail_lines=tuple(line.line_no for line in block if line not in headers),
    )
