"""Text → ``ResumeDocument``: normalise, number the lines, find the sections, then the dated entries."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from assistant.core.resume.entries import parse_education, parse_experience
from assistant.core.resume.headings import Heading, detect_heading
from assistant.core.resume.models import (
    EducationEntry,
    ExperienceEntry,
    Line,
    ResumeDocument,
    Section,
    SectionKind,
    SourceKind,
)
from assistant.core.resume.normalize import BULLET, normalize_text

NO_HEADINGS = "No section headings were found, so the whole résumé was read as one section."
NO_EXPERIENCE_DATES = "No dates were found under the experience heading, so years of experience cannot be estimated."


def structure(
    text: str,
    *,
    source: SourceKind = SourceKind.PASTED,
    filename: str | None = None,
    warnings: Iterable[str] = (),
) -> ResumeDocument:
    """Structure résumé text; never fails on content (odd input gives fewer sections and a warning)."""
    normalised = normalize_text(text)
    notes = list(warnings)
    lines, sections = _lines_and_sections(normalised)
    if lines and not any(section.heading_line for section in sections):
        notes.append(NO_HEADINGS)
    experience: list[ExperienceEntry] = []
    education: list[EducationEntry] = []
    numbers = [line.line_no for line in lines]  # sections are runs of consecutive lines: slice, don't scan
    for section in sections:
        if section.kind not in (SectionKind.EXPERIENCE, SectionKind.EDUCATION):
            continue
        inside = lines[bisect_left(numbers, section.first_line) : bisect_right(numbers, section.last_line)]
        content = [line for line in inside if not line.heading]
        if section.kind is SectionKind.EXPERIENCE:
            experience.extend(parse_experience(content))
        elif section.kind is SectionKind.EDUCATION:
            education.extend(parse_education(content))
    has_experience = any(section.kind is SectionKind.EXPERIENCE for section in sections)
    if has_experience and not any(entry.start for entry in experience):
        notes.append(NO_EXPERIENCE_DATES)
    return ResumeDocument(
        source=source,
        filename=filename,
        text=normalised,
        sections=tuple(sections),
        lines=tuple(lines),
        experience=tuple(experience),
        education=tuple(education),
        warnings=tuple(dict.fromkeys(notes)),
    )


def _lines_and_sections(text: str) -> tuple[list[Line], list[Section]]:
    """Number every line; a heading opens a section that runs to the next heading.

    An inline heading ("Skills: Python, SQL") opens a section only up to the next blank line, then the
    enclosing section resumes; under Skills it is a sub-label ("Languages: SQL, R") and opens nothing.
    """
    if not text:
        return [], []
    raw_lines = text.split("\n")
    headings = {number: heading for number, raw in enumerate(raw_lines, 1) if raw and (heading := detect_heading(raw))}
    builder = _Sections(
        SectionKind.CONTACT if any(not h.inline_content for h in headings.values()) else SectionKind.OTHER
    )
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(raw_lines, 1):
        start, offset = offset, offset + len(raw) + 1
        if not raw:
            builder.blank(number)
            continue
        heading = headings.get(number)
        if heading is not None and heading.inline_content and builder.kind in (heading.kind, SectionKind.SKILLS):
            heading = None
        if heading is not None:
            builder.open(heading, number)
        builder.last_line = number
        lines.append(
            Line(
                line_no=number,
                text=raw,
                section=builder.kind,
                start=start,
                end=start + len(raw),
                bullet=raw.startswith(BULLET),
                heading=heading is not None and not heading.inline_content,
            )
        )
    return lines, builder.close()


class _Sections:
    """Collects sections while the lines are walked; remembers the section an inline one interrupts."""

    def __init__(self, kind: SectionKind) -> None:
        self.kind = kind
        self.sections: list[Section] = []
        self.last_line = 0
        self._heading: str | None = None
        self._heading_line: int | None = None
        self._first_line: int | None = None
        self._resume: SectionKind | None = None  # the kind to go back to after an inline section

    def open(self, heading: Heading, number: int) -> None:
        resume = self._resume if self._resume is not None else self.kind
        self._flush()
        self.kind, self._heading, self._heading_line, self._first_line = heading.kind, heading.label, number, number
        self._resume = resume if heading.inline_content else None

    def blank(self, number: int) -> None:
        if self._resume is not None:
            self._flush()
            self.kind, self._heading, self._heading_line, self._first_line = self._resume, None, None, number + 1
            self._resume = None

    def close(self) -> list[Section]:
        self._flush()
        return self.sections

    def _flush(self) -> None:
        first = self._first_line if self._first_line is not None else 1
        if self.last_line >= first:
            self.sections.append(
                Section(
                    kind=self.kind,
                    heading=self._heading,
                    heading_line=self._heading_line,
                    first_line=first,
                    last_line=self.last_line,
                )
            )
        self._first_line = self.last_line + 1
