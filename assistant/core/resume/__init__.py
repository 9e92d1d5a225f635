"""Résumé structuring, pure: text in, sections / numbered lines / dated entries out.

File formats are read by ``assistant.adapters.documents``; this package sees only text, so it runs the
same on a PDF, a DOCX or pasted text, and later steps cite lines by number and character span.
"""

from assistant.core.resume.dates import (
    DatePrecision,
    DateRange,
    estimate_months,
    find_date_range,
    find_dates,
    months_between,
    months_since,
    parse_date,
    years_between,
)
from assistant.core.resume.headings import detect_heading
from assistant.core.resume.models import (
    EducationEntry,
    ExperienceEntry,
    Line,
    ResumeDocument,
    Section,
    SectionKind,
    SourceKind,
)
from assistant.core.resume.normalize import normalize_text
from assistant.core.resume.structure import structure

__all__ = [
    "DatePrecision",
    "DateRange",
    "EducationEntry",
    "ExperienceEntry",
    "Line",
    "ResumeDocument",
    "Section",
    "SectionKind",
    "SourceKind",
    "detect_heading",
    "estimate_months",
    "find_date_range",
    "find_dates",
    "months_between",
    "months_since",
    "normalize_text",
    "parse_date",
    "structure",
    "years_between",
]
