"""Structuring résumé text: normalisation, sections, numbered lines and dated entries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.core.models import EvidenceSource, TextSpan
from assistant.core.resume import (
    DatePrecision,
    ExperienceEntry,
    ResumeDocument,
    SectionKind,
    SourceKind,
    detect_heading,
    normalize_text,
    structure,
)

RESUMES = Path(__file__).resolve().parents[2] / "fixtures" / "resumes"
TODAY = date(2025, 6, 15)


def load(name: str) -> ResumeDocument:
    return structure((RESUMES / name).read_text(encoding="utf-8"), source=SourceKind.TEXT, filename=name)


def kinds(document: ResumeDocument) -> list[SectionKind]:
    return [section.kind for section in document.sections]


def summary(entry: ExperienceEntry) -> tuple[str | None, str | None, date | None, date | None, bool]:
    return entry.title, entry.organisation, entry.start, entry.end, entry.current


# --- the three sample résumés (reused by later issues) ---------------------------------------------------


def test_data_analyst_sections_and_entries() -> None:
    document = load("data_analyst.txt")
    assert kinds(document) == [
        SectionKind.CONTACT,
        SectionKind.SUMMARY,
        SectionKind.EXPERIENCE,
        SectionKind.EDUCATION,
        SectionKind.SKILLS,
        SectionKind.CERTIFICATIONS,
        SectionKind.PROJECTS,
    ]
    assert document.warnings == ()
    assert [summary(entry) for entry in document.experience] == [
        ("Data Analyst", "Brightline Retail Inc.", date(2021, 1, 1), None, True),
        ("Junior Data Analyst", "Meridian Health Partners", date(2018, 3, 1), date(2020, 12, 1), False),
        ("Operations Intern", "Acme Logistics", date(2017, 6, 1), date(2017, 8, 1), False),
    ]
    first, second, third = document.experience
    assert first.header_lines == (10,)
    assert first.detail_lines == (11, 12, 13)
    assert second.detail_lines == (16, 17)
    assert third.header_lines == (19, 20)
    assert third.detail_lines == (21,)
    assert first.duration_months(TODAY) == 54  # Jan 2021 – Jun 2025, both months counted
    assert second.years(TODAY) == pytest.approx(2.83)
    assert second.months_since_end(TODAY) == 54
    (degree,) = document.education
    assert (degree.qualification, degree.institution) == ("B.S. in Business Analytics", "Ohio Valley University")
    assert (degree.start, degree.end, degree.end_precision) == (date(2014, 1, 1), date(2018, 12, 1), DatePrecision.YEAR)
    assert degree.detail_lines == (25,)
    skills = [line.text for line in document.lines_in(SectionKind.SKILLS)]
    assert skills[0] == "Languages: SQL, Python, R"  # a sub-label under Skills, not a Languages section
    assert len(document.lines_in(SectionKind.CERTIFICATIONS)) == 2


def test_nursing_assistant_sections_and_entries() -> None:
    document = load("nursing_assistant.txt")
    assert kinds(document) == [
        SectionKind.CONTACT,
        SectionKind.SUMMARY,
        SectionKind.EXPERIENCE,
        SectionKind.EDUCATION,
        SectionKind.CERTIFICATIONS,
        SectionKind.SKILLS,
        SectionKind.LANGUAGES,
    ]
    assert [summary(entry) for entry in document.experience] == [
        ("Certified Nursing Assistant", "Desert Bloom Care Center", date(2019, 1, 1), None, True),
        ("Patient Care Technician", "Saguaro General Hospital", date(2016, 9, 1), date(2019, 2, 1), False),
        ("Home Health Aide", "Sunrise Home Care Services", date(2015, 1, 1), date(2016, 12, 1), False),
    ]
    cna = document.experience[0]
    assert cna.header_lines == (11, 12, 13)
    assert cna.detail_lines == (14, 15, 16)
    assert cna.start_precision is DatePrecision.YEAR
    assert cna.duration_months(TODAY) == 72  # a year alone counts from mid-year: Jul 2019 – Jun 2025
    assert [(e.qualification, e.institution, e.end, e.in_progress) for e in document.education] == [
        ("Practical Nursing Diploma", "Pima Valley Community College", date(2025, 12, 1), True),
        ("Nursing Assistant Training Program", "Arizona Health Careers Academy", date(2015, 12, 1), False),
    ]
    assert [line.text for line in document.lines_in(SectionKind.LANGUAGES)] == ["English (native), Spanish (fluent)"]


def test_welder_sections_and_entries_with_dates_written_first() -> None:
    document = load("welder.txt")
    assert kinds(document) == [
        SectionKind.CONTACT,
        SectionKind.SUMMARY,
        SectionKind.EXPERIENCE,
        SectionKind.EDUCATION,
        SectionKind.CERTIFICATIONS,
        SectionKind.SKILLS,
    ]
    assert [summary(entry) for entry in document.experience] == [
        ("Lead Welder", "Gulf Coast Fabrication LLC", date(2020, 1, 1), None, True),
        ("Welder/Fitter", "Bayou Steel Works", date(2017, 1, 1), date(2020, 12, 1), False),
        ("Welder Helper", "Delta Marine Shipyard", date(2015, 1, 1), date(2017, 12, 1), False),
    ]
    assert [entry.header_lines for entry in document.experience] == [(10, 11), (16, 17), (21, 22)]
    assert [entry.duration_months(TODAY) for entry in document.experience] == [60, 36, 24]
    assert [line.bullet for line in document.lines if line.line_no in (12, 13, 14)] == [True, True, True]
    assert document.line(12).text.startswith("- Weld structural steel")  # "▪" normalised
    assert [(e.qualification, e.institution, e.end) for e in document.education] == [
        ("Welding Technology Certificate", "Capital Area Technical College", date(2015, 12, 1)),
        ("High School Diploma", "Istrouma High School", date(2013, 12, 1)),
    ]


@pytest.mark.parametrize("name", ["data_analyst.txt", "nursing_assistant.txt", "welder.txt"])
def test_every_line_points_back_into_the_text(name: str) -> None:
    document = load(name)
    physical = document.text.split("\n")
    for line in document.lines:
        assert document.text[line.start : line.end] == line.text == physical[line.line_no - 1]
        assert document.section_of(line.line_no) is not None
        assert document.section_of(line.line_no).kind is line.section  # type: ignore[union-attr]
    assert len(document.lines) == sum(1 for text in physical if text)


def test_evidence_cites_a_line_and_a_span_in_it() -> None:
    document = load("data_analyst.txt")
    line = document.line(12)
    start = line.text.index("dbt")
    evidence = document.evidence(12, TextSpan(start=start, end=start + 3))
    assert (evidence.source, evidence.line_no, evidence.section) == (EvidenceSource.RESUME, 12, "experience")
    span = line.document_span(TextSpan(start=start, end=start + 3))
    assert document.text[span.start : span.end] == "dbt"
    assert document.experience_for_line(12) is document.experience[0]
    assert document.experience_for_line(3) is None
    with pytest.raises(ValueError):
        line.document_span(TextSpan(start=0, end=len(line.text) + 1))
    with pytest.raises(KeyError):
        document.line(4)  # blank


# --- header forms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Data Analyst, Acme Corp\nJan 2019 – Present", ("Data Analyst", "Acme Corp", "2019-01", None)),
        ("Acme Corp — Data Analyst\nMarch 2015 to Dec 2016", ("Data Analyst", "Acme Corp", "2015-03", "2016-12")),
        ("Data Analyst | Acme Corp | 2019–2022", ("Data Analyst", "Acme Corp", "2019-01", "2022-12")),
        ("Data Analyst, Acme Corp    03/2018 - 06/2021", ("Data Analyst", "Acme Corp", "2018-03", "2021-06")),
        ("Software Engineer at Initech (2012 - 2014)", ("Software Engineer", "Initech", "2012-01", "2014-12")),
        ("Globex Corp\nProject Manager (Remote)\n2019 – current", ("Project Manager", "Globex Corp", "2019-01", None)),
        ("Barista, Blue Bottle    Jun – Aug 2011", ("Barista", "Blue Bottle", "2011-06", "2011-08")),
        ("Nurse Aide, Mercy Clinic, Springfield, IL   Since 2021", ("Nurse Aide", "Mercy Clinic", "2021-01", None)),
        ("Data Analyst, Acme, Inc.   2019-03 – 2020-05", ("Data Analyst", "Acme, Inc.", "2019-03", "2020-05")),
    ],
)  # fmt: skip
def test_experience_header_forms(header: str, expected: tuple[str, str, str, str | None]) -> None:
    document = structure(f"EXPERIENCE\n{header}\n- Did the work")
    (entry,) = document.experience
    title, organisation, start, end = expected
    assert (entry.title, entry.organisation) == (title, organisation)
    assert entry.start == date.fromisoformat(f"{start}-01")
    assert entry.end == (date.fromisoformat(f"{end}-01") if end else None)
    assert entry.current is (end is None)
    assert entry.detail_lines == (document.lines[-1].line_no,)


def test_dates_inside_bullets_and_sentences_do_not_open_entries() -> None:
    text = """Experience
Data Analyst, Acme Corp   2019 – 2022
- Led the 2020 migration to Snowflake.
Promoted in 2021 after leading the migration of the reporting stack.
"""
    (entry,) = structure(text).experience
    assert entry.detail_lines == (3, 4)


def test_experience_without_dates_is_warned_about() -> None:
    document = structure("Experience\nData Analyst, Acme Corp\n- SQL reports")
    assert document.experience == ()
    assert any("No dates" in warning for warning in document.warnings)


def test_entries_date_months_with_year_precision() -> None:
    (entry,) = structure("Experience\nWelder, Acme Works 2019").experience
    assert (entry.start, entry.end, entry.start_precision) == (date(2019, 1, 1), date(2019, 12, 1), DatePrecision.YEAR)
    assert entry.duration_months(TODAY) == 6


# --- sections and headings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Work Experience", SectionKind.EXPERIENCE),
        ("PROFESSIONAL EXPERIENCE", SectionKind.EXPERIENCE),
        ("Employment History:", SectionKind.EXPERIENCE),
        ("Relevant Clinical Experience", SectionKind.EXPERIENCE),
        ("skills", SectionKind.SKILLS),
        ("Technical Skills", SectionKind.SKILLS),
        ("CORE COMPETENCIES", SectionKind.SKILLS),
        ("## Education", SectionKind.EDUCATION),
        ("Projects", SectionKind.PROJECTS),
        ("Licenses & Certifications", SectionKind.CERTIFICATIONS),
        ("Languages", SectionKind.LANGUAGES),
        ("Summary", SectionKind.SUMMARY),
        ("Profile:", SectionKind.SUMMARY),
        ("**Objective**", SectionKind.SUMMARY),
        ("Hobbies & Interests", SectionKind.OTHER),
    ],
)
def test_headings(line: str, kind: SectionKind) -> None:
    heading = detect_heading(line)
    assert heading is not None
    assert heading.kind is kind


@pytest.mark.parametrize(
    "line",
    ["Project Manager", "Licensed Practical Nurse", "Experience with Python and SQL.", "- Skills", "JANE DOE", "2019"],
)
def test_not_headings(line: str) -> None:
    assert detect_heading(line) is None


def test_no_headings_gives_one_other_section_still_split_into_lines() -> None:
    document = structure("Jane Roe\njane.roe@example.com\n\nI worked at Acme from 2019 to 2021.\nPython, SQL")
    assert kinds(document) == [SectionKind.OTHER]
    assert [line.line_no for line in document.lines] == [1, 2, 4, 5]
    assert document.experience == ()
    assert any("No section headings" in warning for warning in document.warnings)


def test_inline_heading_opens_a_section_up_to_the_next_blank_line() -> None:
    document = structure("Jane Roe\nSkills: Python, SQL\n\nI like hiking.")
    assert [(s.kind, s.first_line, s.last_line) for s in document.sections] == [
        (SectionKind.OTHER, 1, 1),
        (SectionKind.SKILLS, 2, 2),
        (SectionKind.OTHER, 4, 4),
    ]
    assert not document.line(2).heading  # its content counts


def test_empty_text_structures_to_an_empty_document() -> None:
    document = structure(" \n\t\n")
    assert (document.text, document.lines, document.sections) == ("", (), ())


# --- normalisation --------------------------------------------------------------------------------------


def test_normalisation_strips_controls_and_unifies_bullets_and_unicode() -> None:
    raw = "ﬁnance\u00a0team\u200b\x07\r\n\r\n\r\n• one\n▪ two\n– three\n* four\n-five\n●\nsix\x0cseven\t end  "
    assert normalize_text(raw) == "finance team\n\n- one\n- two\n- three\n- four\n-five\n- six\nseven\tend"
    assert normalize_text("Data Analyst        2019 – 2020") == "Data Analyst  2019 – 2020"  # a column gap, shortened


def test_private_use_icons_and_soft_hyphens_are_removed() -> None:
    assert normalize_text("\ue0b0 555-0100 · re\u00adsume") == "555-0100 · resume"
