"""The structured résumé: sections, numbered lines and dated entries, all pointing into one text.

Every ``Line`` carries its offsets into ``ResumeDocument.text`` and its 1-based number in that text,
so a skill found at a span of a line becomes ``Evidence`` (line number + span) that a reader can check.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from assistant.core.models import Evidence, EvidenceSource, TextSpan
from assistant.core.models._base import Record
from assistant.core.resume.dates import DatePrecision, estimate_months, months_between


class SourceKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    MARKDOWN = "markdown"
    PASTED = "pasted"


class SectionKind(StrEnum):
    CONTACT = "contact"
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    LANGUAGES = "languages"
    OTHER = "other"


class Line(Record):
    """One non-blank line; ``text == document.text[start:end]`` and it is line ``line_no`` of that text."""

    line_no: int = Field(ge=1)
    text: str
    section: SectionKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    bullet: bool = False
    heading: bool = False

    def document_span(self, span: TextSpan) -> TextSpan:
        """Map a span within this line to a span of the whole document text."""
        if span.end > len(self.text):
            raise ValueError(f"span {span.start}-{span.end} runs past line {self.line_no} ({len(self.text)} chars)")
        return TextSpan(start=self.start + span.start, end=self.start + span.end)


class Section(Record):
    """Lines ``first_line``..``last_line`` (inclusive) under one heading.

    ``heading_line`` opened the section; it may also carry content ("Skills: Python, SQL"), in which
    case that line is not marked as a heading. The preamble before the first heading has no heading.
    """

    kind: SectionKind
    heading: str | None = None
    heading_line: int | None = Field(default=None, ge=1)
    first_line: int = Field(ge=1)
    last_line: int = Field(ge=1)

    def contains(self, line_no: int) -> bool:
        return self.first_line <= line_no <= self.last_line


class _Dated(Record):
    """Shared date fields: month precision, the 1st of the month; a year alone keeps its precision."""

    start: date | None = None
    end: date | None = None
    start_precision: DatePrecision = DatePrecision.MONTH
    end_precision: DatePrecision = DatePrecision.MONTH
    date_text: str | None = Field(default=None, description="the dates as written, e.g. 'Jan 2019 – Present'")
    header_lines: tuple[int, ...] = ()
    detail_lines: tuple[int, ...] = Field(default=(), description="bullets and description lines under the header")

    @model_validator(mode="after")
    def _ordered(self) -> _Dated:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end date precedes start date")
        return self

    @property
    def line_numbers(self) -> tuple[int, ...]:
        return tuple(sorted((*self.header_lines, *self.detail_lines)))

    def covers(self, line_no: int) -> bool:
        return line_no in self.header_lines or line_no in self.detail_lines


class ExperienceEntry(_Dated):
    """A job (or volunteer role): title, organisation, dates; ``current`` means it runs to today."""

    title: str | None = None
    organisation: str | None = None
    current: bool = False

    @model_validator(mode="after")
    def _current_has_no_end(self) -> ExperienceEntry:
        if self.current and self.end is not None:
            raise ValueError("a current entry has no end date")
        return self

    def end_or(self, today: date) -> date | None:
        """The end date, or ``today`` (its month) when the role is current."""
        return today.replace(day=1) if self.current else self.end

    def duration_months(self, today: date) -> int | None:
        """Estimated months in the role (a year-only bound counts as mid-year); None without dates."""
        end = self.end_or(today)
        if self.start is None or end is None:
            return None
        end_precision = DatePrecision.MONTH if self.current else self.end_precision
        return estimate_months(self.start, self.start_precision, end, end_precision)

    def years(self, today: date) -> float | None:
        months = self.duration_months(today)
        return None if months is None else round(months / 12, 2)

    def months_since_end(self, today: date) -> int | None:
        """Recency: 0 while current, else whole months from the end month to ``today``."""
        end = self.end_or(today)
        return None if end is None else max(0, months_between(end, today))


class EducationEntry(_Dated):
    """A qualification and where it was studied; ``in_progress`` for 'expected 2025' or 'present'."""

    qualification: str | None = None
    institution: str | None = None
    in_progress: bool = False


class ResumeDocument(Record):
    """A résumé as normalised text, its sections and lines (blank lines are numbered, not listed)."""

    source: SourceKind
    filename: str | None = None
    text: str
    sections: tuple[Section, ...] = ()
    lines: tuple[Line, ...] = ()
    experience: tuple[ExperienceEntry, ...] = ()
    education: tuple[EducationEntry, ...] = ()
    warnings: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _lines_point_into_text(self) -> ResumeDocument:
        previous = 0
        for line in self.lines:
            if line.line_no <= previous:
                raise ValueError("lines must be in increasing line_no order")
            if self.text[line.start : line.end] != line.text:
                raise ValueError(f"line {line.line_no} does not match the text at {line.start}-{line.end}")
            previous = line.line_no
        return self

    def line(self, line_no: int) -> Line:
        """The line with this number; KeyError for a blank or missing one."""
        index = bisect_left(self.lines, line_no, key=lambda line: line.line_no)
        if index == len(self.lines) or self.lines[index].line_no != line_no:
            raise KeyError(f"no non-blank line {line_no}")
        return self.lines[index]

    def lines_in(self, kind: SectionKind) -> tuple[Line, ...]:
        """Content lines (headings left out) of every section of this kind, in order."""
        return tuple(line for line in self.lines if line.section == kind and not line.heading)

    def section_of(self, line_no: int) -> Section | None:
        return next((section for section in self.sections if section.contains(line_no)), None)

    def experience_for_line(self, line_no: int) -> ExperienceEntry | None:
        """The job a line belongs to, to date the skills it mentions."""
        return next((entry for entry in self.experience if entry.covers(line_no)), None)

    def evidence(self, line_no: int, span: TextSpan | None = None) -> Evidence:
        """Evidence citing a line (and a span within it) of this résumé."""
        line = self.line(line_no)
        if span is not None:
            line.document_span(span)  # validates the span against the line
        return Evidence(
            source=EvidenceSource.RESUME, text=line.text, line_no=line_no, span=span, section=line.section.value
        )
